// What the HashiCorp-style host reports for a simulator's invariants (the etcd host's
// BatchObservation, same shape): the entries a batch made durable and applied, the durable state
// (the stable store's term and vote; hashicorp persists no commit index, so it is 0), and the log
// as term runs. Every store write is durable before the batch's output moves on, so at the end
// of a batch the engine's log is the persisted one.
import type { BatchObservation, ObservedEntry } from '../etcd/batch';
import { entryDigest, newObservationSink, termRunsOf, type ObservationSink } from '../etcd/observation';
import type { HashicorpNode } from './hashicorp-node';
import type { StoreWrite } from './raft-output';
import type { RaftLog } from './raft-log';
import type { LogEntry } from './types';

/**
 * The durable state as the batch's completed writes left it. A crash can stop a batch between
 * two writes (a suffix deleted, its replacement never written); the host then reports this, the
 * disk's state, instead of the engine's.
 */
export interface DurableTrack {
  term: number;
  vote: number;
  lastStored: number;
  snapshotIndex: number;
}

export interface HashicorpObservationSink extends ObservationSink {
  /** Set when the batch's first write starts; null while the batch has written nothing. */
  durable: DurableTrack | null;
  /** The write under way: a crash may or may not have let it reach the disk. */
  inFlight: StoreWrite | null;
}

export function newHashicorpObservationSink(): HashicorpObservationSink {
  return { ...newObservationSink(), durable: null, inFlight: null };
}

/** Before a write: the durable state it starts from, and the term before the first append. */
export function observeWriteStart(sink: HashicorpObservationSink, node: HashicorpNode, write: StoreWrite): void {
  if (sink.durable === null) {
    const stable = node.dataDir.stable.state;
    // The engine's log may already hold what this output writes: the stores hold what is durable.
    const lastStored = node.dataDir.logs.lastStoredIndex;
    sink.durable = { term: stable.currentTerm, vote: voteOf(stable), lastStored, snapshotIndex: node.durableSnapshotIndex };
  }
  sink.inFlight = write;
  if (write.kind === 'appendLogs' && write.entries.length > 0 && sink.appended.length === 0) {
    const before = write.entries[0].index - 1;
    sink.appendedPrevTerm = node.dataDir.logs.termOrZero(before) || logTermOrZero(node.raft.log, before);
  }
}

/** After a write returned (it is durable): what it changed. */
export function observeWritten(sink: HashicorpObservationSink, write: StoreWrite): void {
  const durable = sink.durable!;
  sink.inFlight = null;
  switch (write.kind) {
    case 'stable':
      durable.term = write.state.currentTerm;
      durable.vote = voteOf(write.state);
      return;
    case 'appendLogs':
      if (write.entries.length === 0) return;
      durable.lastStored = write.entries[write.entries.length - 1].index;
      sink.appended.push(...write.entries.map(observeLogEntry));
      return;
    case 'deleteLogsFrom':
      durable.lastStored = Math.min(durable.lastStored, write.index - 1);
      return;
    case 'deleteLogsThrough':
      if (write.index >= durable.lastStored) durable.lastStored = 0;
      return;
    case 'saveSnapshot':
      durable.snapshotIndex = Math.max(durable.snapshotIndex, write.meta.index);
      return;
  }
}

function voteOf(stable: { currentTerm: number; lastVoteTerm: number; lastVoteCand: number }): number {
  return stable.lastVoteTerm === stable.currentTerm ? stable.lastVoteCand : 0;
}

export function observeLogEntry(entry: LogEntry): ObservedEntry {
  return { index: entry.index, term: entry.term, dataHash: entryDigest(entry) };
}

/** The term at `index` in the log or its snapshot, 0 when neither holds it. */
export function logTermOrZero(log: RaftLog, index: number): number {
  const entry = log.get(index);
  if (entry !== undefined) return entry.term;
  return index === log.lastSnapshotIndex ? log.lastSnapshotTerm : 0;
}

/**
 * The log as runs [first index, term] from the status's firstIndex - 1 through its last index.
 * A snapshot past the last stored entry ends the runs with the snapshot's term.
 */
export function hashicorpTermRuns(log: RaftLog): [number, number][] {
  const last = log.lastIndex();
  const lastStored = log.lastStoredIndex;
  const from = (log.firstStoredIndex === 0 ? last + 1 : log.firstStoredIndex) - 1;
  const runs = termRunsOf(from, Math.min(last, Math.max(lastStored, from)), (index) => logTermOrZero(log, index));
  if (last > lastStored && last > from) runs.push([last, log.lastSnapshotTerm]);
  return runs;
}

/**
 * The batch's observation. A node that went down in the batch reports the durable state its
 * completed writes left (null when it wrote nothing), since its persisted records cannot tell a
 * deleted suffix.
 */
export function hashicorpObservation(node: HashicorpNode | null, sink: HashicorpObservationSink, restarted: boolean): BatchObservation {
  const { appended, appendedPrevTerm, applied } = sink;
  if (node === null) {
    const track = sink.durable;
    // A deletion cut short by the crash may have reached the disk: the log may be that short.
    const cut = sink.inFlight;
    if (track !== null && cut !== null && cut.kind === 'deleteLogsFrom') track.lastStored = Math.min(track.lastStored, cut.index - 1);
    const durable = track === null ? null : { term: track.term, vote: track.vote, commit: 0, lastIndex: Math.max(track.lastStored, track.snapshotIndex) };
    return { restarted, appended, appendedPrevTerm, applied, durable, termRuns: [] };
  }
  const raft = node.raft;
  const stable = node.dataDir.stable.state;
  return {
    restarted,
    appended,
    appendedPrevTerm,
    applied,
    durable: { term: stable.currentTerm, vote: voteOf(stable), commit: 0, lastIndex: raft.log.lastIndex() },
    termRuns: hashicorpTermRuns(raft.log),
  };
}
