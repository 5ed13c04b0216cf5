// The engine's wire and storage types, the counterparts of etcd's raftpb package.
// Numbers stand for etcd's uint64 fields: every term, index and node id a cluster can reach
// stays far below 2^53, and the engine asserts that where it builds them.

/** A Raft term. */
export type Term = number;
/** A position in the replicated log; 0 means "none". */
export type LogIndex = number;
/** A node's id; 0 means "none" (etcd's `None`). */
export type NodeId = number;

export const NONE: NodeId = 0;

export enum EntryType {
  EntryNormal = 0,
  EntryConfChange = 1,
  EntryConfChangeV2 = 2,
}

export interface Entry {
  term: Term;
  index: LogIndex;
  type: EntryType;
  /** The payload; null stands for Go's nil slice (it matters for the encoded size). */
  data: Uint8Array | null;
}

export enum MessageType {
  MsgHup = 0,
  MsgBeat = 1,
  MsgProp = 2,
  MsgApp = 3,
  MsgAppResp = 4,
  MsgVote = 5,
  MsgVoteResp = 6,
  MsgSnap = 7,
  MsgHeartbeat = 8,
  MsgHeartbeatResp = 9,
  MsgUnreachable = 10,
  MsgSnapStatus = 11,
  MsgCheckQuorum = 12,
  MsgTransferLeader = 13,
  MsgTimeoutNow = 14,
  MsgReadIndex = 15,
  MsgReadIndexResp = 16,
  MsgPreVote = 17,
  MsgPreVoteResp = 18,
  MsgStorageAppend = 19,
  MsgStorageAppendResp = 20,
  MsgStorageApply = 21,
  MsgStorageApplyResp = 22,
  MsgForgetLeader = 23,
}

export interface ConfState {
  voters: NodeId[];
  learners: NodeId[];
  votersOutgoing: NodeId[];
  learnersNext: NodeId[];
  autoLeave: boolean;
}

export interface SnapshotMetadata {
  confState: ConfState;
  index: LogIndex;
  term: Term;
}

export interface Snapshot {
  data: Uint8Array | null;
  metadata: SnapshotMetadata;
}

export interface Message {
  type: MessageType;
  to: NodeId;
  from: NodeId;
  term: Term;
  logTerm: Term;
  index: LogIndex;
  entries: Entry[];
  commit: LogIndex;
  vote: NodeId;
  /** Present (and non-empty) for MsgSnap; null otherwise. */
  snapshot: Snapshot | null;
  reject: boolean;
  rejectHint: LogIndex;
  context: Uint8Array | null;
  responses: Message[];
}

export interface HardState {
  term: Term;
  vote: NodeId;
  commit: LogIndex;
}

export enum ConfChangeTransition {
  ConfChangeTransitionAuto = 0,
  ConfChangeTransitionJointImplicit = 1,
  ConfChangeTransitionJointExplicit = 2,
}

export enum ConfChangeType {
  ConfChangeAddNode = 0,
  ConfChangeRemoveNode = 1,
  ConfChangeUpdateNode = 2,
  ConfChangeAddLearnerNode = 3,
}

export interface ConfChange {
  type: ConfChangeType;
  nodeId: NodeId;
  context: Uint8Array | null;
  id: number;
}

export interface ConfChangeSingle {
  type: ConfChangeType;
  nodeId: NodeId;
}

export interface ConfChangeV2 {
  transition: ConfChangeTransition;
  changes: ConfChangeSingle[];
  context: Uint8Array | null;
}

/**
 * Builds a message with etcd's zero values for every field not given. Every message gets the same
 * fields in the same order: one object shape keeps the engine's hot paths monomorphic.
 */
export function makeMessage(fields: Partial<Message> & { type: MessageType }): Message {
  return {
    type: fields.type,
    to: fields.to ?? NONE,
    from: fields.from ?? NONE,
    term: fields.term ?? 0,
    logTerm: fields.logTerm ?? 0,
    index: fields.index ?? 0,
    entries: fields.entries ?? [],
    commit: fields.commit ?? 0,
    vote: fields.vote ?? NONE,
    snapshot: fields.snapshot ?? null,
    reject: fields.reject ?? false,
    rejectHint: fields.rejectHint ?? 0,
    context: fields.context ?? null,
    responses: fields.responses ?? [],
  };
}

export function makeEntry(fields: Partial<Entry>): Entry {
  return { term: 0, index: 0, type: EntryType.EntryNormal, data: null, ...fields };
}

export function emptyConfState(): ConfState {
  return { voters: [], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false };
}

export function emptySnapshot(): Snapshot {
  return { data: null, metadata: { confState: emptyConfState(), index: 0, term: 0 } };
}

export function emptyHardState(): HardState {
  return { term: 0, vote: NONE, commit: 0 };
}

export function isEmptyHardState(hardState: HardState): boolean {
  return hardState.term === 0 && hardState.vote === NONE && hardState.commit === 0;
}

export function isHardStateEqual(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

export function isEmptySnapshot(snapshot: Snapshot): boolean {
  return snapshot.metadata.index === 0;
}
