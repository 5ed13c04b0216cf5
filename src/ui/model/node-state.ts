// A node as the views draw it, read after an event: plain numbers and the last few log entries,
// no references into the engine, so the store can hold it and React can compare it.
import { StateType } from '../../raft/ready';
import type { NodeId } from '../../raft/types';
import type { NodeDetail } from '../../sim/node-detail';
import { entryPayloadText } from './kv-payload-text';

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
  /** The payload decoded: `put k1=v3 (r12)`, `empty`, a conf change (kv-payload-text.ts). */
  text: string;
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

/** A node as the views draw it, from the simulation's public view of it. */
export function nodeStateOf(detail: NodeDetail): NodeState {
  return {
    id: detail.id,
    role: detail.role,
    paused: detail.paused,
    term: detail.term,
    vote: detail.vote,
    lead: detail.lead,
    commit: detail.commit,
    applied: detail.applied,
    snapshotIndex: detail.snapshotIndex,
    stableIndex: detail.stableIndex,
    lastIndex: detail.lastIndex,
    electionElapsed: detail.electionElapsed,
    electionTimeout: detail.electionTimeout,
    log: detail.log.map((entry) => ({
      index: entry.index,
      term: entry.term,
      confChange: entry.type !== 'normal',
      text: entryPayloadText(entry),
    })),
  };
}
