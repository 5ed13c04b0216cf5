// A snapshot of a node's state for callers and the UI (etcd's Status and BasicStatus).
import type { HardState, LogIndex, NodeId } from './types';
import type { SoftState } from './ready';
import { StateType } from './ready';
import type { Raft } from './raft';
import type { Progress } from './tracker/progress';
import type { TrackerConfig } from './tracker/tracker';

export interface BasicStatus {
  id: NodeId;
  hardState: HardState;
  softState: SoftState;
  applied: LogIndex;
  leadTransferee: NodeId;
}

export interface Status {
  basic: BasicStatus;
  config: TrackerConfig;
  /** Only a leader tracks its peers' progress; empty otherwise. */
  progress: Map<NodeId, Progress>;
}

export function getBasicStatus(r: Raft): BasicStatus {
  return {
    id: r.id,
    hardState: r.hardState(),
    softState: r.softState(),
    applied: r.raftLog.applied,
    leadTransferee: r.leadTransferee,
  };
}

export function getStatus(r: Raft): Status {
  const progress = new Map<NodeId, Progress>();
  if (r.state === StateType.StateLeader) {
    r.trk.visit((id, pr) => progress.set(id, pr.clone()));
  }
  return { basic: getBasicStatus(r), config: r.trk.config.clone(), progress };
}
