// A node as the views draw it, read after an event: plain numbers and the last few log entries,
// no references into the engine, so the store can hold it and React can compare it.
import { StateType } from '../../raft/ready';
import { noLimit } from '../../raft/config';
import { EntryType, type NodeId } from '../../raft/types';
import type { KvNode } from '../../sim/process/kv-node';
import type { NodeView } from '../../checker/invariants/node-view';

export type UiRole = 'follower' | 'pre-candidate' | 'candidate' | 'leader' | 'learner' | 'down';
export const uiRoles: readonly UiRole[] = [
  'follower',
  'pre-candidate',
  'candidate',
  'leader',
  'learner',
  'down',
];

export interface LogCell {
  index: number;
  term: number;
  confChange: boolean;
}

export interface NodeState {
  id: NodeId;
  role: UiRole;
  /** Paused nodes are up but neither tick nor take messages until the pause ends. */
  paused: boolean;
  term: number;
  vote: NodeId;
  lead: NodeId;
  commit: number;
  applied: number;
  /** The persisted log holds (snapshotIndex, stableIndex]; the unstable tail runs to lastIndex. */
  snapshotIndex: number;
  stableIndex: number;
  lastIndex: number;
  /** Ticks since the election timer was last reset, and the (randomized) timeout; 0/0 when down. */
  electionElapsed: number;
  electionTimeout: number;
  /** The last entries, oldest first (persisted then unstable). */
  log: LogCell[];
}

/** The app's role name for an engine state (a follower that is a learner shows as learner). */
export function roleOfState(state: StateType, learner: boolean): UiRole {
  switch (state) {
    case StateType.StateLeader:
      return 'leader';
    case StateType.StateCandidate:
      return 'candidate';
    case StateType.StatePreCandidate:
      return 'pre-candidate';
    default:
      return learner ? 'learner' : 'follower';
  }
}

/** The role alone, cheap enough to read after every event. */
export function roleOfNode(node: KvNode): { role: UiRole; term: number } {
  if (!node.up) return { role: 'down', term: node.storage.hardState.term };
  const raft = node.raw.raft;
  return { role: roleOfState(raft.state, raft.isLearner), term: raft.term };
}

export function readNodeState(
  node: KvNode,
  view: NodeView,
  options: { nowMs: number; logCellsMax: number },
): NodeState {
  const storage = node.storage;
  const stableIndex = storage.lastIndex();
  const from = Math.max(storage.firstIndex(), stableIndex + 1 - options.logCellsMax);
  const stable = from <= stableIndex ? storage.entries(from, stableIndex + 1, noLimit) : [];
  const raft = node.up ? node.raw.raft : null;
  const unstable = raft?.raftLog.unstable.entries ?? [];
  const log = [...stable, ...unstable].slice(-options.logCellsMax).map((entry) => ({
    index: entry.index,
    term: entry.term,
    confChange: entry.type !== EntryType.EntryNormal,
  }));
  const hardState = storage.hardState;
  return {
    id: node.id,
    role: roleOfNode(node).role,
    paused: node.up && node.pausedUntilMs > options.nowMs,
    term: raft?.term ?? hardState.term,
    vote: raft?.vote ?? hardState.vote,
    lead: raft?.lead ?? 0,
    commit: raft?.raftLog.committed ?? hardState.commit,
    applied: view.applied,
    snapshotIndex: storage.firstIndex() - 1,
    stableIndex,
    lastIndex: Math.max(stableIndex, unstable.length > 0 ? unstable[unstable.length - 1].index : 0),
    electionElapsed: raft?.electionElapsed ?? 0,
    electionTimeout: raft?.randomizedElectionTimeout ?? 0,
    log,
  };
}
