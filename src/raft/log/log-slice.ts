// Entry ids and log slices (etcd's types.go): the vocabulary the log layer uses to say which
// entry it means and which leader's log a run of entries comes from.
import type { Entry, LogIndex, Message, Term } from '../types';

/**
 * Identifies a log entry. A leader issues at most one entry per index in its term, so the pair
 * (term, index) names one entry across the whole cluster (Raft paper, Log Matching, 5.3).
 */
export interface EntryID {
  term: Term;
  index: LogIndex;
}

/** The id of the given entry (etcd's pbEntryID). */
export function pbEntryID(entry: Entry): EntryID {
  return { term: entry.term, index: entry.index };
}

/** Go's %+v of an entryID: `{term:1 index:2}`. */
export function formatEntryID(id: EntryID): string {
  return `{term:${id.term} index:${id.index}}`;
}

/**
 * A run of consecutive entries as they appear in the log of the leader at `term`, after the entry
 * `prev`. A well-formed slice has: entries[i].index === prev.index + 1 + i; prev.term <=
 * entries[0].term; entry terms never decrease; and no entry has a term above `term`. Code that
 * builds a slice from outside input (a message, storage, a test) checks it with logSliceValid.
 */
export interface LogSlice {
  /** The term of the leader whose log holds these entries. */
  term: Term;
  /** The entry just before the first one. */
  prev: EntryID;
  entries: Entry[];
}

/** The index of the slice's last entry, or prev.index when it has none. */
export function logSliceLastIndex(slice: LogSlice): LogIndex {
  return slice.prev.index + slice.entries.length;
}

/** The id of the slice's last entry, or prev when it has none. */
export function logSliceLastEntryID(slice: LogSlice): EntryID {
  const count = slice.entries.length;
  return count === 0 ? slice.prev : pbEntryID(slice.entries[count - 1]);
}

/** Null when the slice is well formed, else what is wrong with it (etcd's logSlice.valid). */
export function logSliceValid(slice: LogSlice): string | null {
  let prev = slice.prev;
  for (const entry of slice.entries) {
    const id = pbEntryID(entry);
    if (id.term < prev.term || id.index !== prev.index + 1) {
      return `leader term ${slice.term}: entries ${formatEntryID(prev)} and ${formatEntryID(id)} not consistent`;
    }
    prev = id;
  }
  if (slice.term < prev.term) {
    return `leader term ${slice.term}: entry ${formatEntryID(prev)} has a newer term`;
  }
  return null;
}

/** The slice a MsgApp carries: the sender's term, the entry before the new ones, the new ones. */
export function logSliceFromMsgApp(message: Message): LogSlice {
  return {
    term: message.term,
    prev: { term: message.logTerm, index: message.index },
    entries: message.entries,
  };
}
