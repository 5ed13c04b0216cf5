// The HashiCorp-style Raft core: hashicorp/raft's design as a pure, synchronous state machine.
// hashicorp/raft runs a main goroutine per role (runFollower, runCandidate, runLeader) plus a
// replication and a heartbeat goroutine per follower, all waiting on timers and blocking RPCs.
// Here the same behaviour is driven by calls: step(message, nowMs) delivers an RPC request or
// response, tick(nowMs) fires whatever timers are due, and takeOutput() returns the writes,
// messages, applies and events (raft-output.ts says in which order the host must handle them).
// Time is simulated milliseconds passed in; randomness comes from the injected source.
//
// This file holds the state every role shares, the role transitions, the RPC handlers every
// server runs (appendEntries, requestVote, installSnapshot, timeoutNow) and the candidate's
// election; leader.ts holds the leader loop and replication.ts the per-follower replication.
import type { Logger } from '../../raft/logger';
import { RaftPanic } from '../../raft/logger';
import type { RandomSource } from '../../raft/random';
import { failure, success, type Result } from '../../storage/result';
import {
  cloneConfiguration,
  decodeConfiguration,
  describeConfiguration,
  emptyConfigurations,
  hasVote,
  quorumSize,
  voterIds,
  type ConfigurationChangeRequest,
  type Configurations,
} from './configuration';
import { noHashicorpBugs, type HashicorpBug } from './bugs';
import { LeaderState } from './leader';
import { OutputBuilder, type RaftOutput } from './raft-output';
import { randomTimeoutMs, type RaftConfig } from './raft-config';
import { RaftLog } from './raft-log';
import {
  LogType,
  RaftRole,
  type AppendEntriesRequest,
  type InstallSnapshotRequest,
  type LogEntry,
  type RequestVoteRequest,
  type RequestVoteResponse,
  type RpcMessage,
  type ServerId,
  type SnapshotMeta,
  type StableState,
  type TimeoutNowRequest,
} from './types';

/** What the host recovered from the data dir. */
export interface RecoveredState {
  stable: StableState;
  /** The log store's entries, in index order. */
  entries: LogEntry[];
  /** The newest valid snapshot, already restored into the state machine by the host. */
  snapshot: { meta: SnapshotMeta; data: Uint8Array } | null;
}

export interface RaftOptions {
  id: ServerId;
  config: RaftConfig;
  random: RandomSource;
  logger: Logger;
  recovered: RecoveredState;
  nowMs: number;
  /** Deliberate mistakes to make (bugs.ts); none by default. */
  bugs?: ReadonlySet<HashicorpBug>;
}

export type ApplyError = 'ErrNotLeader' | 'ErrLeadershipTransferInProgress' | 'ErrTooManyInflight';

interface Election {
  granted: Set<ServerId>;
  votesNeeded: number;
  /** The rpc ids of this election's requests: older elections' answers are ignored. */
  pending: Set<number>;
  deadlineMs: number;
}

export class HashicorpRaft {
  readonly id: ServerId;
  readonly config: RaftConfig;
  readonly random: RandomSource;
  readonly logger: Logger;
  readonly bugs: ReadonlySet<HashicorpBug>;
  readonly log: RaftLog;
  readonly out = new OutputBuilder();
  role = RaftRole.Follower;
  stable: StableState;
  configurations: Configurations = emptyConfigurations();
  // Invariant: lastApplied <= max(commitIndex, log.lastSnapshotIndex).
  commitIndex = 0;
  lastApplied = 0;
  /** The leader this server follows; 0 = none known. */
  leaderId: ServerId = 0;
  /** When a leader (or a granted vote) last reset this server's heartbeat timeout. */
  lastContactMs = Number.NEGATIVE_INFINITY;
  candidateFromLeadershipTransfer = false;
  latestSnapshot: { meta: SnapshotMeta; data: Uint8Array } | null = null;
  leader: LeaderState | null = null;
  nowMs: number;
  private heartbeatDeadlineMs = 0;
  private election: Election | null = null;
  private nextRpcId = 1;
  private didWarn = false;
  /** The vote-before-persist bug: a granted vote not yet written to the stable store. */
  private voteWritePending = false;

  constructor(options: RaftOptions) {
    this.id = options.id;
    this.config = options.config;
    this.random = options.random;
    this.logger = options.logger;
    this.bugs = options.bugs ?? noHashicorpBugs;
    this.nowMs = options.nowMs;
    const { stable, entries, snapshot } = options.recovered;
    this.stable = { ...stable };
    const snapshotPoint = snapshot === null ? { index: 0, term: 0 } : { index: snapshot.meta.index, term: snapshot.meta.term };
    this.log = RaftLog.from(entries, snapshotPoint);
    if (snapshot !== null) {
      this.latestSnapshot = snapshot;
      this.lastApplied = snapshot.meta.index;
      this.commitIndex = snapshot.meta.index;
      const configuration = cloneConfiguration(snapshot.meta.configuration);
      this.configurations = {
        committed: configuration,
        committedIndex: snapshot.meta.configurationIndex,
        latest: configuration,
        latestIndex: snapshot.meta.configurationIndex,
      };
    }
    for (const entry of this.log.all()) {
      if (entry.index > snapshotPoint.index) this.processConfigurationLogEntry(entry);
    }
    this.enterFollower();
  }

  get currentTerm(): number {
    return this.stable.currentTerm;
  }

  newRpcId(): number {
    return this.nextRpcId++;
  }

  takeOutput(): RaftOutput {
    return this.out.take();
  }

  // ---- inputs ----

  step(message: RpcMessage, nowMs: number): void {
    this.advanceClock(nowMs);
    if (this.role === RaftRole.Shutdown || message.to !== this.id) return;
    switch (message.type) {
      case 'AppendEntriesRequest':
        return this.appendEntries(message);
      case 'RequestVoteRequest':
        return this.requestVote(message);
      case 'InstallSnapshotRequest':
        return this.installSnapshot(message);
      case 'TimeoutNowRequest':
        return this.timeoutNow(message);
      case 'RequestVoteResponse':
        return this.voteResponse(message);
      default:
        this.leader?.handleResponse(message);
        this.leader?.afterEvent();
    }
  }

  tick(nowMs: number): void {
    this.advanceClock(nowMs);
    if (this.voteWritePending) {
      // The vote-before-persist bug: the vote granted since the last tick reaches the disk now.
      this.voteWritePending = false;
      this.out.write({ kind: 'stable', state: { ...this.stable } });
    }
    switch (this.role) {
      case RaftRole.Follower:
        return this.followerTick();
      case RaftRole.Candidate:
        if (this.election !== null && this.nowMs >= this.election.deadlineMs) {
          this.logger.warning(`${this.id}: Election timeout reached, restarting election`);
          this.candidateFromLeadershipTransfer = false;
          this.electSelf();
        }
        return;
      case RaftRole.Leader:
        this.leader!.tick();
        this.leader?.afterEvent();
        return;
      case RaftRole.Shutdown:
        return;
    }
  }

  /** A client command (hashicorp's Apply): leader only; answered when the entry is applied. */
  apply(data: Uint8Array, nowMs: number): Result<{ index: number; term: number }, ApplyError> {
    this.advanceClock(nowMs);
    if (this.leader === null) return failure('ErrNotLeader');
    const applied = this.leader.applyCommand(data);
    this.leader?.afterEvent();
    return applied;
  }

  /** AddVoter / AddNonvoter / DemoteVoter / RemoveServer; the outcome comes as an event with `tag`. */
  requestConfigurationChange(request: ConfigurationChangeRequest, tag: number, nowMs: number): string | null {
    this.advanceClock(nowMs);
    if (this.leader === null) return 'node is not the leader';
    const refused = this.leader.queueConfigurationChange(request, tag);
    this.leader?.afterEvent();
    return refused;
  }

  /** LeadershipTransfer(ToServer); the outcome comes as a transferFinished event with `tag`. */
  transferLeadership(target: ServerId | null, tag: number, nowMs: number): string | null {
    this.advanceClock(nowMs);
    if (target === this.id) return 'cannot transfer leadership to itself';
    if (this.leader === null) return 'node is not the leader';
    const refused = this.leader.startTransfer(target, tag);
    this.leader?.afterEvent();
    return refused;
  }

  /** Starts an election now, as if the heartbeat timeout had passed (for tests and the host). */
  campaign(nowMs: number): void {
    this.advanceClock(nowMs);
    if (this.role === RaftRole.Follower && hasVote(this.configurations.latest, this.id)) this.setState(RaftRole.Candidate);
  }

  /**
   * The host saved a local snapshot at `meta.index` (<= lastApplied, with the committed
   * configuration): the log is compacted behind it, keeping trailingLogs entries.
   */
  snapshotSaved(meta: SnapshotMeta, data: Uint8Array): void {
    if (meta.index > this.lastApplied) throw new RaftPanic(`snapshot at ${meta.index} beyond applied ${this.lastApplied}`);
    if (meta.index <= this.log.lastSnapshotIndex) return;
    this.latestSnapshot = { meta, data };
    this.log.lastSnapshotIndex = meta.index;
    this.log.lastSnapshotTerm = meta.term;
    this.compactLogs(meta.index);
  }

  /** The configuration a snapshot at lastApplied must carry (hashicorp refuses while one is unapplied). */
  snapshotConfiguration(): Result<{ configuration: Configurations['committed']; index: number }, string> {
    const { committed, committedIndex } = this.configurations;
    if (committedIndex > this.lastApplied) {
      return failure(`cannot take snapshot now, wait until the configuration entry at ${committedIndex} has been applied (have applied ${this.lastApplied})`);
    }
    return success({ configuration: cloneConfiguration(committed), index: committedIndex });
  }

  // ---- shared state changes ----

  private advanceClock(nowMs: number): void {
    if (!Number.isFinite(nowMs) || nowMs < this.nowMs) throw new RaftPanic(`time went back from ${this.nowMs} to ${nowMs}`);
    this.nowMs = nowMs;
  }

  setCurrentTerm(term: number): void {
    if (term === this.stable.currentTerm) return;
    if (term < this.stable.currentTerm) throw new RaftPanic(`term went back from ${this.stable.currentTerm} to ${term}`);
    this.stable = { ...this.stable, currentTerm: term };
    this.out.write({ kind: 'stable', state: { ...this.stable } });
  }

  private persistVote(term: number, candidate: ServerId): void {
    this.stable = { ...this.stable, lastVoteTerm: term, lastVoteCand: candidate };
    this.out.write({ kind: 'stable', state: { ...this.stable } });
  }

  /** A vote for another server; with vote-before-persist it is answered before it is written. */
  private grantVote(term: number, candidate: ServerId): void {
    if (!this.bugs.has('vote-before-persist')) return this.persistVote(term, candidate);
    this.stable = { ...this.stable, lastVoteTerm: term, lastVoteCand: candidate };
    this.voteWritePending = true;
  }

  /**
   * The no-stepdown-higher-term bug: a leader told of a higher term by a request adopts the term
   * and stays leader (refusing the request); true when it did.
   */
  private leaderKeepsRole(term: number): boolean {
    if (this.role !== RaftRole.Leader || term <= this.currentTerm || !this.bugs.has('no-stepdown-higher-term')) return false;
    this.setCurrentTerm(term);
    return true;
  }

  setLastContact(): void {
    this.lastContactMs = this.nowMs;
  }

  /** Any state transition forgets the known leader; the caller sets it afterwards. */
  setState(role: RaftRole): void {
    this.leaderId = 0;
    const previous = this.role;
    if (previous === RaftRole.Leader && role !== RaftRole.Leader) this.leaveLeader();
    if (previous === RaftRole.Candidate) this.election = null;
    if (previous === RaftRole.Shutdown) return;
    this.role = role;
    if (previous !== role) this.logger.info(`${this.id}: entering ${role.toLowerCase()} state at term ${this.currentTerm}`);
    if (role === RaftRole.Follower && previous !== RaftRole.Follower) this.enterFollower();
    if (role !== RaftRole.Candidate) this.candidateFromLeadershipTransfer = false;
    if (role === RaftRole.Candidate) this.electSelf();
    if (role === RaftRole.Leader && previous !== RaftRole.Leader) this.enterLeader();
  }

  shutdown(reason: string): void {
    this.setState(RaftRole.Follower);
    this.role = RaftRole.Shutdown;
    this.out.event({ kind: 'shutdown', reason });
    this.logger.info(`${this.id}: ${reason}`);
  }

  processConfigurationLogEntry(entry: LogEntry): void {
    if (entry.type !== LogType.Configuration) return;
    const decoded = decodeConfiguration(entry.data);
    if (!decoded.ok) throw new RaftPanic(`configuration entry ${entry.index}: ${decoded.error.message}`);
    this.configurations.committed = this.configurations.latest;
    this.configurations.committedIndex = this.configurations.latestIndex;
    this.configurations.latest = decoded.value;
    this.configurations.latestIndex = entry.index;
  }

  setCommittedConfigurationToLatest(): void {
    this.configurations.committed = this.configurations.latest;
    this.configurations.committedIndex = this.configurations.latestIndex;
  }

  /** Hands committed entries after lastApplied through `index` to the state machine. */
  processLogs(index: number): void {
    if (index <= this.lastApplied) return;
    for (let at = this.lastApplied + 1; at <= index; at++) {
      const entry = this.log.get(at);
      if (entry === undefined) throw new RaftPanic(`${this.id}: failed to get log ${at} to apply`);
      this.out.apply({ kind: 'entry', entry });
    }
    this.lastApplied = index;
  }

  /** Removes old entries behind a snapshot, keeping trailingLogs (hashicorp's compactLogs). */
  private compactLogs(snapshotIndex: number): void {
    const first = this.log.firstStoredIndex;
    const last = this.log.lastStoredIndex;
    if (first === 0 || last <= this.config.trailingLogs) return;
    const maxLog = Math.min(snapshotIndex, last - this.config.trailingLogs);
    if (first > maxLog) return;
    this.log.deleteThrough(maxLog);
    this.out.write({ kind: 'deleteLogsThrough', index: maxLog });
  }

  // ---- follower and candidate ----

  private enterFollower(): void {
    this.didWarn = false;
    this.heartbeatDeadlineMs = this.nowMs + randomTimeoutMs(this.random, this.config.heartbeatTimeoutMs);
  }

  private followerTick(): void {
    if (this.nowMs < this.heartbeatDeadlineMs) return;
    this.heartbeatDeadlineMs = this.nowMs + randomTimeoutMs(this.random, this.config.heartbeatTimeoutMs);
    if (this.nowMs - this.lastContactMs < this.config.heartbeatTimeoutMs) return;
    this.leaderId = 0;
    const { latest, latestIndex, committedIndex } = this.configurations;
    if (latestIndex === 0) return this.warnOnce('no known peers, aborting election');
    if (latestIndex === committedIndex && !hasVote(latest, this.id)) return this.warnOnce('not part of stable configuration, aborting election');
    if (!hasVote(latest, this.id)) return this.warnOnce('heartbeat timeout reached, not part of a stable configuration or a non-voter, not triggering a leader election');
    this.logger.warning(`${this.id}: heartbeat timeout reached, starting election`);
    this.setState(RaftRole.Candidate);
  }

  private warnOnce(text: string): void {
    if (this.didWarn) return;
    this.didWarn = true;
    this.logger.warning(`${this.id}: ${text}`);
  }

  /** A new term, a vote for ourselves, RequestVote to every other voter of the latest configuration. */
  private electSelf(): void {
    this.setCurrentTerm(this.currentTerm + 1);
    const term = this.currentTerm;
    const last = this.log.lastEntry();
    const election: Election = {
      granted: new Set(),
      votesNeeded: quorumSize(this.configurations.latest),
      pending: new Set(),
      deadlineMs: this.nowMs + randomTimeoutMs(this.random, this.config.electionTimeoutMs),
    };
    this.election = election;
    this.logger.info(`${this.id}: entering candidate state at term ${term}, votes needed ${election.votesNeeded}`);
    for (const voter of voterIds(this.configurations.latest)) {
      if (voter === this.id) {
        this.persistVote(term, this.id);
        election.granted.add(this.id);
        continue;
      }
      const rpcId = this.newRpcId();
      election.pending.add(rpcId);
      this.out.send({
        type: 'RequestVoteRequest',
        from: this.id,
        to: voter,
        rpcId,
        term,
        candidate: this.id,
        lastLogIndex: last.index,
        lastLogTerm: last.term,
        leadershipTransfer: this.candidateFromLeadershipTransfer,
      });
    }
    this.maybeWinElection();
  }

  private voteResponse(response: RequestVoteResponse): void {
    const election = this.election;
    if (this.role !== RaftRole.Candidate || election === null || !election.pending.delete(response.rpcId)) return;
    if (response.term > this.currentTerm) {
      this.logger.info(`${this.id}: newer term discovered, fallback to follower`);
      this.setState(RaftRole.Follower);
      this.setCurrentTerm(response.term);
      return;
    }
    if (response.granted) election.granted.add(response.from);
    this.maybeWinElection();
  }

  private maybeWinElection(): void {
    const election = this.election;
    if (election === null || election.granted.size < election.votesNeeded) return;
    this.logger.info(`${this.id}: election won, term ${this.currentTerm}, tally ${election.granted.size}`);
    this.setState(RaftRole.Leader);
    this.leaderId = this.id;
  }

  private enterLeader(): void {
    this.leaderId = this.id;
    this.leader = new LeaderState(this);
    this.leader.start();
    this.leader.afterEvent();
  }

  private leaveLeader(): void {
    const leader = this.leader!;
    this.leader = null;
    this.setLastContact();
    leader.stop();
    this.out.event({ kind: 'leadershipLost', term: this.currentTerm });
  }

  // ---- RPC handlers every server runs ----

  private appendEntries(request: AppendEntriesRequest): void {
    const response = {
      type: 'AppendEntriesResponse' as const,
      from: this.id,
      to: request.from,
      rpcId: request.rpcId,
      term: this.currentTerm,
      lastLog: this.log.lastIndex(),
      success: false,
      noRetryBackoff: false,
    };
    const reply = () => this.out.send({ ...response, term: this.currentTerm });
    if (request.term < this.currentTerm || this.leaderKeepsRole(request.term)) return reply();
    if (request.term > this.currentTerm || (this.role !== RaftRole.Follower && !this.candidateFromLeadershipTransfer)) {
      this.setState(RaftRole.Follower);
      this.setCurrentTerm(request.term);
    }
    this.leaderId = request.leader;
    if (request.prevLogEntry > 0 && !this.prevLogMatches(request)) {
      response.noRetryBackoff = true;
      return reply();
    }
    if (request.entries.length > 0 && !this.storeEntries(request.entries)) return reply();
    // The apply-before-commit bug: whatever is in the log goes to the state machine now.
    if (this.bugs.has('apply-before-commit')) this.processLogs(this.log.lastIndex());
    if (request.leaderCommitIndex > 0 && request.leaderCommitIndex > this.commitIndex) {
      const index = Math.min(request.leaderCommitIndex, this.log.lastIndex());
      this.commitIndex = Math.max(this.commitIndex, index);
      if (this.configurations.latestIndex <= index) this.setCommittedConfigurationToLatest();
      this.processLogs(index);
    }
    response.success = true;
    this.setLastContact();
    reply();
  }

  private prevLogMatches(request: AppendEntriesRequest): boolean {
    const last = this.log.lastEntry();
    if (request.prevLogEntry === last.index) return request.prevLogTerm === last.term;
    const previous = this.log.get(request.prevLogEntry);
    if (previous !== undefined) {
      if (previous.term !== request.prevLogTerm) this.logger.warning(`${this.id}: previous log term mis-match: ours ${previous.term} remote ${request.prevLogTerm}`);
      return previous.term === request.prevLogTerm;
    }
    // Our snapshot covers it: committed entries, which every later leader holds unchanged.
    if (request.prevLogEntry < this.log.lastSnapshotIndex) return true;
    this.logger.warning(`${this.id}: failed to get previous log ${request.prevLogEntry} (last index ${last.index})`);
    return false;
  }

  /** Deletes a conflicting suffix, skips duplicates, appends the rest; false if an entry is missing. */
  private storeEntries(entries: readonly LogEntry[]): boolean {
    const lastLogIndex = this.log.lastStoredIndex;
    let newEntries: LogEntry[] = [];
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      if (entry.index <= this.log.lastSnapshotIndex && this.log.get(entry.index) === undefined) continue;
      if (entry.index > lastLogIndex) {
        newEntries = entries.slice(i);
        break;
      }
      const stored = this.log.get(entry.index);
      if (stored === undefined) {
        this.logger.warning(`${this.id}: failed to get log entry ${entry.index}`);
        return false;
      }
      if (stored.term !== entry.term) {
        // The no-truncate-conflict bug: the conflicting entry stays, as if it were the same one.
        if (this.bugs.has('no-truncate-conflict')) continue;
        this.logger.warning(`${this.id}: clearing log suffix from ${entry.index} to ${lastLogIndex}`);
        this.log.deleteFrom(entry.index);
        this.out.write({ kind: 'deleteLogsFrom', index: entry.index });
        if (entry.index <= this.configurations.latestIndex) {
          this.configurations.latest = this.configurations.committed;
          this.configurations.latestIndex = this.configurations.committedIndex;
        }
        newEntries = entries.slice(i);
        break;
      }
    }
    if (newEntries.length === 0) return true;
    this.log.append(newEntries);
    this.out.write({ kind: 'appendLogs', entries: newEntries });
    for (const entry of newEntries) this.processConfigurationLogEntry(entry);
    return true;
  }

  private requestVote(request: RequestVoteRequest): void {
    const reply = (granted: boolean) =>
      this.out.send({ type: 'RequestVoteResponse', from: this.id, to: request.from, rpcId: request.rpcId, term: this.currentTerm, granted });
    const candidate = request.candidate;
    if (this.configurations.latest.servers.length > 0 && !hasVote(this.configurations.latest, candidate)) {
      this.logger.warning(`${this.id}: rejecting vote request since node is not a voter: from ${candidate}`);
      return reply(false);
    }
    if (this.leaderId !== 0 && this.leaderId !== candidate && !request.leadershipTransfer) {
      this.logger.warning(`${this.id}: rejecting vote request since we have a leader: from ${candidate}, leader ${this.leaderId}`);
      return reply(false);
    }
    if (request.term < this.currentTerm) return reply(false);
    if (request.term > this.currentTerm) {
      this.setState(RaftRole.Follower);
      this.setCurrentTerm(request.term);
    }
    if (this.stable.lastVoteTerm === request.term && this.stable.lastVoteCand !== 0) {
      this.logger.info(`${this.id}: duplicate requestVote for same term ${request.term}`);
      return reply(this.stable.lastVoteCand === candidate);
    }
    // The vote-no-uptodate-check bug skips this: any candidate gets the vote, however far behind.
    const behind = this.bugs.has('vote-no-uptodate-check') ? null : this.candidateBehind(request);
    if (behind !== null) {
      this.logger.warning(`${this.id}: rejecting vote request since our last ${behind}`);
      return reply(false);
    }
    this.grantVote(request.term, candidate);
    this.setLastContact();
    reply(true);
  }

  /** Why the candidate's log is behind ours (Raft 5.4.1), or null when it is at least as up to date. */
  private candidateBehind(request: RequestVoteRequest): string | null {
    const last = this.log.lastEntry();
    if (last.term > request.lastLogTerm) return `term is greater (${last.term} > ${request.lastLogTerm})`;
    if (last.term === request.lastLogTerm && last.index > request.lastLogIndex) return `index is greater (${last.index} > ${request.lastLogIndex})`;
    return null;
  }

  private installSnapshot(request: InstallSnapshotRequest): void {
    const reply = (ok: boolean) =>
      this.out.send({ type: 'InstallSnapshotResponse', from: this.id, to: request.from, rpcId: request.rpcId, term: this.currentTerm, success: ok });
    if (request.term < this.currentTerm || this.leaderKeepsRole(request.term)) return reply(false);
    if (request.term > this.currentTerm) {
      this.setState(RaftRole.Follower);
      this.setCurrentTerm(request.term);
    }
    this.leaderId = request.leader;
    if (request.size !== request.data.length) {
      this.logger.error(`${this.id}: failed to receive whole snapshot: ${request.data.length} / ${request.size}`);
      return reply(false);
    }
    const meta: SnapshotMeta = {
      index: request.lastLogIndex,
      term: request.lastLogTerm,
      configuration: cloneConfiguration(request.configuration),
      configurationIndex: request.configurationIndex,
      size: request.size,
    };
    this.out.write({ kind: 'saveSnapshot', meta, data: request.data });
    this.out.apply({ kind: 'restore', meta, data: request.data });
    this.latestSnapshot = { meta, data: request.data };
    this.lastApplied = meta.index;
    this.commitIndex = Math.max(this.commitIndex, meta.index);
    this.log.lastSnapshotIndex = meta.index;
    this.log.lastSnapshotTerm = meta.term;
    this.configurations = {
      committed: cloneConfiguration(meta.configuration),
      committedIndex: meta.configurationIndex,
      latest: cloneConfiguration(meta.configuration),
      latestIndex: meta.configurationIndex,
    };
    this.discardLogBehindSnapshot(meta);
    this.logger.info(`${this.id}: installed remote snapshot ${meta.index}/${meta.term} ${describeConfiguration(meta.configuration)}`);
    this.setLastContact();
    reply(true);
  }

  /**
   * Raft's rule for an installed snapshot: keep the entries after it only when the log holds the
   * snapshot's last entry with its term; otherwise the whole log is stale and goes.
   */
  private discardLogBehindSnapshot(meta: SnapshotMeta): void {
    const held = this.log.get(meta.index);
    if (held !== undefined && held.term === meta.term) return this.compactLogs(meta.index);
    const first = this.log.firstStoredIndex;
    if (first === 0) {
      this.log.deleteThrough(meta.index);
      return;
    }
    this.log.deleteFrom(first);
    this.log.deleteThrough(meta.index);
    this.out.write({ kind: 'deleteLogsFrom', index: first });
  }

  private timeoutNow(request: TimeoutNowRequest): void {
    this.leaderId = 0;
    this.candidateFromLeadershipTransfer = true;
    this.out.send({ type: 'TimeoutNowResponse', from: this.id, to: request.from, rpcId: request.rpcId });
    if (this.role === RaftRole.Candidate) this.electSelf();
    else this.setState(RaftRole.Candidate);
  }
}
