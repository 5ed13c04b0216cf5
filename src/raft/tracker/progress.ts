// etcd's tracker.Progress (release-3.6): the leader's view of one follower's log, and the
// flow-control state that decides when to send it appends.
import { RaftPanic } from '../logger';
import type { LogIndex, NodeId } from '../types';
import { Inflights } from './inflights';
import { ProgressState, progressStateString } from './state';

/** The fields a Progress may be created with; the rest take etcd's zero values. */
export interface ProgressInit {
  inflights: Inflights;
  match?: LogIndex;
  next?: LogIndex;
  state?: ProgressState;
  pendingSnapshot?: LogIndex;
  recentActive?: boolean;
  msgAppFlowPaused?: boolean;
  isLearner?: boolean;
  sentCommit?: LogIndex;
}

export class Progress {
  /** The highest index known to match the leader's log. */
  match: LogIndex;
  /**
   * The next index to send. Entries in (match, next) are in flight.
   * Invariant: 0 <= match < next. In StateSnapshot, next == pendingSnapshot + 1.
   */
  next: LogIndex;
  /**
   * The highest commit index sent to the follower (etcd's unexported sentCommit; the method
   * sentCommit() updates it). Usually monotonic; it regresses when next does.
   * In StateSnapshot, sentCommitIndex == pendingSnapshot == next - 1.
   */
  sentCommitIndex: LogIndex;
  /** How the leader talks to this follower: probe, replicate or snapshot. */
  state: ProgressState;
  /** In StateSnapshot, the index of the snapshot being sent; 0 otherwise. */
  pendingSnapshot: LogIndex;
  /** Whether the follower was heard from recently; reset by CheckQuorum. */
  recentActive: boolean;
  /**
   * Throttles appends: set after a probe (StateProbe) or when the inflights window is full
   * (StateReplicate); cleared by a heartbeat response or an acknowledgement.
   */
  msgAppFlowPaused: boolean;
  /** The window of appends in flight. */
  inflights: Inflights;
  /** Whether this progress tracks a learner. */
  isLearner: boolean;

  constructor(init: ProgressInit) {
    this.match = init.match ?? 0;
    this.next = init.next ?? 0;
    this.sentCommitIndex = init.sentCommit ?? 0;
    this.state = init.state ?? ProgressState.StateProbe;
    this.pendingSnapshot = init.pendingSnapshot ?? 0;
    this.recentActive = init.recentActive ?? false;
    this.msgAppFlowPaused = init.msgAppFlowPaused ?? false;
    this.inflights = init.inflights;
    this.isLearner = init.isLearner ?? false;
  }

  /** A copy with its own Inflights (etcd's `p := *pr; p.Inflights = pr.Inflights.Clone()`). */
  clone(): Progress {
    const copy = this.shallowCopy();
    copy.inflights = this.inflights.clone();
    return copy;
  }

  /** A copy of the fields that shares the Inflights (etcd's `ppr := *pr`). */
  shallowCopy(): Progress {
    return new Progress({
      match: this.match,
      next: this.next,
      sentCommit: this.sentCommitIndex,
      state: this.state,
      pendingSnapshot: this.pendingSnapshot,
      recentActive: this.recentActive,
      msgAppFlowPaused: this.msgAppFlowPaused,
      inflights: this.inflights,
      isLearner: this.isLearner,
    });
  }

  /** Moves to `state`, unpausing, clearing the pending snapshot and the inflights window. */
  resetState(state: ProgressState): void {
    this.msgAppFlowPaused = false;
    this.pendingSnapshot = 0;
    this.state = state;
    this.inflights.reset();
  }

  /**
   * Moves to StateProbe. Next restarts after match or, coming from StateSnapshot, after the
   * snapshot, which the follower is known to have received.
   */
  becomeProbe(): void {
    if (this.state === ProgressState.StateSnapshot) {
      const pendingSnapshot = this.pendingSnapshot;
      this.resetState(ProgressState.StateProbe);
      this.next = Math.max(this.match + 1, pendingSnapshot + 1);
    } else {
      this.resetState(ProgressState.StateProbe);
      this.next = this.match + 1;
    }
    this.sentCommitIndex = Math.min(this.sentCommitIndex, this.next - 1);
  }

  /** Moves to StateReplicate with next just after match. */
  becomeReplicate(): void {
    this.resetState(ProgressState.StateReplicate);
    this.next = this.match + 1;
  }

  /** Moves to StateSnapshot, waiting for the snapshot at `snapshotIndex`. */
  becomeSnapshot(snapshotIndex: LogIndex): void {
    this.resetState(ProgressState.StateSnapshot);
    this.pendingSnapshot = snapshotIndex;
    this.next = snapshotIndex + 1;
    this.sentCommitIndex = snapshotIndex;
    this.assertInvariants();
  }

  /**
   * Records a MsgApp carrying `entries` entries (of `bytes` payload bytes) from index next.
   * Only valid in StateProbe and StateReplicate.
   */
  sentEntries(entries: number, bytes: number): void {
    switch (this.state) {
      case ProgressState.StateReplicate:
        if (entries > 0) {
          this.next += entries;
          this.inflights.add(this.next - 1, bytes);
        }
        // A message that fills the window (or was sent to a full one) acts as a probe.
        this.msgAppFlowPaused = this.inflights.full();
        break;
      case ProgressState.StateProbe:
        // etcd pauses only after a non-empty probe; kept as is for identical behaviour.
        if (entries > 0) this.msgAppFlowPaused = true;
        break;
      default:
        throw new RaftPanic(`sending append in unhandled state ${progressStateString(this.state)}`);
    }
  }

  /** Whether sending commit index `index` could still advance the follower's commit index. */
  canBumpCommit(index: LogIndex): boolean {
    // A commit index beyond next-1 cannot be applied by the follower yet, so once next-1 has
    // been sent there is nothing more to gain.
    return index > this.sentCommitIndex && this.sentCommitIndex < this.next - 1;
  }

  /** Records that commit index `commit` was sent to the follower. */
  sentCommit(commit: LogIndex): void {
    this.sentCommitIndex = commit;
  }

  /**
   * Handles an acknowledgement of index `n` (an MsgAppResp). Returns false when it is stale
   * (not beyond match); otherwise moves match (and next if needed) and unpauses.
   */
  maybeUpdate(n: LogIndex): boolean {
    if (n <= this.match) return false;
    this.match = n;
    this.next = Math.max(this.next, n + 1);
    this.msgAppFlowPaused = false;
    return true;
  }

  /**
   * Handles a rejection of the append at index `rejected`, with the follower's hint
   * `matchHint`. Returns false when the rejection is stale; otherwise lowers next and unpauses.
   */
  maybeDecrTo(rejected: LogIndex, matchHint: LogIndex): boolean {
    if (this.state === ProgressState.StateReplicate) {
      // Already matched beyond the rejected index: the rejection is stale.
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      this.sentCommitIndex = Math.min(this.sentCommitIndex, this.next - 1);
      return true;
    }
    // Outside StateReplicate one append is probed at a time, at next-1; any other rejection is
    // an old or reordered one.
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1);
    this.sentCommitIndex = Math.min(this.sentCommitIndex, this.next - 1);
    this.msgAppFlowPaused = false;
    return true;
  }

  /**
   * Whether appends to this follower are throttled: paused after a probe or a full window, or
   * waiting for a snapshot.
   */
  isPaused(): boolean {
    switch (this.state) {
      case ProgressState.StateProbe:
      case ProgressState.StateReplicate:
        return this.msgAppFlowPaused;
      case ProgressState.StateSnapshot:
        return true;
      default:
        throw new RaftPanic('unexpected state');
    }
  }

  /** etcd's String, e.g. "StateReplicate match=11 next=15 paused inflight=3[full]". */
  string(): string {
    let text = `${progressStateString(this.state)} match=${this.match} next=${this.next}`;
    if (this.isLearner) text += ' learner';
    if (this.isPaused()) text += ' paused';
    if (this.pendingSnapshot > 0) text += ` pendingSnap=${this.pendingSnapshot}`;
    if (!this.recentActive) text += ' inactive';
    const inflight = this.inflights.count();
    if (inflight > 0) {
      text += ` inflight=${inflight}`;
      if (this.inflights.full()) text += '[full]';
    }
    return text;
  }

  /** Throws when match < next does not hold. */
  assertInvariants(): void {
    if (!(this.match >= 0 && this.match < this.next)) {
      throw new RaftPanic(`progress invariant broken: match=${this.match} next=${this.next}`);
    }
  }
}

/** etcd's ProgressMap: the progress of every tracked voter and learner, by id. */
export class ProgressMap extends Map<NodeId, Progress> {
  /** The keys in ascending order, or null until asked for after a change of keys. */
  private sortedKeys: NodeId[] | null = null;

  override set(id: NodeId, progress: Progress): this {
    if (this.sortedKeys !== null && !this.has(id)) this.sortedKeys = null;
    return super.set(id, progress);
  }

  override delete(id: NodeId): boolean {
    this.sortedKeys = null;
    return super.delete(id);
  }

  override clear(): void {
    this.sortedKeys = null;
    super.clear();
  }

  /**
   * The ids in ascending order. The array is cached across calls (the leader visits its peers on
   * every append), so callers must not modify it.
   */
  sortedIds(): readonly NodeId[] {
    if (this.sortedKeys === null) this.sortedKeys = Array.from(this.keys()).sort((a, b) => a - b);
    return this.sortedKeys;
  }

  /** One "id: progress" line per entry, in ascending id order, each ending in a newline. */
  string(): string {
    let text = '';
    for (const id of this.sortedIds()) {
      text += `${id}: ${this.get(id)!.string()}\n`;
    }
    return text;
  }
}
