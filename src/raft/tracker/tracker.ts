// etcd's tracker.Config and tracker.ProgressTracker: the active configuration and what the
// leader knows about each member of it.
import { JointConfig, MajorityConfig, VoteResult, type AckedIndexer } from '../quorum';
import { sortedIds } from '../quorum/majority';
import type { ConfState, LogIndex, NodeId } from '../types';
import { Progress, ProgressMap } from './progress';

export { Progress, ProgressMap } from './progress';

/** The configuration a ProgressTracker tracks. */
export class TrackerConfig {
  constructor(
    /** The voters: the incoming config and, during joint consensus, the outgoing one. */
    public voters: JointConfig = new JointConfig(),
    /**
     * Whether Raft leaves the joint configuration by itself once it may.
     * Invariant: false when the config is not joint.
     */
    public autoLeave: boolean = false,
    /**
     * The learners; null stands for etcd's nil map (it decides whether String prints them).
     * Invariant: no learner is a voter in either half of the joint config.
     */
    public learners: Set<NodeId> | null = null,
    /**
     * Voters of the outgoing config that become learners when the joint config is left (a
     * demoted voter cannot be voter and learner at once). Null outside joint consensus.
     * Invariant: every id here is in voters.outgoing.
     */
    public learnersNext: Set<NodeId> | null = null,
  ) {}

  /** etcd's String: "voters=(1 2 3)&&(1) learners=(4) learners_next=(5) autoleave". */
  string(): string {
    let text = `voters=${this.voters.string()}`;
    if (this.learners !== null) text += ` learners=${new MajorityConfig(this.learners).string()}`;
    if (this.learnersNext !== null) {
      text += ` learners_next=${new MajorityConfig(this.learnersNext).string()}`;
    }
    if (this.autoLeave) text += ' autoleave';
    return text;
  }

  /**
   * A copy sharing no memory with this config. Like etcd's Clone it does not carry autoLeave
   * over: the Changer sets it explicitly on every transition.
   */
  clone(): TrackerConfig {
    return new TrackerConfig(
      this.voters.clone(),
      false,
      this.learners === null ? null : new Set(this.learners),
      this.learnersNext === null ? null : new Set(this.learnersNext),
    );
  }

  /** A copy that also keeps autoLeave (for status reports and views). */
  copy(): TrackerConfig {
    const copy = this.clone();
    copy.autoLeave = this.autoLeave;
    return copy;
  }
}

/** Reads each voter's match index from the progress map. */
class MatchAckIndexer implements AckedIndexer {
  constructor(private readonly progress: ReadonlyMap<NodeId, Progress>) {}

  ackedIndex(id: NodeId): LogIndex | undefined {
    return this.progress.get(id)?.match;
  }
}

export interface VoteTally {
  granted: number;
  rejected: number;
  result: VoteResult;
}

/**
 * The active configuration and, for every voter and learner in it, the leader's view of its
 * log (Progress), plus the votes of the current election.
 */
export class ProgressTracker {
  config = new TrackerConfig();
  progress = new ProgressMap();
  votes = new Map<NodeId, boolean>();

  /**
   * @param maxInflight the inflights window of each new Progress, in messages.
   * @param maxInflightBytes the inflights window in bytes; 0 for no limit.
   */
  constructor(
    public maxInflight: number,
    public maxInflightBytes: number,
  ) {}

  /** The active configuration as a ConfState, every list in ascending order. */
  confState(): ConfState {
    return {
      voters: this.config.voters.incoming.slice(),
      votersOutgoing: this.config.voters.outgoing.slice(),
      learners: sortedIds(this.config.learners ?? []),
      learnersNext: sortedIds(this.config.learnersNext ?? []),
      autoLeave: this.config.autoLeave,
    };
  }

  /** True when the only voter is one node and the config is not joint. */
  isSingleton(): boolean {
    return this.config.voters.incoming.size === 1 && this.config.voters.outgoing.size === 0;
  }

  /** The largest index the voters have acknowledged as a quorum. */
  committed(): LogIndex {
    return this.config.voters.committedIndex(new MatchAckIndexer(this.progress));
  }

  /** Calls `f` for every tracked progress, in ascending id order. */
  visit(f: (id: NodeId, progress: Progress) => void): void {
    // The cached array is never modified, only replaced when the keys change, so iterating it is
    // safe even when f adds or removes progress entries.
    const ids = this.progress.sortedIds();
    for (let i = 0; i < ids.length; i++) {
      const progress = this.progress.get(ids[i]);
      if (progress !== undefined) f(ids[i], progress);
    }
  }

  /** Whether a quorum of voters has been recently active, as the leader sees it. */
  quorumActive(): boolean {
    const votes = new Map<NodeId, boolean>();
    this.visit((id, progress) => {
      if (!progress.isLearner) votes.set(id, progress.recentActive);
    });
    return this.config.voters.voteResult(votes) === VoteResult.VoteWon;
  }

  /** The voters of both halves, ascending. */
  voterNodes(): NodeId[] {
    return Array.from(this.config.voters.ids());
  }

  /** The learners, ascending (empty when there are none). */
  learnerNodes(): NodeId[] {
    return sortedIds(this.config.learners ?? []);
  }

  /** Starts a new round of vote counting. */
  resetVotes(): void {
    this.votes = new Map();
  }

  /** Records `id`'s vote; only the first vote of each node counts. */
  recordVote(id: NodeId, granted: boolean): void {
    if (!this.votes.has(id)) this.votes.set(id, granted);
  }

  /**
   * The granted and rejected votes of current voters (informational) and the election's
   * outcome so far.
   */
  tallyVotes(): VoteTally {
    let granted = 0;
    let rejected = 0;
    for (const [id, progress] of this.progress) {
      if (progress.isLearner) continue;
      const vote = this.votes.get(id);
      if (vote === undefined) continue;
      if (vote) granted++;
      else rejected++;
    }
    return { granted, rejected, result: this.config.voters.voteResult(this.votes) };
  }
}
