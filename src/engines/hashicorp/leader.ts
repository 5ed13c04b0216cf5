// The leader loop of the HashiCorp-style engine (hashicorp's runLeader/leaderLoop):
// - on election: commitment over the latest configuration's voters, starting at the next index
//   (only entries of this term commit by counting), replication to every other server, and a
//   no-op entry so the leader can commit in its term;
// - applies: appended locally (counted for commitment at once: the host writes before it sends)
//   and replicated; refused during a leadership transfer;
// - configuration changes: queued, and taken one at a time only when the latest configuration is
//   committed and this leader committed an entry of its term; each change takes effect when
//   appended (commitment and replication follow the new server set at once);
// - the lease: every LeaderLeaseTimeout (less the oldest contact), a leader that has not heard
//   from a quorum of voters within the lease steps down;
// - leadership transfer: replicate to the target until it holds the whole log, then TimeoutNow;
//   it fails after ElectionTimeout;
// - a committed configuration without this server's vote: shut down (or follow).
import { failure, success, type Result } from '../../storage/result';
import { Commitment } from './commitment';
import {
  encodeConfiguration,
  describeConfiguration,
  hasVote,
  nextConfiguration,
  quorumSize,
  type ConfigurationChangeRequest,
} from './configuration';
import type { ApplyError, HashicorpRaft } from './raft';
import { minCheckIntervalMs } from './raft-config';
import { FollowerReplication } from './replication';
import { LogType, RaftRole, Suffrage, type LogEntry, type RpcResponse, type ServerId } from './types';

interface Transfer {
  tag: number;
  target: ServerId;
  deadlineMs: number;
  timeoutNow: { rpcId: number; deadlineMs: number } | null;
}

interface QueuedChange {
  request: ConfigurationChangeRequest;
  tag: number;
}

export class LeaderState {
  commitment!: Commitment;
  readonly replState = new Map<ServerId, FollowerReplication>();
  private configurationQueue: QueuedChange[] = [];
  private transfer: Transfer | null = null;
  private leaseCheckAtMs: number;
  /** A committed configuration took this server's vote: no new entries, shut down after applying. */
  private stepDown = false;
  private stopped = false;

  constructor(private readonly raft: HashicorpRaft) {
    this.leaseCheckAtMs = raft.nowMs + raft.config.leaderLeaseTimeoutMs;
  }

  get transferInProgress(): boolean {
    return this.transfer !== null;
  }

  start(): void {
    const raft = this.raft;
    this.commitment = new Commitment(raft.configurations.latest, raft.log.lastIndex() + 1, raft.bugs.has('figure8'));
    this.startStopReplication();
    this.dispatch([{ type: LogType.Noop, data: new Uint8Array(0) }]);
  }

  /** Leadership ended: fail what waits on it. */
  stop(): void {
    this.stopped = true;
    for (const queued of this.configurationQueue) {
      this.raft.out.event({ kind: 'configurationRefused', tag: queued.tag, error: 'node is not the leader' });
    }
    this.configurationQueue = [];
    // hashicorp answers a transfer whose leader stepped down with success ("lost leadership during transfer (expected)").
    if (this.transfer !== null) this.finishTransfer(null);
  }

  tick(): void {
    if (this.raft.nowMs >= this.leaseCheckAtMs) this.checkLeaderLease();
    if (this.stopped) return;
    const transfer = this.transfer;
    if (transfer !== null && this.raft.nowMs >= transfer.deadlineMs) this.finishTransfer('leadership transfer timeout');
    if (transfer?.timeoutNow && this.raft.nowMs >= transfer.timeoutNow.deadlineMs) {
      this.finishTransfer(`failed to make TimeoutNow RPC to ${transfer.target}: timeout`);
    }
  }

  /** Runs after every input: commit, queued configuration changes, transfer, replication sends. */
  afterEvent(): void {
    if (this.stopped) return;
    this.processCommit();
    if (this.stopped) return;
    this.maybeTakeConfigurationChange();
    this.driveTransfer();
    for (const [id, replication] of this.replState) {
      replication.drive();
      if (replication.stopped) this.replState.delete(id);
    }
  }

  handleResponse(response: RpcResponse): void {
    if (this.stopped) return;
    const transfer = this.transfer;
    if (response.type === 'TimeoutNowResponse') {
      if (transfer?.timeoutNow?.rpcId === response.rpcId) this.finishTransfer(null);
      return;
    }
    this.replState.get(response.from)?.handleResponse(response);
  }

  applyCommand(data: Uint8Array): Result<{ index: number; term: number }, ApplyError> {
    if (this.transfer !== null) return failure('ErrLeadershipTransferInProgress');
    if (this.stepDown) return failure('ErrNotLeader');
    if (this.raft.log.lastIndex() - this.raft.commitIndex >= this.raft.config.inflightEntriesMax) return failure('ErrTooManyInflight');
    const entry = this.dispatch([{ type: LogType.Command, data }])[0];
    return success({ index: entry.index, term: entry.term });
  }

  queueConfigurationChange(request: ConfigurationChangeRequest, tag: number): string | null {
    if (this.configurationQueue.length >= this.raft.config.configurationChangesPendingMax) {
      return `${this.raft.config.configurationChangesPendingMax} configuration changes pending`;
    }
    this.configurationQueue.push({ request, tag });
    return null;
  }

  startTransfer(target: ServerId | null, tag: number): string | null {
    if (this.transfer !== null) return 'leadership transfer in progress';
    const id = target ?? this.pickServer();
    if (id === null) return 'cannot find peer';
    if (!this.replState.has(id)) return `cannot find replication state for ${id}`;
    this.raft.logger.info(`${this.raft.id}: starting leadership transfer to ${id}`);
    this.transfer = { tag, target: id, deadlineMs: this.raft.nowMs + this.raft.config.electionTimeoutMs, timeoutNow: null };
    return null;
  }

  /** Appends entries of this term locally and wakes every replication. */
  private dispatch(entries: { type: LogType; data: Uint8Array }[]): LogEntry[] {
    const raft = this.raft;
    let index = raft.log.lastIndex();
    const logs = entries.map((entry) => ({ index: ++index, term: raft.currentTerm, type: entry.type, data: entry.data }));
    raft.log.append(logs);
    raft.out.write({ kind: 'appendLogs', entries: logs });
    this.commitment.match(raft.id, index);
    for (const replication of this.replState.values()) replication.trigger();
    // The apply-before-commit bug: the leader applies (and answers) before a quorum holds it.
    if (raft.bugs.has('apply-before-commit')) raft.processLogs(index);
    return logs;
  }

  private processCommit(): void {
    const raft = this.raft;
    const commitIndex = this.commitment.getCommitIndex();
    const oldCommitIndex = raft.commitIndex;
    if (commitIndex <= oldCommitIndex) return;
    raft.commitIndex = commitIndex;
    const { latestIndex } = raft.configurations;
    if (latestIndex > oldCommitIndex && latestIndex <= commitIndex) {
      raft.setCommittedConfigurationToLatest();
      if (!hasVote(raft.configurations.committed, raft.id)) this.stepDown = true;
    }
    raft.processLogs(commitIndex);
    if (!this.stepDown) return;
    if (raft.config.shutdownOnRemove) raft.shutdown('removed ourself, shutting down');
    else {
      raft.logger.info(`${raft.id}: removed ourself, transitioning to follower`);
      raft.setState(RaftRole.Follower);
    }
  }

  private maybeTakeConfigurationChange(): void {
    const raft = this.raft;
    const { latestIndex, committedIndex } = raft.configurations;
    if (latestIndex !== committedIndex || raft.commitIndex < this.commitment.startIndex) return;
    const queued = this.configurationQueue.shift();
    if (queued === undefined) return;
    if (this.transfer !== null) {
      raft.out.event({ kind: 'configurationRefused', tag: queued.tag, error: 'leadership transfer in progress' });
      return;
    }
    const next = nextConfiguration(raft.configurations.latest, latestIndex, queued.request);
    if (!next.ok) {
      raft.out.event({ kind: 'configurationRefused', tag: queued.tag, error: next.error });
      return;
    }
    raft.logger.info(`${raft.id}: updating configuration ${queued.request.command} ${queued.request.serverId}: ${describeConfiguration(next.value)}`);
    const entry = this.dispatch([{ type: LogType.Configuration, data: encodeConfiguration(next.value) }])[0];
    raft.configurations.latest = next.value;
    raft.configurations.latestIndex = entry.index;
    this.commitment.setConfiguration(next.value);
    this.startStopReplication();
    raft.out.event({ kind: 'configurationAppended', tag: queued.tag, index: entry.index });
    // A one-voter configuration commits at once.
    this.processCommit();
  }

  /** Replication for every server of the latest configuration but us; removed ones finish and stop. */
  private startStopReplication(): void {
    const raft = this.raft;
    const inConfiguration = new Set<ServerId>();
    const hooks = {
      match: (id: ServerId, index: number) => this.commitment.match(id, index),
      staleTerm: (from: ServerId, term: number) => {
        // The no-stepdown-higher-term bug: the newer term is adopted, the leadership kept.
        if (raft.bugs.has('no-stepdown-higher-term')) return raft.setCurrentTerm(Math.max(term, raft.currentTerm));
        raft.logger.error(`${raft.id}: peer ${from} has newer term ${term}, stopping replication`);
        if (!this.stopped) raft.setState(RaftRole.Follower);
      },
    };
    for (const server of raft.configurations.latest.servers) {
      if (server.id === raft.id) continue;
      inConfiguration.add(server.id);
      const existing = this.replState.get(server.id);
      if (existing === undefined) {
        raft.logger.info(`${raft.id}: added peer ${server.id}, starting replication`);
        this.replState.set(server.id, new FollowerReplication(server, raft, hooks, raft.currentTerm));
      } else {
        existing.peer = server;
        existing.stopAfterIndex = null;
      }
    }
    for (const [id, replication] of this.replState) {
      if (inConfiguration.has(id) || replication.stopAfterIndex !== null) continue;
      raft.logger.info(`${raft.id}: removed peer ${id}, stopping replication after index ${raft.log.lastIndex()}`);
      replication.stopAfterIndex = raft.log.lastIndex();
      replication.trigger();
    }
  }

  private checkLeaderLease(): void {
    const raft = this.raft;
    const leaseMs = raft.config.leaderLeaseTimeoutMs;
    let contacted = 0;
    let maxDiffMs = 0;
    for (const server of raft.configurations.latest.servers) {
      if (server.suffrage !== Suffrage.Voter) continue;
      if (server.id === raft.id) {
        contacted++;
        continue;
      }
      const replication = this.replState.get(server.id);
      const diffMs = replication === undefined ? Number.POSITIVE_INFINITY : raft.nowMs - replication.lastContactMs;
      if (diffMs <= leaseMs) {
        contacted++;
        maxDiffMs = Math.max(maxDiffMs, diffMs);
      } else if (diffMs <= 3 * leaseMs) {
        raft.logger.warning(`${raft.id}: failed to contact ${server.id} in ${diffMs}ms`);
      }
    }
    this.leaseCheckAtMs = raft.nowMs + Math.max(leaseMs - maxDiffMs, minCheckIntervalMs);
    if (contacted < quorumSize(raft.configurations.latest)) {
      raft.logger.warning(`${raft.id}: failed to contact quorum of nodes, stepping down`);
      raft.setState(RaftRole.Follower);
    }
  }

  /** The voter with the highest nextIndex (hashicorp's pickServer). */
  private pickServer(): ServerId | null {
    let pick: ServerId | null = null;
    let current = 0;
    for (const server of this.raft.configurations.latest.servers) {
      if (server.id === this.raft.id || server.suffrage !== Suffrage.Voter) continue;
      const replication = this.replState.get(server.id);
      if (replication !== undefined && replication.nextIndex > current) {
        current = replication.nextIndex;
        pick = server.id;
      }
    }
    return pick;
  }

  private driveTransfer(): void {
    const transfer = this.transfer;
    if (transfer === null || transfer.timeoutNow !== null) return;
    const replication = this.replState.get(transfer.target);
    if (replication === undefined) return this.finishTransfer(`cannot find replication state for ${transfer.target}`);
    if (replication.nextIndex <= this.raft.log.lastIndex()) {
      replication.trigger();
      return;
    }
    const rpcId = this.raft.newRpcId();
    transfer.timeoutNow = { rpcId, deadlineMs: this.raft.nowMs + this.raft.config.rpcTimeoutMs };
    this.raft.out.send({ type: 'TimeoutNowRequest', from: this.raft.id, to: transfer.target, rpcId });
  }

  private finishTransfer(error: string | null): void {
    const transfer = this.transfer!;
    this.transfer = null;
    if (error !== null) this.raft.logger.info(`${this.raft.id}: ${error}`);
    this.raft.out.event({ kind: 'transferFinished', tag: transfer.tag, error });
  }
}
