// The Raft state machine: etcd/raft's `raft` struct. It holds the node's state and the shared
// machinery (sending, ticking, role changes, the term rules of Step). Each role's message handling
// lives in its own module (step-leader, step-candidate, step-follower), and so do elections,
// configuration changes and reads, so that this file stays the parent that does the branching.
import type { Config } from './config';
import { RaftError } from './errors';
import type { Logger } from './logger';
import { discardLogger, RaftPanic } from './logger';
import type { RandomSource } from './random';
import { seededRandom } from './random';
import { newLogWithSize, type RaftLog } from './log/raft-log';
import { ProgressTracker } from './tracker/tracker';
import { ReadOnly } from './read-only';
import { StateType, type ReadState, type SoftState } from './ready';
import {
  MessageType,
  NONE,
  isEmptyHardState,
  makeMessage,
  type HardState,
  type Message,
  type NodeId,
  type Term,
  type LogIndex,
} from './types';
import { payloadsSize } from './encoding/sizes';
import { restoreConfig } from './raft-conf-change';
import { hup, type CampaignType } from './election';
import { stepByState } from './step-common';
import { validateConfig } from './config-validate';
import { stepLeader } from './step-leader';
import { stepCandidate } from './step-candidate';
import { stepFollower } from './step-follower';
import { resetProgress } from './raft-progress';
import { messageTypeString } from './describe';

export type StepFunction = (r: Raft, m: Message) => void;

export class Raft {
  readonly id: NodeId;
  term: Term = 0;
  vote: NodeId = NONE;
  readStates: ReadState[] = [];
  raftLog: RaftLog;
  readonly maxMsgSize: number;
  readonly maxUncommittedSize: number;
  trk: ProgressTracker;
  state: StateType = StateType.StateFollower;
  /** True when this node is a learner in the active configuration. */
  isLearner = false;
  /** Messages to send right away; they never target this node. */
  msgs: Message[] = [];
  /**
   * Messages to send only once the unstable state they depend on is durable (MsgAppResp,
   * MsgVoteResp, MsgPreVoteResp). They may target this node.
   */
  msgsAfterAppend: Message[] = [];
  lead: NodeId = NONE;
  /** The leader transfer target, or NONE. */
  leadTransferee: NodeId = NONE;
  /**
   * Invariant: at most one conf change is pending; it is at an index <= pendingConfIndex, and new
   * ones are proposed only once applied >= pendingConfIndex.
   */
  pendingConfIndex: LogIndex = 0;
  readonly disableConfChangeValidation: boolean;
  /** An estimate (never an overestimate) of the uncommitted tail's payload bytes; leader only. */
  uncommittedSize = 0;
  readOnly: ReadOnly;
  electionElapsed = 0;
  heartbeatElapsed = 0;
  readonly checkQuorum: boolean;
  readonly preVote: boolean;
  readonly heartbeatTimeout: number;
  readonly electionTimeout: number;
  /** In [electionTimeout, 2 * electionTimeout - 1]; reset on becoming follower or candidate. */
  randomizedElectionTimeout = 0;
  readonly disableProposalForwarding: boolean;
  readonly stepDownOnRemoval: boolean;
  tickFunction: (r: Raft) => void = tickElection;
  stepFunction: StepFunction = stepFollower;
  readonly logger: Logger;
  readonly random: RandomSource;
  /** MsgReadIndex requests that wait for the first commit in this leader's term. */
  pendingReadIndexMessages: Message[] = [];
  /** Injected mistakes (bugs.ts), each false unless Config.bugs names it. */
  readonly bugVoteBeforePersist: boolean;
  readonly bugVoteNoUpToDateCheck: boolean;
  readonly bugNoStepDownHigherTerm: boolean;
  /**
   * Only with the vote-before-persist bug: a vote already answered but not yet in `vote`, so not
   * yet in the HardState the host persists; it moves there at the next tick.
   * Invariant: NONE unless bugVoteBeforePersist.
   */
  unpersistedVote: NodeId = NONE;

  constructor(config: Config) {
    const valid = validateConfig(config);
    this.id = valid.id;
    this.logger = valid.logger ?? discardLogger;
    this.random = valid.random ?? seededRandom(valid.id);
    this.raftLog = newLogWithSize(valid.storage, this.logger, valid.maxCommittedSizePerReady);
    this.maxMsgSize = valid.maxSizePerMsg;
    this.maxUncommittedSize = valid.maxUncommittedEntriesSize;
    this.trk = new ProgressTracker(valid.maxInflightMsgs, valid.maxInflightBytes);
    this.electionTimeout = valid.electionTick;
    this.heartbeatTimeout = valid.heartbeatTick;
    this.checkQuorum = valid.checkQuorum;
    this.preVote = valid.preVote;
    this.readOnly = new ReadOnly(valid.readOnlyOption);
    this.disableProposalForwarding = valid.disableProposalForwarding;
    this.disableConfChangeValidation = valid.disableConfChangeValidation;
    this.stepDownOnRemoval = valid.stepDownOnRemoval;
    this.bugVoteBeforePersist = valid.bugs.has('vote-before-persist');
    this.bugVoteNoUpToDateCheck = valid.bugs.has('vote-no-uptodate-check');
    this.bugNoStepDownHigherTerm = valid.bugs.has('no-stepdown-higher-term');
    this.raftLog.bugFigure8 = valid.bugs.has('figure8');
    this.raftLog.bugNoTruncateConflict = valid.bugs.has('no-truncate-conflict');

    const { hardState, confState } = valid.storage.initialState();
    const last = this.raftLog.lastEntryID();
    restoreConfig(this, confState, last.index);
    if (!isEmptyHardState(hardState)) this.loadState(hardState);
    if (valid.applied > 0) this.raftLog.appliedTo(valid.applied, 0);
    this.becomeFollower(this.term, NONE);

    const peers = this.trk
      .voterNodes()
      .map((id) => id.toString(16))
      .join(',');
    this.logger.info(
      `newRaft ${hex(this.id)} [peers: [${peers}], term: ${this.term}, commit: ${this.raftLog.committed}, applied: ${this.raftLog.applied}, lastindex: ${last.index}, lastterm: ${last.term}]`,
    );
  }

  hasLeader(): boolean {
    return this.lead !== NONE;
  }

  softState(): SoftState {
    return { lead: this.lead, raftState: this.state };
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.raftLog.committed };
  }

  /**
   * Queues a message. Vote and append responses go to msgsAfterAppend: they may leave only once
   * the state they vouch for is durable (thesis 3.8). Everything else leaves with the next Ready.
   */
  send(m: Message): void {
    if (m.from === NONE) m.from = this.id;
    const type = m.type;
    if (
      type === MessageType.MsgVote ||
      type === MessageType.MsgVoteResp ||
      type === MessageType.MsgPreVote ||
      type === MessageType.MsgPreVoteResp
    ) {
      if (m.term === 0) {
        this.logger.panic(`term should be set when sending ${messageTypeString(type)}`);
      }
    } else {
      if (m.term !== 0) {
        this.logger.panic(
          `term should not be set when sending ${messageTypeString(type)} (was ${m.term})`,
        );
      }
      // Proposals and read requests are forwarded to the leader like local messages: no term.
      if (type !== MessageType.MsgProp && type !== MessageType.MsgReadIndex) m.term = this.term;
    }
    if (
      type === MessageType.MsgAppResp ||
      type === MessageType.MsgVoteResp ||
      type === MessageType.MsgPreVoteResp
    ) {
      this.msgsAfterAppend.push(m);
    } else {
      if (m.to === this.id) {
        this.logger.panic(`message should not be self-addressed when sending ${messageTypeString(type)}`);
      }
      this.msgs.push(m);
    }
  }

  tick(): void {
    if (this.unpersistedVote !== NONE) {
      // The vote-before-persist bug's late write: the vote reaches the HardState only now.
      this.vote = this.unpersistedVote;
      this.unpersistedVote = NONE;
    }
    this.tickFunction(this);
  }

  /** Applies `index` (and `sizeBytes` of entries) and leaves a joint config when due. */
  appliedTo(index: LogIndex, sizeBytes: number): void {
    const oldApplied = this.raftLog.applied;
    const newApplied = Math.max(index, oldApplied);
    this.raftLog.appliedTo(newApplied, sizeBytes);
    if (
      this.trk.config.autoLeave &&
      newApplied >= this.pendingConfIndex &&
      this.state === StateType.StateLeader
    ) {
      // An empty ConfChangeV2 (nil data) leaves the joint config; its size counts as zero, so
      // only a leader transfer in progress can drop it, and then it is retried on a later apply.
      const m = makeMessage({
        type: MessageType.MsgProp,
        entries: [{ term: 0, index: 0, type: 2 /* EntryConfChangeV2 */, data: null }],
      });
      try {
        this.step(m);
        this.logger.info(
          `initiating automatic transition out of joint configuration ${this.trk.config.string()}`,
        );
      } catch (error) {
        if (!(error instanceof RaftError)) throw error;
        this.logger.debug(
          `not initiating automatic transition out of joint configuration ${this.trk.config.string()}: ${error.message}`,
        );
      }
    }
  }

  appliedSnapshot(index: LogIndex): void {
    this.raftLog.stableSnapTo(index);
    this.appliedTo(index, 0);
  }

  /** Advances the commit index from the quorum's acknowledgements; leader only. */
  maybeCommit(): boolean {
    return this.raftLog.maybeCommit({ term: this.term, index: this.trk.committed() });
  }

  reset(term: Term): void {
    if (this.term !== term) {
      this.term = term;
      this.vote = NONE;
      this.unpersistedVote = NONE;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetRandomizedElectionTimeout();
    this.abortLeaderTransfer();
    this.trk.resetVotes();
    resetProgress(this);
    this.pendingConfIndex = 0;
    this.uncommittedSize = 0;
    this.readOnly = new ReadOnly(this.readOnly.option);
  }

  /** Appends entries at this term; false when the uncommitted size limit drops them. */
  appendEntry(entries: Message['entries']): boolean {
    let lastIndex = this.raftLog.lastIndex();
    for (let i = 0; i < entries.length; i++) {
      entries[i].term = this.term;
      entries[i].index = lastIndex + 1 + i;
    }
    if (!this.increaseUncommittedSize(entries)) {
      this.logger.warning(
        `${hex(this.id)} appending new entries to log would exceed uncommitted entry size limit; dropping proposal`,
      );
      return false;
    }
    lastIndex = this.raftLog.append(entries);
    // The leader acknowledges its own entries once they are durable, through the same path as a
    // follower's MsgAppResp.
    this.send(makeMessage({ type: MessageType.MsgAppResp, to: this.id, index: lastIndex }));
    return true;
  }

  becomeFollower(term: Term, lead: NodeId): void {
    this.stepFunction = stepFollower;
    this.reset(term);
    this.tickFunction = tickElection;
    this.lead = lead;
    this.state = StateType.StateFollower;
    this.logger.info(`${hex(this.id)} became follower at term ${this.term}`);
  }

  becomeCandidate(): void {
    if (this.state === StateType.StateLeader) {
      throw new RaftPanic('invalid transition [leader -> candidate]');
    }
    this.stepFunction = stepCandidate;
    this.reset(this.term + 1);
    this.tickFunction = tickElection;
    this.vote = this.id;
    this.state = StateType.StateCandidate;
    this.logger.info(`${hex(this.id)} became candidate at term ${this.term}`);
  }

  becomePreCandidate(): void {
    if (this.state === StateType.StateLeader) {
      throw new RaftPanic('invalid transition [leader -> pre-candidate]');
    }
    // A pre-candidate changes neither its term nor its vote.
    this.stepFunction = stepCandidate;
    this.trk.resetVotes();
    this.tickFunction = tickElection;
    this.lead = NONE;
    this.state = StateType.StatePreCandidate;
    this.logger.info(`${hex(this.id)} became pre-candidate at term ${this.term}`);
  }

  becomeLeader(): void {
    if (this.state === StateType.StateFollower) {
      throw new RaftPanic('invalid transition [follower -> leader]');
    }
    this.stepFunction = stepLeader;
    this.reset(this.term);
    this.tickFunction = tickHeartbeat;
    this.lead = this.id;
    this.state = StateType.StateLeader;
    const self = this.trk.progress.get(this.id)!;
    self.becomeReplicate();
    self.recentActive = true;
    // Any pending conf change is at or below the last index; waiting for all of it to apply is
    // conservative and cheaper than scanning the tail.
    this.pendingConfIndex = this.raftLog.lastIndex();
    const empty = [{ term: 0, index: 0, type: 0, data: null }];
    if (!this.appendEntry(empty)) this.logger.panic('empty entry was dropped');
    this.logger.info(`${hex(this.id)} became leader at term ${this.term}`);
  }

  /** Steps a message: the term rules first, then the role's handler. Throws RaftError. */
  step(m: Message): void {
    stepByState(this, m);
  }

  promotable(): boolean {
    const pr = this.trk.progress.get(this.id);
    return pr !== undefined && !pr.isLearner && !this.raftLog.hasNextOrInProgressSnapshot();
  }

  loadState(state: HardState): void {
    if (state.commit < this.raftLog.committed || state.commit > this.raftLog.lastIndex()) {
      this.logger.panic(
        `${hex(this.id)} state.commit ${state.commit} is out of range [${this.raftLog.committed}, ${this.raftLog.lastIndex()}]`,
      );
    }
    this.raftLog.committed = state.commit;
    this.term = state.term;
    this.vote = state.vote;
  }

  pastElectionTimeout(): boolean {
    return this.electionElapsed >= this.randomizedElectionTimeout;
  }

  resetRandomizedElectionTimeout(): void {
    this.randomizedElectionTimeout = this.electionTimeout + this.random.intn(this.electionTimeout);
  }

  sendTimeoutNow(to: NodeId): void {
    this.send(makeMessage({ type: MessageType.MsgTimeoutNow, to }));
  }

  abortLeaderTransfer(): void {
    this.leadTransferee = NONE;
  }

  /** True when this leader has committed an entry of its own term (thesis 6.4's precondition). */
  committedEntryInCurrentTerm(): boolean {
    return this.raftLog.zeroTermOnOutOfBounds(this.raftLog.committed) === this.term;
  }

  increaseUncommittedSize(entries: Message['entries']): boolean {
    const size = payloadsSize(entries);
    // An empty tail accepts any proposal, and empty payloads are never refused (a new leader's
    // empty entry, leaving a joint config).
    if (this.uncommittedSize > 0 && size > 0 && this.uncommittedSize + size > this.maxUncommittedSize) {
      return false;
    }
    this.uncommittedSize += size;
    return true;
  }

  reduceUncommittedSize(size: number): void {
    this.uncommittedSize = size > this.uncommittedSize ? 0 : this.uncommittedSize - size;
  }

  hup(campaignType: CampaignType): void {
    hup(this, campaignType);
  }
}

/** Followers and candidates: start an election once the randomized timeout passes. */
function tickElection(r: Raft): void {
  r.electionElapsed++;
  if (r.promotable() && r.pastElectionTimeout()) {
    r.electionElapsed = 0;
    stepIgnoringErrors(r, makeMessage({ type: MessageType.MsgHup, from: r.id }), 'during election');
  }
}

/** Leaders: heartbeat every heartbeatTimeout, check quorum every electionTimeout. */
function tickHeartbeat(r: Raft): void {
  r.heartbeatElapsed++;
  r.electionElapsed++;
  if (r.electionElapsed >= r.electionTimeout) {
    r.electionElapsed = 0;
    if (r.checkQuorum) {
      stepIgnoringErrors(
        r,
        makeMessage({ type: MessageType.MsgCheckQuorum, from: r.id }),
        'during checking sending heartbeat',
      );
    }
    // A transfer that did not finish within an election timeout is abandoned.
    if (r.state === StateType.StateLeader && r.leadTransferee !== NONE) r.abortLeaderTransfer();
  }
  if (r.state !== StateType.StateLeader) return;
  if (r.heartbeatElapsed >= r.heartbeatTimeout) {
    r.heartbeatElapsed = 0;
    stepIgnoringErrors(
      r,
      makeMessage({ type: MessageType.MsgBeat, from: r.id }),
      'during checking sending heartbeat',
    );
  }
}

function stepIgnoringErrors(r: Raft, m: Message, what: string): void {
  try {
    r.step(m);
  } catch (error) {
    if (!(error instanceof RaftError)) throw error;
    r.logger.debug(`error occurred ${what}: ${error.message}`);
  }
}

/** Go's %x of a node id. */
export function hex(id: NodeId): string {
  return id.toString(16);
}

