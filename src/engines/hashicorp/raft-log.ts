// The engine's view of its log: the entries the log store holds (a contiguous run, possibly empty)
// and the last snapshot's index and term. As in hashicorp/raft, the last index and term are the
// later of the last entry and the last snapshot.
import { RaftPanic } from '../../raft/logger';
import type { LogEntry } from './types';

export class RaftLog {
  // Invariant: entries[i].index === firstIndex + i, and terms never decrease along the log.
  private entries: LogEntry[] = [];
  private first = 1;
  lastSnapshotIndex = 0;
  lastSnapshotTerm = 0;

  static from(entries: readonly LogEntry[], snapshot: { index: number; term: number }): RaftLog {
    const log = new RaftLog();
    log.lastSnapshotIndex = snapshot.index;
    log.lastSnapshotTerm = snapshot.term;
    if (entries.length > 0) {
      log.first = entries[0].index;
      log.append(entries);
    } else {
      log.first = snapshot.index + 1;
    }
    return log;
  }

  /** The first index the log store holds, or 0 when it holds none (hashicorp's FirstIndex). */
  get firstStoredIndex(): number {
    return this.entries.length === 0 ? 0 : this.first;
  }

  /** The last index the log store holds, or 0 when it holds none. */
  get lastStoredIndex(): number {
    return this.entries.length === 0 ? 0 : this.first + this.entries.length - 1;
  }

  get length(): number {
    return this.entries.length;
  }

  /** The last index in the log or the snapshot (hashicorp's getLastIndex). */
  lastIndex(): number {
    return Math.max(this.lastStoredIndex, this.lastSnapshotIndex);
  }

  /** The last index and term of the log or the snapshot, whichever is later (getLastEntry). */
  lastEntry(): { index: number; term: number } {
    const last = this.entries[this.entries.length - 1];
    if (last !== undefined && last.index >= this.lastSnapshotIndex) return { index: last.index, term: last.term };
    return { index: this.lastSnapshotIndex, term: this.lastSnapshotTerm };
  }

  /** The entry at `index`, or undefined when the log store does not hold it (ErrLogNotFound). */
  get(index: number): LogEntry | undefined {
    if (this.entries.length === 0 || index < this.first) return undefined;
    return this.entries[index - this.first];
  }

  /** Entries from `from` through `to` (inclusive), or undefined if any is missing. */
  slice(from: number, to: number): LogEntry[] | undefined {
    if (to < from) return [];
    if (this.get(from) === undefined || this.get(to) === undefined) return undefined;
    return this.entries.slice(from - this.first, to - this.first + 1);
  }

  /** Appends entries that continue the log. */
  append(entries: readonly LogEntry[]): void {
    for (const entry of entries) {
      const expected = this.entries.length === 0 ? this.first : this.lastStoredIndex + 1;
      if (this.entries.length === 0 && entry.index > this.lastSnapshotIndex) this.first = entry.index;
      else if (entry.index !== expected) throw new RaftPanic(`log append of index ${entry.index}, expected ${expected}`);
      const previous = this.entries[this.entries.length - 1];
      if (previous !== undefined && previous.term > entry.term) {
        throw new RaftPanic(`log append of term ${entry.term} after term ${previous.term} at index ${entry.index}`);
      }
      this.entries.push(entry);
    }
  }

  /** Removes the entries at `index` and after (a conflicting suffix). */
  deleteFrom(index: number): void {
    if (this.entries.length === 0 || index > this.lastStoredIndex) return;
    this.entries.length = Math.max(0, index - this.first);
  }

  /** Removes the entries up to and including `index` (compaction behind a snapshot). */
  deleteThrough(index: number): void {
    if (this.entries.length === 0 || index < this.first) return;
    const drop = Math.min(this.entries.length, index - this.first + 1);
    this.entries.splice(0, drop);
    this.first = index + 1;
  }

  /** Every entry held. */
  all(): readonly LogEntry[] {
    return this.entries;
  }
}
