// The replicated log (etcd's raftLog): stable entries in Storage followed by the unstable tail,
// with the commit and apply cursors. etcd's (value, error) returns for ErrCompacted and
// ErrUnavailable are thrown sentinels here; multi-value returns are tuples.
import { noLimit } from '../config';
import { entsSize, type EntryEncodingSize } from '../encoding/sizes';
import { RaftError, errCompacted, errUnavailable } from '../errors';
import type { Logger } from '../logger';
import type { Entry, LogIndex, Snapshot, Term } from '../types';
import { extend, limitSize } from '../util';
import { pbEntryID, type EntryID, type LogSlice } from './log-slice';
import { cloneSnapshot, type Storage } from './log-storage';
import { Unstable } from './log-unstable';

function isOutOfBounds(error: unknown): boolean {
  return error === errCompacted || error === errUnavailable;
}

export class RaftLog {
  /** Every stable entry since the last snapshot. */
  readonly storage: Storage;
  /** Entries and a snapshot not yet in storage. */
  readonly unstable: Unstable;
  /** The highest index known to be stored on a quorum. */
  committed: LogIndex;
  /**
   * The highest index the application has been told to apply (some may still be applying).
   * Invariant: applied <= applying <= committed.
   */
  applying: LogIndex;
  /** The highest index the application has applied. Invariant: applied <= committed. */
  applied: LogIndex;
  readonly logger: Logger;
  /** The most bytes of entries handed out by nextCommittedEnts and not yet acknowledged. */
  readonly maxApplyingEntsSize: EntryEncodingSize;
  /** Bytes handed out by nextCommittedEnts and not yet acknowledged by appliedTo. */
  applyingEntsSize: EntryEncodingSize = 0;
  /** Whether handing out committed entries waits until enough of them are acknowledged. */
  applyingEntsPaused = false;
  /** Injected mistake (bugs.ts): commit a quorum-held entry of any term. Set by Raft. */
  bugFigure8 = false;
  /** Injected mistake (bugs.ts): keep a conflicting suffix, append only past it. Set by Raft. */
  bugNoTruncateConflict = false;

  constructor(storage: Storage, logger: Logger, maxApplyingEntsSize: EntryEncodingSize) {
    const firstIndex = storage.firstIndex();
    const lastIndex = storage.lastIndex();
    this.storage = storage;
    this.logger = logger;
    this.maxApplyingEntsSize = maxApplyingEntsSize;
    this.unstable = new Unstable({
      offset: lastIndex + 1,
      offsetInProgress: lastIndex + 1,
      logger,
    });
    // Start the cursors at the last compaction: everything before it is committed and applied.
    this.committed = firstIndex - 1;
    this.applying = firstIndex - 1;
    this.applied = firstIndex - 1;
  }

  string(): string {
    return (
      `committed=${this.committed}, applied=${this.applied}, applying=${this.applying}, ` +
      `unstable.offset=${this.unstable.offset}, unstable.offsetInProgress=${this.unstable.offsetInProgress}, ` +
      `len(unstable.Entries)=${this.unstable.entries.length}`
    );
  }

  toString(): string {
    return this.string();
  }

  /**
   * Appends the leader's slice if its prev entry matches our log (Raft paper 5.3), truncating a
   * conflicting tail, and advances the commit index to min(committed, last new index).
   * Returns the slice's last index and ok, or { lastIndex: 0, ok: false } if prev does not match.
   */
  maybeAppend(slice: LogSlice, committed: LogIndex): { lastIndex: LogIndex; ok: boolean } {
    if (!this.matchTerm(slice.prev)) return { lastIndex: 0, ok: false };
    const lastNewIndex = slice.prev.index + slice.entries.length;
    const conflictIndex = this.findConflict(slice.entries);
    if (conflictIndex === 0) {
      // Every entry is already in the log.
    } else if (this.bugNoTruncateConflict && conflictIndex <= this.lastIndex()) {
      this.appendPastLastIndex(slice);
    } else if (conflictIndex <= this.committed) {
      this.logger.panic(
        `entry ${conflictIndex} conflict with committed entry [committed(${this.committed})]`,
      );
    } else {
      const offset = slice.prev.index + 1;
      if (conflictIndex - offset > slice.entries.length) {
        this.logger.panic(
          `index, ${conflictIndex - offset}, is out of range [${slice.entries.length}]`,
        );
      }
      this.append(slice.entries.slice(conflictIndex - offset));
    }
    this.commitTo(Math.min(committed, lastNewIndex));
    return { lastIndex: lastNewIndex, ok: true };
  }

  /**
   * The no-truncate-conflict bug: the entries we hold stay, even where their terms differ from
   * the leader's, and only the slice's entries past our last index are appended. The follower
   * then acknowledges a log that does not match the leader's.
   */
  private appendPastLastIndex(slice: LogSlice): void {
    const lastIndex = this.lastIndex();
    const offset = slice.prev.index + 1;
    if (slice.prev.index + slice.entries.length > lastIndex) {
      this.append(slice.entries.slice(lastIndex + 1 - offset));
    }
  }

  /** Appends entries to the unstable tail (truncating at entries[0].index); returns lastIndex. */
  append(entries: readonly Entry[]): LogIndex {
    if (entries.length === 0) return this.lastIndex();
    const after = entries[0].index - 1;
    if (after < this.committed) {
      this.logger.panic(`after(${after}) is out of range [committed(${this.committed})]`);
    }
    this.unstable.truncateAndAppend(entries);
    return this.lastIndex();
  }

  /**
   * The index of the first given entry whose term differs from ours at that index, or the first
   * one past our last index; 0 if the log already holds them all. Indexes must be consecutive.
   */
  findConflict(entries: readonly Entry[]): LogIndex {
    for (const entry of entries) {
      const id = pbEntryID(entry);
      if (!this.matchTerm(id)) {
        if (id.index <= this.lastIndex()) {
          const existing = this.zeroTermOnOutOfBounds(id.index);
          this.logger.info(
            `found conflict at index ${id.index} [existing term: ${existing}, conflicting term: ${id.term}]`,
          );
        }
        return id.index;
      }
    }
    return 0;
  }

  /**
   * A guess at where this log stops matching one whose entry at `index` has `term`: the largest
   * guessIndex <= index with term(guessIndex) <= term, or whose term is unknown (compacted or
   * missing). Returns guessIndex and its term (0 when unknown). Used by followers and leaders
   * to skip a whole conflicting term at once when an append is rejected.
   */
  findConflictByTerm(index: LogIndex, term: Term): { index: LogIndex; term: Term } {
    for (; index > 0; index--) {
      let ourTerm: Term | undefined;
      try {
        ourTerm = this.termInBounds(index);
      } catch (error) {
        if (isOutOfBounds(error)) return { index, term: 0 };
        throw error;
      }
      // Compacted or missing: it may match, and its term is unknown.
      if (ourTerm === undefined) return { index, term: 0 };
      if (ourTerm <= term) return { index, term: ourTerm };
    }
    return { index: 0, term: 0 };
  }

  /** Unstable entries that can be written to storage and are not already being written. */
  nextUnstableEnts(): Entry[] {
    return this.unstable.nextEntries();
  }

  hasNextUnstableEnts(): boolean {
    return this.nextUnstableEnts().length > 0;
  }

  /** Whether any unstable entries are waiting to be written or being written. */
  hasNextOrInProgressUnstableEnts(): boolean {
    return this.unstable.entries.length > 0;
  }

  /**
   * Committed entries to hand to the application, within the applying size budget. With
   * allowUnstable, committed entries not yet in local storage may be included.
   */
  nextCommittedEnts(allowUnstable: boolean): Entry[] {
    if (this.applyingEntsPaused) return [];
    // With a snapshot to apply, no entries are handed out: which goes first would be unclear.
    if (this.hasNextOrInProgressSnapshot()) return [];
    const lo = this.applying + 1;
    const hi = this.maxAppliableIndex(allowUnstable) + 1;
    if (lo >= hi) return [];
    const maxSize = this.maxApplyingEntsSize - this.applyingEntsSize;
    if (maxSize <= 0) {
      this.logger.panic(
        `applying entry size (${this.maxApplyingEntsSize}-${this.applyingEntsSize})=${maxSize} not positive`,
      );
    }
    try {
      return this.slice(lo, hi, maxSize);
    } catch (error) {
      if (error instanceof RaftError) {
        this.logger.panic(`unexpected error when getting unapplied entries (${error.message})`);
      }
      throw error;
    }
  }

  /** Whether nextCommittedEnts would return anything (without reading the entries). */
  hasNextCommittedEnts(allowUnstable: boolean): boolean {
    if (this.applyingEntsPaused) return false;
    if (this.hasNextOrInProgressSnapshot()) return false;
    return this.applying + 1 < this.maxAppliableIndex(allowUnstable) + 1;
  }

  /** The highest committed index that may be applied: only stored ones unless allowUnstable. */
  maxAppliableIndex(allowUnstable: boolean): LogIndex {
    if (allowUnstable) return this.committed;
    return Math.min(this.committed, this.unstable.offset - 1);
  }

  /** The unstable snapshot, if it can be written and is not already being written. */
  nextUnstableSnapshot(): Snapshot | null {
    return this.unstable.nextSnapshot();
  }

  hasNextUnstableSnapshot(): boolean {
    return this.unstable.nextSnapshot() !== null;
  }

  /** Whether a snapshot is waiting to be written or being written. */
  hasNextOrInProgressSnapshot(): boolean {
    return this.unstable.snapshot !== null;
  }

  /** A copy of the unstable snapshot if any, else storage's (which may throw a sentinel). */
  snapshot(): Snapshot {
    if (this.unstable.snapshot !== null) return cloneSnapshot(this.unstable.snapshot);
    return this.storage.snapshot();
  }

  firstIndex(): LogIndex {
    const index = this.unstable.knownFirstIndex();
    if (index !== undefined) return index;
    return this.storage.firstIndex();
  }

  lastIndex(): LogIndex {
    const index = this.unstable.knownLastIndex();
    if (index !== undefined) return index;
    return this.storage.lastIndex();
  }

  /** Raises the commit index (never lowers it); committing past the last index panics. */
  commitTo(toCommit: LogIndex): void {
    if (this.committed < toCommit) {
      if (this.lastIndex() < toCommit) {
        this.logger.panic(
          `tocommit(${toCommit}) is out of range [lastIndex(${this.lastIndex()})]. ` +
            'Was the raft log corrupted, truncated, or lost?',
        );
      }
      this.committed = toCommit;
    }
  }

  /** The application applied up to i; `size` bytes of handed-out entries are acknowledged. */
  appliedTo(i: LogIndex, size: EntryEncodingSize): void {
    if (this.committed < i || i < this.applied) {
      this.logger.panic(
        `applied(${i}) is out of range [prevApplied(${this.applied}), committed(${this.committed})]`,
      );
    }
    this.applied = i;
    this.applying = Math.max(this.applying, i);
    this.applyingEntsSize = this.applyingEntsSize > size ? this.applyingEntsSize - size : 0;
    this.applyingEntsPaused = this.applyingEntsSize >= this.maxApplyingEntsSize;
  }

  /**
   * The application was handed entries up to i, of `size` bytes. Handing out pauses when the
   * budget is used up, or when the entries were cut short by the budget (i is below what could
   * have been handed out), since the next entry would not fit.
   */
  acceptApplying(i: LogIndex, size: EntryEncodingSize, allowUnstable: boolean): void {
    if (this.committed < i) {
      this.logger.panic(
        `applying(${i}) is out of range [prevApplying(${this.applying}), committed(${this.committed})]`,
      );
    }
    this.applying = i;
    this.applyingEntsSize += size;
    this.applyingEntsPaused =
      this.applyingEntsSize >= this.maxApplyingEntsSize ||
      i < this.maxAppliableIndex(allowUnstable);
  }

  stableTo(id: EntryID): void {
    this.unstable.stableTo(id);
  }

  stableSnapTo(i: LogIndex): void {
    this.unstable.stableSnapTo(i);
  }

  /** The host started writing the unstable entries: later Readies no longer list them. */
  acceptUnstable(): void {
    this.unstable.acceptInProgress();
  }

  /** The id of the last entry in the log. */
  lastEntryID(): EntryID {
    const index = this.lastIndex();
    let term: Term;
    try {
      term = this.term(index);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      return this.logger.panic(`unexpected error when getting the last term at ${index}: ${text}`);
    }
    return { term, index };
  }

  /** The term of the last entry (older etcd's lastTerm; same as lastEntryID().term). */
  lastTerm(): Term {
    return this.lastEntryID().term;
  }

  /**
   * The term of entry i, for i in [firstIndex()-1, lastIndex()]. Throws errCompacted below that
   * range and errUnavailable above it; any other storage error propagates.
   */
  term(i: LogIndex): Term {
    // The unstable log is checked first: a hit there is always in range, and needs no storage read.
    const unstableTerm = this.unstable.knownTerm(i);
    if (unstableTerm !== undefined) return unstableTerm;
    // The entry before firstIndex is compacted, but its term is kept for matching appends.
    if (i + 1 < this.firstIndex()) throw errCompacted;
    if (i > this.lastIndex()) throw errUnavailable;
    return this.storage.term(i);
  }

  /**
   * term(i), or undefined where term() would throw errCompacted or errUnavailable for the range
   * check: the same reads in the same order, without an exception for the common "out of
   * bounds" answer (lagging followers and probes hit it on every append). Errors from the
   * storage itself still propagate.
   */
  private termInBounds(i: LogIndex): Term | undefined {
    const unstableTerm = this.unstable.knownTerm(i);
    if (unstableTerm !== undefined) return unstableTerm;
    if (i + 1 < this.firstIndex()) return undefined;
    if (i > this.lastIndex()) return undefined;
    return this.storage.term(i);
  }

  /** Entries from i to the end, at most maxSize bytes (at least one). Throws errCompacted. */
  entries(i: LogIndex, maxSize: EntryEncodingSize): Entry[] {
    if (i > this.lastIndex()) return [];
    return this.slice(i, this.lastIndex() + 1, maxSize);
  }

  /** Every entry in the log. */
  allEntries(): Entry[] {
    for (;;) {
      try {
        return this.entries(this.firstIndex(), noLimit);
      } catch (error) {
        // A compaction raced with the read: read again from the new first index.
        if (error !== errCompacted) throw error;
      }
    }
  }

  /**
   * Whether a log ending at `their` is at least as up to date as ours (Raft paper 5.4.1): a
   * later last term wins; with equal last terms, the longer log wins; equal logs count as up to date.
   */
  isUpToDate(their: EntryID): boolean {
    const our = this.lastEntryID();
    return their.term > our.term || (their.term === our.term && their.index >= our.index);
  }

  /** Whether our log has the entry `id` (false when compacted or missing). */
  matchTerm(id: EntryID): boolean {
    try {
      const term = this.termInBounds(id.index);
      return term !== undefined && term === id.term;
    } catch (error) {
      if (isOutOfBounds(error)) return false;
      throw error;
    }
  }

  /**
   * Commits up to `at` if our log holds that entry and it is from a real term: a leader only
   * commits entries of its own term by counting replicas (Raft paper 5.4.2).
   */
  maybeCommit(at: EntryID): boolean {
    // A leader campaigned at least at term 1; term 0 is never a match.
    if (at.term !== 0 && at.index > this.committed && this.matchTerm(at)) {
      this.commitTo(at.index);
      return true;
    }
    if (this.bugFigure8 && at.index > this.committed && at.index <= this.lastIndex()) {
      // The Figure 8 mistake: counting replicas of an earlier term's entry as commitment.
      this.commitTo(at.index);
      return true;
    }
    return false;
  }

  /** Replaces the log with the snapshot, which becomes committed. */
  restore(snapshot: Snapshot): void {
    this.logger.info(
      `log [${this.string()}] starts to restore snapshot ` +
        `[index: ${snapshot.metadata.index}, term: ${snapshot.metadata.term}]`,
    );
    this.committed = snapshot.metadata.index;
    this.unstable.restore(snapshot);
  }

  /**
   * Hands the entries in [lo, hi) to `visit` in consecutive pages of about pageSize bytes (more
   * when one entry is larger). The entries must exist. To stop early, `visit` throws; the error
   * propagates (etcd returns it; callers catch their own break sentinel).
   */
  scan(
    lo: LogIndex,
    hi: LogIndex,
    pageSize: EntryEncodingSize,
    visit: (entries: Entry[]) => void,
  ): void {
    while (lo < hi) {
      const entries = this.slice(lo, hi, pageSize);
      if (entries.length === 0) throw new RaftError(`got 0 entries in [${lo}, ${hi})`);
      visit(entries);
      lo += entries.length;
    }
  }

  /**
   * The entries in [lo, hi), at most maxSize bytes but at least one entry when lo < hi.
   * Throws errCompacted if lo is compacted; panics if hi is past the last index.
   */
  slice(lo: LogIndex, hi: LogIndex, maxSize: EntryEncodingSize): Entry[] {
    this.mustCheckOutOfBounds(lo, hi);
    if (lo === hi) return [];
    if (lo >= this.unstable.offset) {
      return limitSize(this.unstable.slice(lo, hi), maxSize);
    }
    const cut = Math.min(hi, this.unstable.offset);
    const stored = this.storageEntries(lo, cut, maxSize);
    if (hi <= this.unstable.offset) return stored;
    // Storage returned fewer entries than asked: the next one would break the size limit.
    if (stored.length < cut - lo) return stored;
    const size = entsSize(stored);
    if (size >= maxSize) return stored;
    const unstable = limitSize(this.unstable.slice(this.unstable.offset, hi), maxSize - size);
    // limitSize keeps one entry even when it is too large; here that entry is left out.
    if (unstable.length === 1 && size + entsSize(unstable) > maxSize) return stored;
    return extend(stored, unstable);
  }

  private storageEntries(lo: LogIndex, hi: LogIndex, maxSize: EntryEncodingSize): Entry[] {
    try {
      return this.storage.entries(lo, hi, maxSize);
    } catch (error) {
      if (error === errUnavailable) {
        return this.logger.panic(`entries[${lo}:${hi}) is unavailable from storage`);
      }
      throw error;
    }
  }

  /**
   * Checks firstIndex <= lo <= hi <= lastIndex + 1: throws errCompacted when lo is compacted,
   * panics on any other violation.
   */
  mustCheckOutOfBounds(lo: LogIndex, hi: LogIndex): void {
    if (lo > hi) this.logger.panic(`invalid slice ${lo} > ${hi}`);
    const firstIndex = this.firstIndex();
    if (lo < firstIndex) throw errCompacted;
    const length = this.lastIndex() + 1 - firstIndex;
    if (hi > firstIndex + length) {
      this.logger.panic(`slice[${lo},${hi}) out of bound [${firstIndex},${this.lastIndex()}]`);
    }
  }

  /**
   * The term of entry i, or 0 when it is compacted or missing; any other error panics. etcd
   * writes zeroTermOnOutOfBounds(l.term(i)); since term() throws here, this takes the index.
   */
  zeroTermOnOutOfBounds(i: LogIndex): Term {
    try {
      return this.termInBounds(i) ?? 0;
    } catch (error) {
      if (isOutOfBounds(error)) return 0;
      const text = error instanceof Error ? error.message : String(error);
      return this.logger.panic(`unexpected error (${text})`);
    }
  }
}

/** A log over `storage` with no limit on the bytes of committed entries handed out at once. */
export function newLog(storage: Storage, logger: Logger): RaftLog {
  return newLogWithSize(storage, logger, noLimit);
}

/** A log over `storage`, handing out at most maxApplyingEntsSize bytes of unapplied entries. */
export function newLogWithSize(
  storage: Storage,
  logger: Logger,
  maxApplyingEntsSize: EntryEncodingSize,
): RaftLog {
  return new RaftLog(storage, logger, maxApplyingEntsSize);
}
