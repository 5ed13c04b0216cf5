// A node as the app draws it, as plain data: role (with learner and down), term, vote, leader,
// commit and applied indexes, the election timer, the configuration, and the last log entries
// with their type and a readable text, persisted and not yet persisted. Built on demand (the app
// asks after a step or a seek), so it may cost more than the per-event NodeView.
import { noLimit } from '../raft/config';
import {
  unmarshalConfChange,
  unmarshalConfChangeV2,
  confChangesToString,
  asV2,
} from '../raft/encoding/conf-change';
import { StateType } from '../raft/ready';
import { EntryType, type Entry, type LogIndex, type NodeId, type Term } from '../raft/types';
import { dataText, type LogEntrySnapshot } from './node-snapshot';
import type { KvNode } from './process/kv-node';
import { describeCommand } from './simulation-text';
import { decodeProposal } from './workload/kv-codec';

export type NodeDetailRole =
  'follower' | 'pre-candidate' | 'candidate' | 'leader' | 'learner' | 'down';

export interface NodeLogEntry extends LogEntrySnapshot {
  /** A short reading of the entry: "r12 put k1 3-4", "conf-change add-learner 4", "empty". */
  text: string;
  /** False for the unstable tail: appended in memory, not yet written to the node's storage. */
  persisted: boolean;
}

export interface NodeConfiguration {
  voters: NodeId[];
  /** The outgoing voters while in joint consensus (empty otherwise). */
  votersOutgoing: NodeId[];
  learners: NodeId[];
  learnersNext: NodeId[];
  autoLeave: boolean;
}

export interface NodeDetail {
  id: NodeId;
  role: NodeDetailRole;
  up: boolean;
  /** Up but neither ticking nor taking messages until pausedUntilMs. */
  paused: boolean;
  pausedUntilMs: number;
  term: Term;
  vote: NodeId;
  lead: NodeId;
  commit: LogIndex;
  applied: LogIndex;
  /** Ticks since the election timer was last reset, and its randomized timeout (0/0 when down). */
  electionElapsed: number;
  electionTimeout: number;
  /** The index the stored log starts after. */
  snapshotIndex: LogIndex;
  /** The last index in the node's storage (persisted). */
  stableIndex: LogIndex;
  /** The last index including the unstable tail. */
  lastIndex: LogIndex;
  /** Entries appended in memory but not yet persisted. */
  unstableCount: number;
  /** The last entries (at most the requested number), oldest first. */
  log: NodeLogEntry[];
  /** The configuration as this node's engine sees it (its stored one when down). */
  configuration: NodeConfiguration;
  /** A conf change is pending at or below this index (etcd's pendingConfIndex; 0 when down). */
  pendingConfIndex: LogIndex;
  /** The node's own clock in ms (it drifts with the node's tick rate). */
  localClockMs: number;
}

export interface NodeDetailContext {
  nowMs: number;
  logEntriesMax: number;
  localClockMs: number;
}

/** The role alone, cheap enough to read after every event. */
export function roleOfKvNode(node: KvNode): NodeDetailRole {
  if (!node.up) return 'down';
  const raft = node.raw.raft;
  switch (raft.state) {
    case StateType.StateLeader:
      return 'leader';
    case StateType.StateCandidate:
      return 'candidate';
    case StateType.StatePreCandidate:
      return 'pre-candidate';
    default:
      return raft.isLearner ? 'learner' : 'follower';
  }
}

export function nodeDetailOf(node: KvNode, context: NodeDetailContext): NodeDetail {
  const storage = node.storage;
  const stableIndex = storage.lastIndex();
  const raft = node.up ? node.raw.raft : null;
  const unstable = (raft?.raftLog.unstable.entries ?? []).filter((entry) => entry.index > 0);
  const firstUnstable = unstable.length > 0 ? unstable[0].index : stableIndex + 1;
  const stableEnd = Math.min(stableIndex, firstUnstable - 1);
  const from = Math.max(storage.firstIndex(), stableEnd + 1 - context.logEntriesMax);
  const stable = from <= stableEnd ? storage.entries(from, stableEnd + 1, noLimit) : [];
  const log = [
    ...stable.map((entry) => logEntryOf(entry, true)),
    ...unstable.map((entry) => logEntryOf(entry, false)),
  ].slice(-context.logEntriesMax);
  const hardState = storage.hardState;
  const view = node.view();
  return {
    id: node.id,
    role: roleOfKvNode(node),
    up: node.up,
    paused: node.up && node.pausedUntilMs > context.nowMs,
    pausedUntilMs: node.pausedUntilMs,
    term: raft?.term ?? hardState.term,
    vote: raft?.vote ?? hardState.vote,
    lead: raft?.lead ?? 0,
    commit: raft?.raftLog.committed ?? hardState.commit,
    applied: view.applied,
    electionElapsed: raft?.electionElapsed ?? 0,
    electionTimeout: raft?.randomizedElectionTimeout ?? 0,
    snapshotIndex: storage.firstIndex() - 1,
    stableIndex,
    lastIndex: Math.max(stableIndex, unstable.length > 0 ? unstable[unstable.length - 1].index : 0),
    unstableCount: unstable.length,
    log,
    configuration: configurationOf(node),
    pendingConfIndex: raft?.pendingConfIndex ?? 0,
    localClockMs: context.localClockMs,
  };
}

function configurationOf(node: KvNode): NodeConfiguration {
  const state = node.up ? node.raw.raft.trk.confState() : storedConfState(node);
  return {
    voters: [...state.voters],
    votersOutgoing: [...state.votersOutgoing],
    learners: [...state.learners],
    learnersNext: [...state.learnersNext],
    autoLeave: state.autoLeave,
  };
}

function storedConfState(node: KvNode): ReturnType<KvNode['raw']['raft']['trk']['confState']> {
  return node.storage.initialState().confState;
}

export function logEntryOf(entry: Entry, persisted: boolean): NodeLogEntry {
  const type =
    entry.type === EntryType.EntryNormal
      ? 'normal'
      : entry.type === EntryType.EntryConfChange
        ? 'conf-change'
        : 'conf-change-v2';
  return {
    index: entry.index,
    term: entry.term,
    type,
    dataText: dataText(entry.data),
    text: entryText(entry),
    persisted,
  };
}

/** A readable entry: the client command, the configuration change, or "empty". */
export function entryText(entry: Entry): string {
  const data = entry.data ?? new Uint8Array(0);
  if (entry.type === EntryType.EntryNormal) {
    if (data.length === 0) return 'empty';
    const decoded = decodeProposal(data);
    if (!decoded.ok) return `? ${decoded.error}`;
    return `r${decoded.value.requestId} ${describeCommand(decoded.value.command)}`;
  }
  try {
    const change =
      entry.type === EntryType.EntryConfChange
        ? asV2(unmarshalConfChange(data))
        : unmarshalConfChangeV2(data);
    const text = confChangesToString(change.changes);
    return text === '' ? 'leave-joint' : text;
  } catch (error) {
    return `? ${(error as Error).message}`;
  }
}
