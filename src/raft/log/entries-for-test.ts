// Builders of entry runs for the log layer's tests (etcd's `index(i).terms(...)` helpers).
import {
  emptySnapshot,
  makeEntry,
  type Entry,
  type LogIndex,
  type Snapshot,
  type Term,
} from '../types';

/** Entries at consecutive indexes from `first`, with the given terms. */
export function entriesAt(first: LogIndex, terms: readonly Term[]): Entry[] {
  return terms.map((term, position) => makeEntry({ term, index: first + position }));
}

/** Entries at consecutive indexes from `first`, with consecutive terms in [fromTerm, toTerm). */
export function termRange(first: LogIndex, fromTerm: Term, toTerm: Term): Entry[] {
  const entries: Entry[] = [];
  for (let term = fromTerm; term < toTerm; term++) {
    entries.push(makeEntry({ term, index: first + term - fromTerm }));
  }
  return entries;
}

/** A snapshot with only its index and term set. */
export function snapshotAt(index: LogIndex, term: Term): Snapshot {
  const snapshot = emptySnapshot();
  snapshot.metadata.index = index;
  snapshot.metadata.term = term;
  return snapshot;
}
