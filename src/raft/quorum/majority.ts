// etcd's MajorityConfig: a set of voters that decides by simple majority.
import type { NodeId } from '../types';
import { indexMax, VoteResult, type AckedIndexer, type Index } from './quorum';

/** Configurations up to this size compute the committed index without allocating. */
const scratchVotersMax = 7;
const scratch = new Float64Array(scratchVotersMax);

/**
 * A set of voter ids that uses majority quorums to make decisions. It is a Set, so membership
 * is `has/add/delete/size`; everything whose result depends on order (strings, slices)
 * iterates in ascending id order, as etcd sorts.
 */
export class MajorityConfig extends Set<NodeId> {
  /** etcd's String: the sorted ids in parentheses, e.g. "(1 2 3)". */
  string(): string {
    return `(${this.slice().join(' ')})`;
  }

  /** Array-style alias of has(), for callers that treat the ids as a list. */
  includes(id: NodeId): boolean {
    return this.has(id);
  }

  /** The ids in ascending order (etcd's Slice). */
  slice(): NodeId[] {
    return sortedIds(this);
  }

  /** A copy that shares nothing with this config. */
  clone(): MajorityConfig {
    return new MajorityConfig(this);
  }

  /**
   * A multi-line picture of the acknowledged indexes (etcd's Describe): per voter, a bar as long
   * as the number of voters with a strictly smaller index, "?" for an unknown voter.
   */
  describe(l: AckedIndexer): string {
    if (this.size === 0) return '<empty majority quorum>';
    const n = this.size;
    const info = this.slice().map((id) => {
      const acked = l.ackedIndex(id);
      return { id, index: acked ?? 0, ok: acked !== undefined, bar: 0 };
    });
    const byIndex = [...info].sort((a, b) => a.index - b.index || a.id - b.id);
    for (let i = 1; i < byIndex.length; i++) {
      if (byIndex[i - 1].index < byIndex[i].index) byIndex[i].bar = i;
    }
    let text = ' '.repeat(n) + '    idx\n';
    for (const row of info) {
      const bar = row.ok
        ? 'x'.repeat(row.bar) + '>' + ' '.repeat(n - row.bar)
        : '?' + ' '.repeat(n);
      text += `${bar} ${String(row.index).padStart(5)}    (id=${row.id})\n`;
    }
    return text;
  }

  /**
   * The highest index acknowledged by a majority (etcd's CommittedIndex). Voters that have not
   * reported count as 0. The empty config returns indexMax so that it never holds back the
   * other half of a joint config.
   */
  committedIndex(l: AckedIndexer): Index {
    const n = this.size;
    if (n === 0) return indexMax;
    const acked = n <= scratchVotersMax ? scratch : new Float64Array(n);
    // Unreported voters stay 0 at the front, where sorting would put them anyway.
    let position = n - 1;
    for (let i = 0; i <= position; i++) acked[i] = 0;
    for (const id of this) {
      const index = l.ackedIndex(id);
      if (index !== undefined) acked[position--] = index;
    }
    sortPrefix(acked, n);
    // The largest index that n/2+1 voters have reached sits n/2+1 places from the end.
    return acked[n - (Math.floor(n / 2) + 1)];
  }

  /**
   * The outcome of an election given the votes cast so far (etcd's VoteResult). The empty
   * config wins by convention, so that a half-populated joint config acts as a majority.
   */
  voteResult(votes: ReadonlyMap<NodeId, boolean>): VoteResult {
    if (this.size === 0) return VoteResult.VoteWon;
    let granted = 0;
    let missing = 0;
    for (const id of this) {
      const vote = votes.get(id);
      if (vote === undefined) missing++;
      else if (vote) granted++;
    }
    const quorum = Math.floor(this.size / 2) + 1;
    if (granted >= quorum) return VoteResult.VoteWon;
    if (granted + missing >= quorum) return VoteResult.VotePending;
    return VoteResult.VoteLost;
  }
}

/** The ids of a set in ascending order. */
export function sortedIds(ids: Iterable<NodeId>): NodeId[] {
  return Array.from(ids).sort((a, b) => a - b);
}

/** Sorts the first n values in place: insertion sort, as n is almost always tiny. */
function sortPrefix(values: Float64Array, n: number): void {
  if (n > scratchVotersMax) {
    values.subarray(0, n).sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const value = values[i];
    let j = i - 1;
    while (j >= 0 && values[j] > value) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = value;
  }
}
