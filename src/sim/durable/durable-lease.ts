// Lease reads for durable nodes (`raftlab run --durable --reads lease`), clock-bounded as the
// in-memory nodes' (src/sim/process/kv-node.ts): a leader that saw a quorum confirm its leadership
// after local time t (a read that went through ReadIndex, or through the log on the HashiCorp
// host, and completed in its term) may answer reads from its own state until t plus the lease,
// measured on its own drifting clock. The lease, leaseDurationMs, ends before any follower that
// confirmed could vote for another leader, as long as no clock drifts beyond the bound. It lives
// on the simulator's side of the node (the host's status carries the applied state it reads),
// so it is the same for both engines.
//
// The lease-no-clock-bound bug answers on leadership alone, with no lease clock at all.
import type { LogIndex, Term } from '../../raft/types';
import { leaseDurationMs } from '../process/kv-node';

/** Renewals waiting for their read to complete; the oldest are dropped beyond this. */
export const leaseRenewalsMax = 4_096;

export interface LeaseView {
  leader: boolean;
  term: Term;
  commit: LogIndex;
  applied: LogIndex;
  /** The term of the entry at the commit index (undefined when unknown). */
  commitTerm: Term | undefined;
}

export class DurableLease {
  private readonly renewals = new Map<number, { atMs: number; term: Term }>();
  private term: Term = 0;
  private startMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly options: { tickMs: number; electionTicks: number; bounded: boolean },
  ) {}

  /** A read goes to the host at local time `atMs`: if it completes, it renews the lease. */
  issued(requestId: number, atMs: number, term: Term): void {
    if (this.renewals.size >= leaseRenewalsMax) {
      const oldest = this.renewals.keys().next().value;
      if (oldest !== undefined) this.renewals.delete(oldest);
    }
    this.renewals.set(requestId, { atMs, term });
  }

  /** The host answered the read `requestId` successfully while leading in `term`. */
  completed(requestId: number, term: Term): void {
    const renewal = this.renewals.get(requestId);
    if (renewal === undefined) return;
    this.renewals.delete(requestId);
    if (renewal.term !== term) return;
    if (renewal.term !== this.term || renewal.atMs > this.startMs) {
      this.term = renewal.term;
      this.startMs = renewal.atMs;
    }
  }

  /** The node went down: a lease never outlives its process. */
  forget(): void {
    this.renewals.clear();
    this.term = 0;
    this.startMs = Number.NEGATIVE_INFINITY;
  }

  /**
   * Whether the node may answer a read from its applied state now (local time `nowMs`): it leads,
   * committed an entry of its term, applied everything committed, and (unless the bug is on) its
   * lease still runs.
   */
  held(view: LeaseView, nowMs: number): boolean {
    if (!view.leader || view.commitTerm !== view.term || view.applied !== view.commit) return false;
    if (!this.options.bounded) return true;
    if (this.term !== view.term) return false;
    return nowMs - this.startMs < leaseDurationMs(this.options.tickMs, this.options.electionTicks);
  }
}
