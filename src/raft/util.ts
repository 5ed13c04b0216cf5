// Small helpers the engine shares, ported from etcd/raft's util.go (the describe* formatters
// live in describe.ts, the entry sizes in encoding/sizes.ts).
import { localAppendThread, localApplyThread } from './config';
import type { EntryEncodingSize } from './encoding/sizes';
import { entrySize } from './encoding/sizes';
import { RaftPanic, type Logger } from './logger';
import { MessageType, type ConfState, type Entry, type NodeId } from './types';

const localMessageTypes: ReadonlySet<MessageType> = new Set([
  MessageType.MsgHup,
  MessageType.MsgBeat,
  MessageType.MsgUnreachable,
  MessageType.MsgSnapStatus,
  MessageType.MsgCheckQuorum,
  MessageType.MsgStorageAppend,
  MessageType.MsgStorageAppendResp,
  MessageType.MsgStorageApply,
  MessageType.MsgStorageApplyResp,
]);

const responseMessageTypes: ReadonlySet<MessageType> = new Set([
  MessageType.MsgAppResp,
  MessageType.MsgVoteResp,
  MessageType.MsgHeartbeatResp,
  MessageType.MsgUnreachable,
  MessageType.MsgReadIndexResp,
  MessageType.MsgPreVoteResp,
  MessageType.MsgStorageAppendResp,
  MessageType.MsgStorageApplyResp,
]);

/** Messages a node makes for itself (or its storage threads); they never cross the network. */
export function isLocalMsg(type: MessageType): boolean {
  return localMessageTypes.has(type);
}

/** Messages that answer another message. */
export function isResponseMsg(type: MessageType): boolean {
  return responseMessageTypes.has(type);
}

/** Whether `id` names one of the local storage threads used with asynchronous storage writes. */
export function isLocalMsgTarget(id: NodeId): boolean {
  return id === localAppendThread || id === localApplyThread;
}

/** Maps MsgVote and MsgPreVote to their response types; any other type is a programmer error. */
export function voteRespMsgType(type: MessageType): MessageType {
  switch (type) {
    case MessageType.MsgVote:
      return MessageType.MsgVoteResp;
    case MessageType.MsgPreVote:
      return MessageType.MsgPreVoteResp;
    default:
      throw new RaftPanic(`not a vote message: ${MessageType[type] ?? String(type)}`);
  }
}

/**
 * The longest prefix of `entries` whose encoded size does not exceed `maxSize`. A non-empty input
 * always gives a non-empty prefix: when the first entry alone is larger than `maxSize`, it is
 * returned by itself, so that a large entry can never block replication.
 */
export function limitSize(entries: Entry[], maxSize: EntryEncodingSize): Entry[] {
  if (entries.length === 0) return entries;
  let size = entrySize(entries[0]);
  for (let limit = 1; limit < entries.length; limit++) {
    size += entrySize(entries[limit]);
    if (size > maxSize) return entries.slice(0, limit);
  }
  return entries;
}

/** `destination` followed by `values`, as a new array (etcd's extend; neither input changes). */
export function extend(destination: readonly Entry[], values: readonly Entry[]): Entry[] {
  return destination.concat(values);
}

function sortedCopy(ids: readonly NodeId[]): NodeId[] {
  return [...ids].sort((a, b) => a - b);
}

function sameIds(a: readonly NodeId[], b: readonly NodeId[]): boolean {
  return a.length === b.length && a.every((id, position) => id === b[position]);
}

function formatConfStateFields(state: ConfState): string {
  return (
    `{Voters:[${state.voters.join(' ')}] Learners:[${state.learners.join(' ')}] ` +
    `VotersOutgoing:[${state.votersOutgoing.join(' ')}] LearnersNext:[${state.learnersNext.join(' ')}] ` +
    `AutoLeave:${state.autoLeave}}`
  );
}

/**
 * Null if the two states describe the same configuration (each id list compared as a set after
 * sorting), else a message showing both (etcd's ConfState.Equivalent; the message is laid out
 * like etcd's, but prints the states in this engine's own notation, not Go's %+#v).
 */
export function confStateEquivalent(a: ConfState, b: ConfState): string | null {
  const left = {
    voters: sortedCopy(a.voters),
    learners: sortedCopy(a.learners),
    votersOutgoing: sortedCopy(a.votersOutgoing),
    learnersNext: sortedCopy(a.learnersNext),
    autoLeave: a.autoLeave,
  };
  const right = {
    voters: sortedCopy(b.voters),
    learners: sortedCopy(b.learners),
    votersOutgoing: sortedCopy(b.votersOutgoing),
    learnersNext: sortedCopy(b.learnersNext),
    autoLeave: b.autoLeave,
  };
  const equal =
    sameIds(left.voters, right.voters) &&
    sameIds(left.learners, right.learners) &&
    sameIds(left.votersOutgoing, right.votersOutgoing) &&
    sameIds(left.learnersNext, right.learnersNext) &&
    left.autoLeave === right.autoLeave;
  if (equal) return null;
  return (
    `ConfStates not equivalent after sorting:\n${formatConfStateFields(left)}\n${formatConfStateFields(right)}\n` +
    `Inputs were:\n${formatConfStateFields(a)}\n${formatConfStateFields(b)}`
  );
}

/** Panics through `logger` unless the two states are equivalent. */
export function assertConfStatesEquivalent(logger: Logger, a: ConfState, b: ConfState): void {
  const problem = confStateEquivalent(a, b);
  if (problem !== null) logger.panic(problem);
}
