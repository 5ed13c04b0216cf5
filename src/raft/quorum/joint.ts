// etcd's JointConfig: two majority configs that must both agree (joint consensus, thesis 4.3).
import type { NodeId } from '../types';
import { MajorityConfig, sortedIds } from './majority';
import { VoteResult, type AckedIndexer, type Index } from './quorum';

/**
 * The incoming and the outgoing majority config. Outside joint consensus the outgoing config is
 * empty (etcd keeps it nil; here "empty" and "absent" are the same thing).
 */
export class JointConfig {
  constructor(
    public incoming: MajorityConfig = new MajorityConfig(),
    public outgoing: MajorityConfig = new MajorityConfig(),
  ) {}

  /** etcd's Voters[0]. */
  get 0(): MajorityConfig {
    return this.incoming;
  }

  /** etcd's Voters[1]. */
  get 1(): MajorityConfig {
    return this.outgoing;
  }

  /** True while the outgoing config is in use, i.e. during joint consensus. */
  isJoint(): boolean {
    return this.outgoing.size > 0;
  }

  /** etcd's String: "(1 2 3)" or, when joint, "(1 2 3)&&(1 2)". */
  string(): string {
    if (this.outgoing.size > 0) return `${this.incoming.string()}&&${this.outgoing.string()}`;
    return this.incoming.string();
  }

  /**
   * The voters of both halves (etcd's IDs), as a new set that iterates in ascending id order,
   * so callers that loop over it (campaigning, for one) send in etcd's order.
   */
  ids(): MajorityConfig {
    return new MajorityConfig(sortedIds(new Set([...this.incoming, ...this.outgoing])));
  }

  clone(): JointConfig {
    return new JointConfig(this.incoming.clone(), this.outgoing.clone());
  }

  /** The picture of etcd's Describe over the union of both halves. */
  describe(l: AckedIndexer): string {
    return this.ids().describe(l);
  }

  /** The largest index committed in both halves. */
  committedIndex(l: AckedIndexer): Index {
    return Math.min(this.incoming.committedIndex(l), this.outgoing.committedIndex(l));
  }

  /** Won when both halves won, lost when either lost, pending otherwise. */
  voteResult(votes: ReadonlyMap<NodeId, boolean>): VoteResult {
    const incoming = this.incoming.voteResult(votes);
    const outgoing = this.outgoing.voteResult(votes);
    if (incoming === outgoing) return incoming;
    if (incoming === VoteResult.VoteLost || outgoing === VoteResult.VoteLost) {
      return VoteResult.VoteLost;
    }
    return VoteResult.VotePending;
  }
}
