// The engine's view of stable storage (etcd's Storage interface) and the in-memory
// implementation etcd ships for tests and simple hosts (MemoryStorage). Errors are the sentinel
// singletons of errors.ts, thrown; callers compare them by identity where etcd compares errors.
import { errCompacted, errSnapOutOfDate, errUnavailable } from '../errors';
import type { EntryEncodingSize } from '../encoding/sizes';
import { discardLogger, type Logger } from '../logger';
import {
  emptyHardState,
  emptySnapshot,
  makeEntry,
  type ConfState,
  type Entry,
  type HardState,
  type LogIndex,
  type Snapshot,
  type Term,
} from '../types';
import { limitSize } from '../util';

export interface InitialState {
  hardState: HardState;
  confState: ConfState;
}

/**
 * What the engine reads from the host's stable storage. Any error other than the documented
 * sentinels makes the engine panic, as in etcd.
 */
export interface Storage {
  /** The saved HardState and ConfState. */
  initialState(): InitialState;
  /**
   * Consecutive entries in [lo, hi), at most `maxSize` bytes but at least one entry if any.
   * The caller may keep the returned array; neither side mutates the entries in it.
   * Throws errCompacted if lo is compacted, errUnavailable if an entry in [lo, hi) is missing.
   */
  entries(lo: LogIndex, hi: LogIndex, maxSize: EntryEncodingSize): Entry[];
  /**
   * The term of entry i, for i in [firstIndex()-1, lastIndex()]: the term of the entry just before
   * firstIndex stays known for log matching. Throws errCompacted or errUnavailable outside it.
   */
  term(i: LogIndex): Term;
  /** The index of the last entry in the log. */
  lastIndex(): LogIndex;
  /** The index of the first entry that may be read with entries() (older ones are in the snapshot). */
  firstIndex(): LogIndex;
  /** The latest snapshot; throws errSnapshotTemporarilyUnavailable while one is being made. */
  snapshot(): Snapshot;
}

/** How often each Storage method was called (etcd's inMemStorageCallStats), for tests. */
export interface MemoryStorageCallStats {
  initialState: number;
  firstIndex: number;
  lastIndex: number;
  entries: number;
  term: number;
  snapshot: number;
}

export function cloneConfState(state: ConfState): ConfState {
  return {
    voters: [...state.voters],
    learners: [...state.learners],
    votersOutgoing: [...state.votersOutgoing],
    learnersNext: [...state.learnersNext],
    autoLeave: state.autoLeave,
  };
}

export function cloneSnapshot(snapshot: Snapshot): Snapshot {
  return {
    data: snapshot.data === null ? null : snapshot.data.slice(),
    metadata: {
      confState: cloneConfState(snapshot.metadata.confState),
      index: snapshot.metadata.index,
      term: snapshot.metadata.term,
    },
  };
}

/** A Storage kept in memory. Entries are treated as immutable once appended. */
export class MemoryStorage implements Storage {
  hardState: HardState = emptyHardState();
  snapshotState: Snapshot = emptySnapshot();
  /**
   * ents[i] has log index ents[0].index + i. ents[0] is a dummy that only keeps the index and term
   * of the last compacted entry (the snapshot's), so that term(firstIndex - 1) is known.
   * Invariant: ents.length >= 1 and the indexes are consecutive.
   */
  ents: Entry[] = [makeEntry({})];
  readonly callStats: MemoryStorageCallStats = {
    initialState: 0,
    firstIndex: 0,
    lastIndex: 0,
    entries: 0,
    term: 0,
    snapshot: 0,
  };

  constructor(private readonly logger: Logger = discardLogger) {}

  initialState(): InitialState {
    this.callStats.initialState++;
    return {
      hardState: { ...this.hardState },
      confState: cloneConfState(this.snapshotState.metadata.confState),
    };
  }

  setHardState(state: HardState): void {
    this.hardState = { ...state };
  }

  entries(lo: LogIndex, hi: LogIndex, maxSize: EntryEncodingSize): Entry[] {
    this.callStats.entries++;
    const offset = this.ents[0].index;
    if (lo <= offset) throw errCompacted;
    if (hi > this.lastIndexOf() + 1) {
      this.logger.panic(`entries' hi(${hi}) is out of bound lastindex(${this.lastIndexOf()})`);
    }
    // Only the dummy entry is left.
    if (this.ents.length === 1) throw errUnavailable;
    return limitSize(this.ents.slice(lo - offset, hi - offset), maxSize);
  }

  term(i: LogIndex): Term {
    this.callStats.term++;
    const offset = this.ents[0].index;
    if (i < offset) throw errCompacted;
    if (i - offset >= this.ents.length) throw errUnavailable;
    return this.ents[i - offset].term;
  }

  lastIndex(): LogIndex {
    this.callStats.lastIndex++;
    return this.lastIndexOf();
  }

  firstIndex(): LogIndex {
    this.callStats.firstIndex++;
    return this.firstIndexOf();
  }

  snapshot(): Snapshot {
    this.callStats.snapshot++;
    return cloneSnapshot(this.snapshotState);
  }

  private lastIndexOf(): LogIndex {
    return this.ents[0].index + this.ents.length - 1;
  }

  private firstIndexOf(): LogIndex {
    return this.ents[0].index + 1;
  }

  /** Replaces the whole content with the snapshot; throws errSnapOutOfDate if it is not newer. */
  applySnapshot(snapshot: Snapshot): void {
    const currentIndex = this.snapshotState.metadata.index;
    const snapshotIndex = snapshot.metadata.index;
    if (currentIndex >= snapshotIndex) throw errSnapOutOfDate;
    this.snapshotState = cloneSnapshot(snapshot);
    this.ents = [makeEntry({ term: snapshot.metadata.term, index: snapshotIndex })];
  }

  /**
   * Records a snapshot of the state at index i (which must be stored) and returns it. `confState`
   * must be the configuration as of i when it changed since the last snapshot; null keeps the old
   * one. Throws errSnapOutOfDate if i is not past the current snapshot.
   */
  createSnapshot(i: LogIndex, confState: ConfState | null, data: Uint8Array | null): Snapshot {
    if (i <= this.snapshotState.metadata.index) throw errSnapOutOfDate;
    const offset = this.ents[0].index;
    if (i > this.lastIndexOf()) {
      this.logger.panic(`snapshot ${i} is out of bound lastindex(${this.lastIndexOf()})`);
    }
    const metadata = this.snapshotState.metadata;
    this.snapshotState = {
      data: data === null ? null : data.slice(),
      metadata: {
        index: i,
        term: this.ents[i - offset].term,
        confState: confState === null ? metadata.confState : cloneConfState(confState),
      },
    };
    return cloneSnapshot(this.snapshotState);
  }

  /**
   * Discards the entries before compactIndex; compactIndex becomes the new dummy entry. The host
   * must not compact past what it has applied. Throws errCompacted if already compacted.
   */
  compact(compactIndex: LogIndex): void {
    const offset = this.ents[0].index;
    if (compactIndex <= offset) throw errCompacted;
    if (compactIndex > this.lastIndexOf()) {
      this.logger.panic(`compact ${compactIndex} is out of bound lastindex(${this.lastIndexOf()})`);
    }
    const i = compactIndex - offset;
    const dummy = makeEntry({ index: this.ents[i].index, term: this.ents[i].term });
    this.ents = [dummy, ...this.ents.slice(i + 1)];
  }

  /**
   * Appends entries, first dropping any stored entries from entries[0].index on (a leader's log
   * replaced the tail). Entries before firstIndex are ignored; a gap after the last index panics.
   */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const first = this.firstIndexOf();
    const last = entries[0].index + entries.length - 1;
    // Every new entry is already compacted.
    if (last < first) return;
    let fresh = entries;
    if (first > fresh[0].index) fresh = fresh.slice(first - fresh[0].index);
    const offset = fresh[0].index - this.ents[0].index;
    if (this.ents.length < offset) {
      this.logger.panic(
        `missing log entry [last: ${this.lastIndexOf()}, append at: ${fresh[0].index}]`,
      );
    }
    // Truncate and append in place: amortized O(entries), not O(log length) per append.
    // entries() hands out copies, so no caller holds this array.
    this.ents.length = offset;
    for (const entry of fresh) this.ents.push({ ...entry });
  }
}
