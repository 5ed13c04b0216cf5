// RawNode: the engine's API (etcd's RawNode). The host calls tick/step/propose, then takes a
// Ready, does its work in the order the Ready states, and calls advance.
import type { Config } from './config';
import { localAppendThread, localApplyThread } from './config';
import { Raft } from './raft';
import { errStepLocalMsg, errStepPeerNotFound, RaftError } from './errors';
import { isLocalMsg, isResponseMsg } from './util';
import { isLocalMsgTarget } from './config-validate';
import { applyConfChange } from './raft-conf-change';
import { asV2, marshalConfChangeI, type ConfChangeI } from './encoding/conf-change';
import { entsSize } from './encoding/sizes';
import {
  MessageType,
  NONE,
  emptyHardState,
  emptySnapshot,
  isEmptyHardState,
  isEmptySnapshot,
  makeMessage,
  type ConfState,
  type Entry,
  type HardState,
  type Message,
  type NodeId,
  type Snapshot,
} from './types';
import { SnapshotStatus, type Ready, type SoftState } from './ready';
import { getBasicStatus, getStatus, type BasicStatus, type Status } from './status';
import type { Progress } from './tracker/progress';
import { bootstrap, type Peer } from './bootstrap';

export enum ProgressType {
  ProgressTypePeer = 0,
  ProgressTypeLearner = 1,
}

export class RawNode {
  readonly raft: Raft;
  readonly asyncStorageWrites: boolean;
  prevSoftState: SoftState;
  prevHardState: HardState;
  /** Local responses (self-acks, storage acks) that advance() steps back in. */
  private stepsOnAdvance: Message[] = [];

  constructor(config: Config) {
    this.raft = new Raft(config);
    this.asyncStorageWrites = config.asyncStorageWrites ?? false;
    this.prevSoftState = this.raft.softState();
    this.prevHardState = this.raft.hardState();
  }

  tick(): void {
    this.raft.tick();
  }

  /** Advances the election clock only; the group is known to be quiescent. */
  tickQuiesced(): void {
    this.raft.electionElapsed++;
  }

  campaign(): void {
    this.raft.step(makeMessage({ type: MessageType.MsgHup }));
  }

  /** Proposes data for the log; throws errProposalDropped when it cannot be accepted. */
  propose(data: Uint8Array): void {
    this.raft.step(
      makeMessage({
        type: MessageType.MsgProp,
        from: this.raft.id,
        entries: [{ term: 0, index: 0, type: 0, data }],
      }),
    );
  }

  proposeConfChange(cc: ConfChangeI): void {
    this.raft.step(confChangeToMsg(cc));
  }

  /** Applies a committed conf change to the configuration; call it when applying the entry. */
  applyConfChange(cc: ConfChangeI): ConfState {
    return applyConfChange(this.raft, asV2(cc));
  }

  /** Steps a message from the network; local message types are refused. */
  step(m: Message): void {
    if (isLocalMsg(m.type) && !isLocalMsgTarget(m.from)) throw errStepLocalMsg;
    if (isResponseMsg(m.type) && !isLocalMsgTarget(m.from) && !this.raft.trk.progress.has(m.from)) {
      throw errStepPeerNotFound;
    }
    this.raft.step(m);
  }

  /** The outstanding work; it must be handled and then passed to advance(). */
  ready(): Ready {
    const rd = this.readyWithoutAccept();
    this.acceptReady(rd);
    return rd;
  }

  /** Builds a Ready without taking it: no obligation to handle it. */
  readyWithoutAccept(): Ready {
    const r = this.raft;
    const rd: Ready = {
      softState: null,
      hardState: noHardState,
      readStates: [],
      entries: r.raftLog.nextUnstableEnts(),
      snapshot: noSnapshot,
      committedEntries: r.raftLog.nextCommittedEnts(this.applyUnstableEntries()),
      messages: r.msgs,
      mustSync: false,
    };
    // The soft and hard states are built only when they changed (most Readies carry neither).
    const prevSoft = this.prevSoftState;
    if (r.lead !== prevSoft.lead || r.state !== prevSoft.raftState) rd.softState = r.softState();
    const prevHard = this.prevHardState;
    const hardChanged =
      r.term !== prevHard.term ||
      r.vote !== prevHard.vote ||
      r.raftLog.committed !== prevHard.commit;
    if (hardChanged) rd.hardState = r.hardState();
    if (r.raftLog.hasNextUnstableSnapshot()) rd.snapshot = r.raftLog.nextUnstableSnapshot()!;
    if (r.readStates.length !== 0) rd.readStates = r.readStates;
    rd.mustSync = mustSync(hardChanged ? rd.hardState : prevHard, prevHard, rd.entries.length);

    if (this.asyncStorageWrites) {
      if (needStorageAppendMsg(r, rd)) rd.messages = [...rd.messages, newStorageAppendMsg(r, rd)];
      if (rd.committedEntries.length > 0) {
        rd.messages = [...rd.messages, newStorageApplyMsg(r, rd.committedEntries)];
      }
    } else {
      // The Ready contract already says Messages leave after Entries are durable, so the
      // messages that wait for durability can go out with this Ready.
      if (r.msgsAfterAppend.length > 0) {
        const afterAppend = r.msgsAfterAppend.filter((m) => m.to !== r.id);
        // The filtered array is a fresh one: with no other messages it is the whole list.
        if (afterAppend.length > 0)
          rd.messages = rd.messages.length === 0 ? afterAppend : rd.messages.concat(afterAppend);
      }
    }
    return rd;
  }

  private acceptReady(rd: Ready): void {
    const r = this.raft;
    if (rd.softState !== null) this.prevSoftState = rd.softState;
    if (!isEmptyHardState(rd.hardState)) this.prevHardState = rd.hardState;
    if (rd.readStates.length !== 0) r.readStates = [];
    if (!this.asyncStorageWrites) {
      if (this.stepsOnAdvance.length !== 0) {
        r.logger.panic('two accepted Ready structs without call to Advance');
      }
      for (const m of r.msgsAfterAppend) {
        if (m.to === r.id) this.stepsOnAdvance.push(m);
      }
      if (needStorageAppendRespMsg(r, rd)) this.stepsOnAdvance.push(newStorageAppendRespMsg(r, rd));
      if (rd.committedEntries.length > 0) {
        this.stepsOnAdvance.push(newStorageApplyRespMsg(r, rd.committedEntries));
      }
    }
    r.msgs = [];
    r.msgsAfterAppend = [];
    r.raftLog.acceptUnstable();
    if (rd.committedEntries.length > 0) {
      const entries = rd.committedEntries;
      const index = entries[entries.length - 1].index;
      r.raftLog.acceptApplying(index, entsSize(entries), this.applyUnstableEntries());
    }
  }

  /** Committed entries may be applied before they are durable locally only with synchronous writes. */
  private applyUnstableEntries(): boolean {
    return !this.asyncStorageWrites;
  }

  hasReady(): boolean {
    const r = this.raft;
    // Compared field by field: hasReady runs after every step and should not allocate.
    const prevSoft = this.prevSoftState;
    if (r.lead !== prevSoft.lead || r.state !== prevSoft.raftState) return true;
    const prevHard = this.prevHardState;
    const committed = r.raftLog.committed;
    const hardStateEmpty = r.term === 0 && r.vote === NONE && committed === 0;
    const hardStateChanged =
      r.term !== prevHard.term || r.vote !== prevHard.vote || committed !== prevHard.commit;
    if (!hardStateEmpty && hardStateChanged) return true;
    if (r.raftLog.hasNextUnstableSnapshot()) return true;
    if (r.msgs.length > 0 || r.msgsAfterAppend.length > 0) return true;
    if (r.raftLog.hasNextUnstableEnts() || r.raftLog.hasNextCommittedEnts(this.applyUnstableEntries())) {
      return true;
    }
    return r.readStates.length !== 0;
  }

  /** Confirms the last Ready was handled: steps the self-acknowledgements it implied. */
  advance(_rd?: Ready): void {
    if (this.asyncStorageWrites) {
      this.raft.logger.panic('Advance must not be called when using AsyncStorageWrites');
    }
    const steps = this.stepsOnAdvance;
    this.stepsOnAdvance = [];
    for (const m of steps) {
      try {
        this.raft.step(m);
      } catch (error) {
        if (!(error instanceof RaftError)) throw error;
      }
    }
  }

  status(): Status {
    return getStatus(this.raft);
  }

  basicStatus(): BasicStatus {
    return getBasicStatus(this.raft);
  }

  withProgress(visitor: (id: NodeId, type: ProgressType, progress: Progress) => void): void {
    this.raft.trk.visit((id, pr) => {
      visitor(id, pr.isLearner ? ProgressType.ProgressTypeLearner : ProgressType.ProgressTypePeer, pr);
    });
  }

  reportUnreachable(id: NodeId): void {
    this.stepIgnoringErrors(makeMessage({ type: MessageType.MsgUnreachable, from: id }));
  }

  reportSnapshot(id: NodeId, status: SnapshotStatus): void {
    const reject = status === SnapshotStatus.SnapshotFailure;
    this.stepIgnoringErrors(makeMessage({ type: MessageType.MsgSnapStatus, from: id, reject }));
  }

  transferLeader(transferee: NodeId): void {
    this.stepIgnoringErrors(makeMessage({ type: MessageType.MsgTransferLeader, from: transferee }));
  }

  forgetLeader(): void {
    this.raft.step(makeMessage({ type: MessageType.MsgForgetLeader }));
  }

  /** Requests a read index; the ReadState with this context appears in a later Ready. */
  readIndex(requestContext: Uint8Array): void {
    this.stepIgnoringErrors(
      makeMessage({
        type: MessageType.MsgReadIndex,
        entries: [{ term: 0, index: 0, type: 0, data: requestContext }],
      }),
    );
  }

  bootstrap(peers: Peer[]): void {
    bootstrap(this, peers);
  }

  private stepIgnoringErrors(m: Message): void {
    try {
      this.raft.step(m);
    } catch (error) {
      if (!(error instanceof RaftError)) throw error;
    }
  }
}

/** Shared, frozen "nothing" values for Ready fields, so an idle Ready allocates less. */
const noHardState: HardState = Object.freeze(emptyHardState());
const noSnapshot: Snapshot = deepFreeze(emptySnapshot());

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) {
    if (typeof inner === 'object' && inner !== null) deepFreeze(inner);
  }
  return Object.freeze(value);
}

/** Term, vote and new entries must reach disk before anything is sent (Raft paper Figure 2). */
export function mustSync(hardState: HardState, previous: HardState, entryCount: number): boolean {
  return entryCount !== 0 || hardState.vote !== previous.vote || hardState.term !== previous.term;
}

export function confChangeToMsg(cc: ConfChangeI | null): Message {
  const { type, data } = cc === null ? { type: 2, data: null } : marshalConfChangeI(cc);
  return makeMessage({ type: MessageType.MsgProp, entries: [{ term: 0, index: 0, type, data }] });
}

function needStorageAppendMsg(r: Raft, rd: Ready): boolean {
  return (
    rd.entries.length > 0 ||
    !isEmptyHardState(rd.hardState) ||
    !isEmptySnapshot(rd.snapshot) ||
    r.msgsAfterAppend.length > 0
  );
}

function needStorageAppendRespMsg(r: Raft, rd: Ready): boolean {
  return r.raftLog.hasNextOrInProgressUnstableEnts() || !isEmptySnapshot(rd.snapshot);
}

/** The message to the local append thread: entries, HardState and snapshot to persist. */
function newStorageAppendMsg(r: Raft, rd: Ready): Message {
  const m = makeMessage({
    type: MessageType.MsgStorageAppend,
    to: localAppendThread,
    from: r.id,
    entries: rd.entries,
  });
  // The HardState fields are all set or all zero, so the host can rebuild it exactly.
  if (!isEmptyHardState(rd.hardState)) {
    m.term = rd.hardState.term;
    m.vote = rd.hardState.vote;
    m.commit = rd.hardState.commit;
  }
  if (!isEmptySnapshot(rd.snapshot)) m.snapshot = rd.snapshot;
  // Self-acks come before the storage ack so that the leader's MsgAppResp is handled while the
  // entries are still in the unstable log.
  m.responses = r.msgsAfterAppend;
  if (needStorageAppendRespMsg(r, rd)) m.responses = [...m.responses, newStorageAppendRespMsg(r, rd)];
  return m;
}

/**
 * The acknowledgement of durable entries. It carries the current term: if the term changed by the
 * time it returns, the entries may have been overwritten (the ABA race) and it is ignored.
 */
function newStorageAppendRespMsg(r: Raft, rd: Ready): Message {
  const m = makeMessage({
    type: MessageType.MsgStorageAppendResp,
    to: r.id,
    from: localAppendThread,
    term: r.term,
  });
  if (r.raftLog.hasNextOrInProgressUnstableEnts()) {
    const last = r.raftLog.lastEntryID();
    m.index = last.index;
    m.logTerm = last.term;
  }
  if (!isEmptySnapshot(rd.snapshot)) m.snapshot = rd.snapshot;
  return m;
}

function newStorageApplyMsg(r: Raft, entries: Entry[]): Message {
  return makeMessage({
    type: MessageType.MsgStorageApply,
    to: localApplyThread,
    from: r.id,
    entries,
    responses: [newStorageApplyRespMsg(r, entries)],
  });
}

function newStorageApplyRespMsg(r: Raft, entries: Entry[]): Message {
  return makeMessage({
    type: MessageType.MsgStorageApplyResp,
    to: r.id,
    from: localApplyThread,
    entries,
  });
}

