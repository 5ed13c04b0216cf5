// What a node reports for a simulator's invariants (BatchObservation): the entries a batch made
// durable and applied, the durable state, and the log's shape as term runs. Terms never decrease
// along a Raft log, so the runs are found by binary search: a few storage lookups per term in the
// log, not one per entry, which keeps observing cheap enough to do after every batch. A crash
// can cut a save short after part of it reached the disk (unsynced bytes may survive): a node
// that goes down in a batch then reports how far back that save could have taken its log.
import type { MemoryStorage } from '../../raft/log/log-storage';
import { isEmptySnapshot, type Entry, type LogIndex, type Snapshot, type Term } from '../../raft/types';
import type { BatchObservation, ObservedEntry } from './batch';

/** Term runs one observation may list; a longer log of changing terms is a bug, not a run. */
export const termRunsMax = 100_000;

/** Collected while a batch runs, when the host observes. */
export interface ObservationSink {
  appended: ObservedEntry[];
  appendedPrevTerm: Term;
  applied: ObservedEntry[];
}

export function newObservationSink(): ObservationSink {
  return { appended: [], appendedPrevTerm: 0, applied: [] };
}

export type DurableState = NonNullable<BatchObservation['durable']>;

/** The etcd host's sink: also the save under way, which a crash may cut short. */
export interface EtcdObservationSink extends ObservationSink {
  /**
   * Set while storage.save runs: the durable state before it (the storage's memory holds what
   * the completed saves fsynced) and the lowest last index the save can leave if only a prefix
   * of its WAL records reaches the disk. Null when no save is under way.
   */
  saveInFlight: { before: DurableState; lastIndexFloor: LogIndex } | null;
}

export function newEtcdObservationSink(): EtcdObservationSink {
  return { ...newObservationSink(), saveInFlight: null };
}

/**
 * Before a save: what is durable, and how far back the save can take the log. Its WAL records
 * go in order (snapshot marker, one per entry, HardState): a marker that lands alone leaves the
 * log at the snapshot's index; the first entry record that lands truncates the log after it.
 */
export function observeSaveStart(sink: EtcdObservationSink, storage: MemoryStorage, ready: { entries: Entry[]; snapshot: Snapshot }): void {
  const { term, vote, commit } = storage.hardState;
  const lastIndex = storage.lastIndex();
  let lastIndexFloor = lastIndex;
  if (!isEmptySnapshot(ready.snapshot)) lastIndexFloor = Math.min(lastIndexFloor, ready.snapshot.metadata.index);
  if (ready.entries.length > 0) lastIndexFloor = Math.min(lastIndexFloor, ready.entries[0].index);
  sink.saveInFlight = { before: { term, vote, commit, lastIndex }, lastIndexFloor };
}

/**
 * The durable state of a node that went down in the batch: null when no save was under way (the
 * persisted records tell it); else the state before the cut save, its last index lowered to
 * where the save could have truncated the log. Term, vote and commit only move forward in a
 * save, so the state before it is the one the next boot cannot go below.
 */
export function durableAfterCut(sink: EtcdObservationSink): DurableState | null {
  const cut = sink.saveInFlight;
  if (cut === null) return null;
  return { ...cut.before, lastIndex: Math.min(cut.before.lastIndex, cut.lastIndexFloor) };
}

/**
 * FNV-1a over an entry's type and bytes: equal entries digest equal. It is the same function as
 * the checker's entryDataHash (src/checker sits above this layer, so it cannot be imported).
 */
export function entryDigest(entry: { type: number; data: Uint8Array | null }): number {
  let hash = (0x811c9dc5 ^ entry.type) >>> 0;
  hash = Math.imul(hash, 0x01000193) >>> 0;
  const data = entry.data;
  if (data === null) return hash;
  for (let i = 0; i < data.length; i++) {
    hash ^= data[i];
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (hash ^ data.length) >>> 0;
}

export function observeEntry(entry: Entry): ObservedEntry {
  return { index: entry.index, term: entry.term, dataHash: entryDigest(entry) };
}

/** The term at `index`, or 0 when the storage no longer (or not yet) holds it. */
export function termOrZero(storage: MemoryStorage, index: LogIndex): Term {
  if (index < storage.firstIndex() - 1 || index > storage.lastIndex()) return 0;
  return storage.term(index);
}

/** The log (firstIndex - 1 .. lastIndex] as runs [first index, term], oldest first. */
export function termRuns(storage: MemoryStorage): [LogIndex, Term][] {
  return termRunsOf(storage.firstIndex() - 1, storage.lastIndex(), (index) => storage.term(index));
}

/** Runs [first index, term] over [from, last] of any log whose terms never decrease (termOf covers it). */
export function termRunsOf(from: LogIndex, last: LogIndex, termOf: (index: LogIndex) => Term): [LogIndex, Term][] {
  let index = from;
  const runs: [LogIndex, Term][] = [];
  while (index <= last) {
    if (runs.length >= termRunsMax) throw new Error(`log has more than ${termRunsMax} term runs`);
    const term = termOf(index);
    runs.push([index, term]);
    // The last index still holding `term`: binary search over (index, last].
    let low = index;
    let high = last;
    while (low < high) {
      const middle = low + Math.ceil((high - low) / 2);
      if (termOf(middle) === term) low = middle;
      else high = middle - 1;
    }
    index = low + 1;
  }
  return runs;
}
