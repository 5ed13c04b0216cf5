// The HashiCorp-style Raft core: hashicorp/raft's design as a pure, synchronous state machine.
// hashicorp/raft runs a main goroutine per role (runFollower, runCandidate, runLeader) plus a
// replication and a heartbeat goroutine per follower, all waiting on timers and blocking RPCs.
// Here the same behaviour is driven by calls: step(message, nowMs) delivers an RPC request or
// response, tick(nowMs) fires whatever timers are due, and takeOutput() returns the writes,
// messages, applies and events (raft-output.ts says in which order the host must handle them).
// Time is simulated milliseconds passed in; randomness comes from the injected source.
//
// This file holds the state every role shares, the inputs and the role transitions; the rest is
// split by concern: election.ts (the follower's and candidate's timers, the election, the votes
// granted), follower-rpc.ts (AppendEntries, InstallSnapshot and TimeoutNow handlers), leader.ts
// (the leader loop) and replication.ts (the per-follower replication).
import type { Logger } from '../../raft/logger';
import { RaftPanic } from '../../raft/logger';
import type { RandomSource } from '../../raft/random';
import { failure, success, type Result } from '../../storage/result';
import {
  cloneConfiguration,
  decodeConfiguration,
  emptyConfigurations,
  hasVote,
  type ConfigurationChangeRequest,
  type Configurations,
} from './configuration';
import { noHashicorpBugs, type HashicorpBug } from './bugs';
import { candidateTick, electSelf, enterFollower, followerTick, requestVote, voteResponse, type Election } from './election';
import { appendEntries, installSnapshot, timeoutNow } from './follower-rpc';
import { LeaderState } from './leader';
import { OutputBuilder, type RaftOutput } from './raft-output';
import type { RaftConfig } from './raft-config';
import { RaftLog } from './raft-log';
import { LogType, RaftRole, type LogEntry, type RpcMessage, type ServerId, type SnapshotMeta, type StableState } from './types';

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
  // The election timers' state (election.ts runs them).
  /** When the follower's heartbeat timer fires next. */
  heartbeatDeadlineMs = 0;
  /** The candidate's election in progress; null in the other roles. */
  election: Election | null = null;
  /** A warning about not campaigning was logged since this server became a follower. */
  didWarn = false;
  private nextRpcId = 1;
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
    enterFollower(this);
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
        return appendEntries(this, message);
      case 'RequestVoteRequest':
        return requestVote(this, message);
      case 'InstallSnapshotRequest':
        return installSnapshot(this, message);
      case 'TimeoutNowRequest':
        return timeoutNow(this, message);
      case 'RequestVoteResponse':
        return voteResponse(this, message);
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
        return followerTick(this);
      case RaftRole.Candidate:
        return candidateTick(this);
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

  persistVote(term: number, candidate: ServerId): void {
    this.stable = { ...this.stable, lastVoteTerm: term, lastVoteCand: candidate };
    this.out.write({ kind: 'stable', state: { ...this.stable } });
  }

  /** A vote for another server; with vote-before-persist it is answered before it is written. */
  grantVote(term: number, candidate: ServerId): void {
    if (!this.bugs.has('vote-before-persist')) return this.persistVote(term, candidate);
    this.stable = { ...this.stable, lastVoteTerm: term, lastVoteCand: candidate };
    this.voteWritePending = true;
  }

  /**
   * The no-stepdown-higher-term bug: a leader told of a higher term by a request adopts the term
   * and stays leader (refusing the request); true when it did.
   */
  leaderKeepsRole(term: number): boolean {
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
    if (role === RaftRole.Follower && previous !== RaftRole.Follower) enterFollower(this);
    if (role !== RaftRole.Candidate) this.candidateFromLeadershipTransfer = false;
    if (role === RaftRole.Candidate) electSelf(this);
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
  compactLogs(snapshotIndex: number): void {
    const first = this.log.firstStoredIndex;
    const last = this.log.lastStoredIndex;
    if (first === 0 || last <= this.config.trailingLogs) return;
    const maxLog = Math.min(snapshotIndex, last - this.config.trailingLogs);
    if (first > maxLog) return;
    this.log.deleteThrough(maxLog);
    this.out.write({ kind: 'deleteLogsThrough', index: maxLog });
  }

  // ---- leader ----

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
}
