// The leader's replication to one follower (hashicorp's followerReplication with its replicate
// and heartbeat goroutines), as state advanced by calls instead of blocking loops:
// - Replication: one AppendEntries (or InstallSnapshot) in flight at a time. It is sent when
//   new entries were appended (triggered), when more remain after a response, or when the
//   randomized CommitTimeout passes with nothing else to send (so followers learn the commit
//   index). After a failure the next attempt waits a backoff that doubles per failure. A
//   rejection moves nextIndex back (to the follower's last index + 1 at most) and is retried at
//   once when the follower said noRetryBackoff. When the entry before nextIndex or any entry to
//   send is gone from the log, the latest snapshot is sent instead.
// - Heartbeats: an empty AppendEntries every HeartbeatTimeout/10 (randomized), apart from
//   replication, so a follower busy with a long append still hears from the leader.
// Any response refreshes lastContact, which the leader lease counts; a response with a newer
// term makes the leader step down.
import { backoffMs, failureWaitMs, maxFailureScale, randomTimeoutMs } from './raft-config';
import type { HashicorpRaft } from './raft';
import type { AppendEntriesRequest, AppendEntriesResponse, InstallSnapshotResponse, RpcResponse, Server } from './types';

interface InflightRpc {
  rpcId: number;
  deadlineMs: number;
}

interface InflightReplication extends InflightRpc {
  kind: 'append' | 'snapshot';
  term: number;
  /** The last entry sent (append), or the snapshot's index. */
  lastIndex: number;
  entries: number;
}

export interface ReplicationHooks {
  /** A follower holds the log through `index`. */
  match(id: number, index: number): void;
  /** A follower answered with a newer term. */
  staleTerm(from: number, term: number): void;
}

export class FollowerReplication {
  nextIndex: number;
  lastContactMs: number;
  failures = 0;
  /** Set when the follower was removed: replicate through this index once more, then stop. */
  stopAfterIndex: number | null = null;
  stopped = false;
  private replication: InflightReplication | null = null;
  private notBeforeMs = 0;
  private triggered = true;
  private commitTimerAtMs: number;
  private heartbeat: InflightRpc | null = null;
  private heartbeatFailures = 0;
  private nextHeartbeatAtMs: number;

  constructor(
    public peer: Server,
    private readonly raft: HashicorpRaft,
    private readonly hooks: ReplicationHooks,
    /** The leader's term when replication started. */
    private readonly currentTerm: number,
  ) {
    this.nextIndex = raft.log.lastIndex() + 1;
    this.lastContactMs = raft.nowMs;
    this.commitTimerAtMs = raft.nowMs + randomTimeoutMs(raft.random, raft.config.commitTimeoutMs);
    this.nextHeartbeatAtMs = raft.nowMs + this.heartbeatInterval();
  }

  /** New entries were appended to the leader's log. */
  trigger(): void {
    this.triggered = true;
  }

  /** Sends whatever is due now: a heartbeat, a replication RPC. Times out RPCs past their deadline. */
  drive(): void {
    if (this.stopped) return;
    const now = this.raft.nowMs;
    this.expire(now);
    if (this.stopped) return;
    if (this.stopAfterIndex === null && this.heartbeat === null && now >= this.nextHeartbeatAtMs) this.sendHeartbeat();
    if (this.replication !== null || now < this.notBeforeMs) return;
    if (!this.triggered && now < this.commitTimerAtMs) return;
    this.triggered = false;
    this.sendReplication();
  }

  /** Whether `rpcId` is this follower's heartbeat or replication RPC in flight. */
  isInflight(rpcId: number): boolean {
    return this.replication?.rpcId === rpcId || this.heartbeat?.rpcId === rpcId;
  }

  handleResponse(response: RpcResponse): void {
    if (this.heartbeat !== null && this.heartbeat.rpcId === response.rpcId) return this.heartbeatAnswered();
    const inflight = this.replication;
    if (inflight === null || inflight.rpcId !== response.rpcId) return;
    this.replication = null;
    if (response.type === 'AppendEntriesResponse') this.appendAnswered(inflight, response);
    else if (response.type === 'InstallSnapshotResponse') this.snapshotAnswered(inflight, response);
    this.afterReplication();
  }

  private expire(now: number): void {
    if (this.heartbeat !== null && now >= this.heartbeat.deadlineMs) {
      this.heartbeat = null;
      this.heartbeatFailures++;
      this.raft.logger.error(`${this.raft.id}: failed to heartbeat to ${this.peer.id}: timeout`);
      this.nextHeartbeatAtMs = now + backoffMs(failureWaitMs, this.heartbeatFailures, maxFailureScale) + this.heartbeatInterval();
    }
    if (this.replication !== null && now >= this.replication.deadlineMs) {
      const kind = this.replication.kind;
      this.replication = null;
      this.failures++;
      this.raft.logger.error(`${this.raft.id}: failed to ${kind === 'append' ? 'appendEntries' : 'install snapshot'} to ${this.peer.id}: timeout`);
      this.notBeforeMs = now + backoffMs(failureWaitMs, this.failures, maxFailureScale);
      this.commitTimerAtMs = now + randomTimeoutMs(this.raft.random, this.raft.config.commitTimeoutMs);
      if (this.stopAfterIndex !== null) this.stopped = true;
    }
  }

  private heartbeatInterval(): number {
    return randomTimeoutMs(this.raft.random, Math.max(1, Math.floor(this.raft.config.heartbeatTimeoutMs / 10)));
  }

  private sendHeartbeat(): void {
    const raft = this.raft;
    const rpcId = raft.newRpcId();
    this.heartbeat = { rpcId, deadlineMs: raft.nowMs + raft.config.rpcTimeoutMs };
    raft.out.send({
      type: 'AppendEntriesRequest',
      from: raft.id,
      to: this.peer.id,
      rpcId,
      term: this.currentTerm,
      leader: raft.id,
      prevLogEntry: 0,
      prevLogTerm: 0,
      entries: [],
      leaderCommitIndex: 0,
    });
  }

  private heartbeatAnswered(): void {
    // As hashicorp's heartbeat loop: any answer counts as contact; terms are replication's business.
    this.heartbeat = null;
    this.heartbeatFailures = 0;
    this.lastContactMs = this.raft.nowMs;
    this.nextHeartbeatAtMs = this.raft.nowMs + this.heartbeatInterval();
  }

  private sendReplication(): void {
    const request = this.setupAppendEntries();
    if (request === null) return this.sendLatestSnapshot();
    const raft = this.raft;
    const last = request.entries[request.entries.length - 1];
    this.replication = {
      rpcId: request.rpcId,
      deadlineMs: raft.nowMs + raft.config.rpcTimeoutMs,
      kind: 'append',
      term: request.term,
      lastIndex: last === undefined ? request.prevLogEntry : last.index,
      entries: request.entries.length,
    };
    raft.out.send(request);
  }

  /** The next AppendEntries, or null when an entry it needs is gone (ErrLogNotFound). */
  private setupAppendEntries(): AppendEntriesRequest | null {
    const log = this.raft.log;
    const nextIndex = this.nextIndex;
    let prevLogEntry = 0;
    let prevLogTerm = 0;
    if (nextIndex > 1 && nextIndex - 1 === log.lastSnapshotIndex) {
      prevLogEntry = log.lastSnapshotIndex;
      prevLogTerm = log.lastSnapshotTerm;
    } else if (nextIndex > 1) {
      const previous = log.get(nextIndex - 1);
      if (previous === undefined) return null;
      prevLogEntry = previous.index;
      prevLogTerm = previous.term;
    }
    const lastIndex = this.stopAfterIndex ?? log.lastIndex();
    const maxIndex = Math.min(nextIndex + this.raft.config.maxAppendEntries - 1, lastIndex);
    const entries = log.slice(nextIndex, maxIndex);
    if (entries === undefined) return null;
    return {
      type: 'AppendEntriesRequest',
      from: this.raft.id,
      to: this.peer.id,
      rpcId: this.raft.newRpcId(),
      term: this.currentTerm,
      leader: this.raft.id,
      prevLogEntry,
      prevLogTerm,
      entries: [...entries],
      leaderCommitIndex: this.raft.commitIndex,
    };
  }

  private sendLatestSnapshot(): void {
    const raft = this.raft;
    const snapshot = raft.latestSnapshot;
    if (snapshot === null) {
      raft.logger.error(`${raft.id}: failed to send snapshot to ${this.peer.id}: no snapshots found`);
      this.commitTimerAtMs = raft.nowMs + randomTimeoutMs(raft.random, raft.config.commitTimeoutMs);
      return;
    }
    const rpcId = raft.newRpcId();
    const { meta, data } = snapshot;
    this.replication = { rpcId, deadlineMs: raft.nowMs + raft.config.rpcTimeoutMs, kind: 'snapshot', term: this.currentTerm, lastIndex: meta.index, entries: 0 };
    raft.out.send({
      type: 'InstallSnapshotRequest',
      from: raft.id,
      to: this.peer.id,
      rpcId,
      term: this.currentTerm,
      leader: raft.id,
      lastLogIndex: meta.index,
      lastLogTerm: meta.term,
      configuration: meta.configuration,
      configurationIndex: meta.configurationIndex,
      size: meta.size,
      data,
    });
  }

  private appendAnswered(inflight: InflightReplication, response: AppendEntriesResponse): void {
    if (response.term > inflight.term) return this.hooks.staleTerm(this.peer.id, response.term);
    this.lastContactMs = this.raft.nowMs;
    if (response.success) {
      if (inflight.entries > 0) {
        this.nextIndex = inflight.lastIndex + 1;
        this.hooks.match(this.peer.id, inflight.lastIndex);
      }
      this.failures = 0;
      return;
    }
    this.nextIndex = Math.max(Math.min(this.nextIndex - 1, response.lastLog + 1), 1);
    this.failures = response.noRetryBackoff ? 0 : this.failures + 1;
    this.raft.logger.warning(`${this.raft.id}: appendEntries rejected by ${this.peer.id}, sending older logs (next ${this.nextIndex})`);
  }

  private snapshotAnswered(inflight: InflightReplication, response: InstallSnapshotResponse): void {
    if (response.term > inflight.term) return this.hooks.staleTerm(this.peer.id, response.term);
    this.lastContactMs = this.raft.nowMs;
    if (response.success) {
      this.nextIndex = inflight.lastIndex + 1;
      this.hooks.match(this.peer.id, inflight.lastIndex);
      this.failures = 0;
    } else {
      this.failures++;
      this.raft.logger.warning(`${this.raft.id}: installSnapshot rejected by ${this.peer.id}`);
    }
  }

  /** hashicorp's CHECK_MORE: continue at once while entries remain, else wait for a trigger. */
  private afterReplication(): void {
    const now = this.raft.nowMs;
    this.notBeforeMs = this.failures > 0 ? now + backoffMs(failureWaitMs, this.failures, maxFailureScale) : now;
    const lastIndex = this.stopAfterIndex ?? this.raft.log.lastIndex();
    if (this.stopAfterIndex !== null && this.nextIndex > this.stopAfterIndex) {
      this.stopped = true;
      return;
    }
    if (this.nextIndex <= lastIndex) this.triggered = true;
    else this.commitTimerAtMs = now + randomTimeoutMs(this.raft.random, this.raft.config.commitTimeoutMs);
  }
}
