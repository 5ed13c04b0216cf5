// The leader's commit tracking (hashicorp's commitment): the match index of every voter in the
// latest configuration; the commit index is the highest index a quorum holds, but never below
// startIndex, the leader's first entry of its term (Raft 5.4.2: only current-term entries commit
// by counting replicas).
import { voterIds } from './configuration';
import type { Configuration, ServerId } from './types';

export class Commitment {
  private matchIndexes = new Map<ServerId, number>();
  private commitIndex = 0;

  constructor(
    configuration: Configuration,
    /** The first index that may be committed in this term. */
    readonly startIndex: number,
    /** The figure8 bug (bugs.ts): earlier terms' entries commit by counting replicas too. */
    private readonly countEarlierTerms = false,
  ) {
    this.setConfiguration(configuration);
  }

  /** Keeps the match indexes of voters that stay; new voters start at 0. */
  setConfiguration(configuration: Configuration): void {
    const next = new Map<ServerId, number>();
    for (const id of voterIds(configuration)) next.set(id, this.matchIndexes.get(id) ?? 0);
    this.matchIndexes = next;
    this.recalculate();
  }

  getCommitIndex(): number {
    return this.commitIndex;
  }

  matchIndex(id: ServerId): number {
    return this.matchIndexes.get(id) ?? 0;
  }

  /** A server holds the log through `index`; returns whether the commit index moved. */
  match(id: ServerId, index: number): boolean {
    const previous = this.matchIndexes.get(id);
    if (previous === undefined || index <= previous) return false;
    this.matchIndexes.set(id, index);
    return this.recalculate();
  }

  private recalculate(): boolean {
    if (this.matchIndexes.size === 0) return false;
    const matched = [...this.matchIndexes.values()].sort((a, b) => a - b);
    const quorumMatchIndex = matched[Math.floor((matched.length - 1) / 2)];
    if (quorumMatchIndex > this.commitIndex && (quorumMatchIndex >= this.startIndex || this.countEarlierTerms)) {
      this.commitIndex = quorumMatchIndex;
      return true;
    }
    return false;
  }
}
