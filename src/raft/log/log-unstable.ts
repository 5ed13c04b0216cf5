// The unstable part of the log (etcd's unstable struct): new entries and an incoming snapshot
// that are not in stable storage yet. It holds them until a Ready hands them to the host, and
// keeps them visible to the raft log while the write is in progress, until the host confirms
// the write (stableTo, stableSnapTo) and storage answers for them.
import type { Logger } from '../logger';
import type { Entry, LogIndex, Snapshot, Term } from '../types';
import type { EntryID } from './log-slice';
import { cloneSnapshot } from './log-storage';

export interface UnstableFields {
  offset: LogIndex;
  logger: Logger;
  entries?: Entry[];
  snapshot?: Snapshot | null;
  /** Defaults to offset: nothing is in progress. */
  offsetInProgress?: LogIndex;
  snapshotInProgress?: boolean;
}

export class Unstable {
  /** The incoming snapshot, if any. */
  snapshot: Snapshot | null;
  /**
   * Entries not yet written to storage; entries[i] has log index offset + i. The offset may be
   * below storage's last index: the next write must then truncate storage's tail first.
   */
  entries: Entry[];
  offset: LogIndex;
  /** Whether the snapshot is being written to storage. */
  snapshotInProgress: boolean;
  /**
   * entries[0 .. offsetInProgress - offset) are being written to storage (exclusive bound, like
   * offset). Invariant: offset <= offsetInProgress <= offset + entries.length.
   */
  offsetInProgress: LogIndex;
  logger: Logger;

  constructor(fields: UnstableFields) {
    this.offset = fields.offset;
    this.logger = fields.logger;
    this.entries = fields.entries ?? [];
    this.snapshot = fields.snapshot ?? null;
    this.offsetInProgress = fields.offsetInProgress ?? fields.offset;
    this.snapshotInProgress = fields.snapshotInProgress ?? false;
  }

  /** The first index a log could have after the snapshot, if there is a snapshot. */
  maybeFirstIndex(): [LogIndex, boolean] {
    const index = this.knownFirstIndex();
    return index === undefined ? [0, false] : [index, true];
  }

  /** The last index, if there is at least one unstable entry or a snapshot. */
  maybeLastIndex(): [LogIndex, boolean] {
    const index = this.knownLastIndex();
    return index === undefined ? [0, false] : [index, true];
  }

  /** The term of the entry at index i, if this part of the log knows it. */
  maybeTerm(i: LogIndex): [Term, boolean] {
    const term = this.knownTerm(i);
    return term === undefined ? [0, false] : [term, true];
  }

  // The known* forms answer the same without a tuple: the raft log asks them on every index and
  // term lookup, and a pair per call was a steady source of garbage.

  /** maybeFirstIndex's answer, undefined for "not known here". */
  knownFirstIndex(): LogIndex | undefined {
    return this.snapshot !== null ? this.snapshot.metadata.index + 1 : undefined;
  }

  /** maybeLastIndex's answer, undefined for "not known here". */
  knownLastIndex(): LogIndex | undefined {
    if (this.entries.length !== 0) return this.offset + this.entries.length - 1;
    if (this.snapshot !== null) return this.snapshot.metadata.index;
    return undefined;
  }

  /** maybeTerm's answer, undefined for "not known here". */
  knownTerm(i: LogIndex): Term | undefined {
    if (i < this.offset) {
      if (this.snapshot !== null && this.snapshot.metadata.index === i) {
        return this.snapshot.metadata.term;
      }
      return undefined;
    }
    const last = this.knownLastIndex();
    if (last === undefined || i > last) return undefined;
    return this.entries[i - this.offset].term;
  }

  /** The unstable entries not already being written to storage. */
  nextEntries(): Entry[] {
    const inProgress = this.offsetInProgress - this.offset;
    if (this.entries.length === inProgress) return [];
    return this.entries.slice(inProgress);
  }

  /** A copy of the snapshot, if there is one and it is not already being written. */
  nextSnapshot(): Snapshot | null {
    if (this.snapshot === null || this.snapshotInProgress) return null;
    return cloneSnapshot(this.snapshot);
  }

  /**
   * Marks every current entry and the snapshot as being written: nextEntries and nextSnapshot
   * stop returning them. What is added afterwards is returned until the next call.
   */
  acceptInProgress(): void {
    if (this.entries.length > 0) {
      this.offsetInProgress = this.entries[this.entries.length - 1].index + 1;
    }
    if (this.snapshot !== null) this.snapshotInProgress = true;
  }

  /**
   * Marks the entries up to `id` as written to stable storage. The caller must know those
   * entries can no longer be overwritten by an append still in progress. A write that finished
   * after its entries were replaced (the term differs) is ignored.
   */
  stableTo(id: EntryID): void {
    const [term, ok] = this.maybeTerm(id.index);
    if (!ok) {
      this.logger.info(`entry at index ${id.index} missing from unstable log; ignoring`);
      return;
    }
    if (id.index < this.offset) {
      this.logger.info(`entry at index ${id.index} matched unstable snapshot; ignoring`);
      return;
    }
    if (term !== id.term) {
      this.logger.info(
        `entry at (index,term)=(${id.index},${id.term}) mismatched with ` +
          `entry at (${id.index},${term}) in unstable log; ignoring`,
      );
      return;
    }
    const count = id.index + 1 - this.offset;
    this.entries = this.entries.slice(count);
    this.offset = id.index + 1;
    this.offsetInProgress = Math.max(this.offsetInProgress, this.offset);
  }

  /** Drops the snapshot once storage holds the snapshot at index i. */
  stableSnapTo(i: LogIndex): void {
    if (this.snapshot !== null && this.snapshot.metadata.index === i) {
      this.snapshot = null;
      this.snapshotInProgress = false;
    }
  }

  /** Replaces everything with the snapshot: the log now starts right after it. */
  restore(snapshot: Snapshot): void {
    this.offset = snapshot.metadata.index + 1;
    this.offsetInProgress = this.offset;
    this.entries = [];
    this.snapshot = cloneSnapshot(snapshot);
    this.snapshotInProgress = false;
  }

  /**
   * Appends entries that start at entries[0].index, first dropping every unstable entry at or
   * after that index (a new leader's log replaces our tail).
   */
  truncateAndAppend(entries: readonly Entry[]): void {
    const fromIndex = entries[0].index;
    const copies = entries.map((entry) => ({ ...entry }));
    if (fromIndex === this.offset + this.entries.length) {
      // The entries continue ours directly.
      this.entries = this.entries.concat(copies);
    } else if (fromIndex <= this.offset) {
      this.logger.info(`replace the unstable entries from index ${fromIndex}`);
      // Everything unstable is replaced, and storage's tail from fromIndex on is stale.
      this.entries = copies;
      this.offset = fromIndex;
      this.offsetInProgress = this.offset;
    } else {
      this.logger.info(`truncate the unstable entries before index ${fromIndex}`);
      this.entries = this.slice(this.offset, fromIndex).concat(copies);
      // Only the writes of entries before fromIndex are still in progress.
      this.offsetInProgress = Math.min(this.offsetInProgress, fromIndex);
    }
  }

  /** The unstable entries in [lo, hi), as a new array; the range must lie within entries. */
  slice(lo: LogIndex, hi: LogIndex): Entry[] {
    this.mustCheckOutOfBounds(lo, hi);
    return this.entries.slice(lo - this.offset, hi - this.offset);
  }

  /** Panics unless offset <= lo <= hi <= offset + entries.length. */
  mustCheckOutOfBounds(lo: LogIndex, hi: LogIndex): void {
    if (lo > hi) this.logger.panic(`invalid unstable.slice ${lo} > ${hi}`);
    const upper = this.offset + this.entries.length;
    if (lo < this.offset || hi > upper) {
      this.logger.panic(`unstable.slice[${lo},${hi}) out of bound [${this.offset},${upper}]`);
    }
  }

  /** Throws if the documented invariants do not hold (for tests and debug checks). */
  checkInvariants(): void {
    const upper = this.offset + this.entries.length;
    if (!(this.offset <= this.offsetInProgress && this.offsetInProgress <= upper)) {
      this.logger.panic(
        `unstable: offsetInProgress ${this.offsetInProgress} outside [${this.offset},${upper}]`,
      );
    }
    this.entries.forEach((entry, position) => {
      if (entry.index !== this.offset + position) {
        this.logger.panic(
          `unstable: entry ${position} has index ${entry.index}, want ${this.offset + position}`,
        );
      }
    });
  }
}
