// What the HashiCorp-style host reports for a simulator's invariants (the etcd host's
// BatchObservation, same shape): the entries a batch made durable and applied, the durable state
// (the stable store's term and vote; hashicorp persists no commit index, so it is 0), and the log
// as term runs. Every store write is durable before the batch's output moves on, so at the end
// of a batch the engine's log is the persisted one.
import type { BatchObservation, ObservedEntry } from '../etcd/batch';
import { entryDigest, termRunsOf, type ObservationSink } from '../etcd/observation';
import type { HashicorpNode } from './hashicorp-node';
import type { RaftLog } from './raft-log';
import type { LogEntry } from './types';

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

export function hashicorpObservation(node: HashicorpNode | null, sink: ObservationSink, restarted: boolean): BatchObservation {
  const { appended, appendedPrevTerm, applied } = sink;
  if (node === null) return { restarted, appended, appendedPrevTerm, applied, durable: null, termRuns: [] };
  const raft = node.raft;
  const stable = node.dataDir.stable.state;
  const vote = stable.lastVoteTerm === stable.currentTerm ? stable.lastVoteCand : 0;
  return {
    restarted,
    appended,
    appendedPrevTerm,
    applied,
    durable: { term: stable.currentTerm, vote, commit: 0, lastIndex: raft.log.lastIndex() },
    termRuns: hashicorpTermRuns(raft.log),
  };
}
