// The app's one vanilla zustand store. It holds the latest plain snapshot of the cluster and the
// playback settings; the cluster itself (the model) lives in cluster-actions.ts, outside React.
import { createStore } from 'zustand/vanilla';
import type { NodeId } from '../../raft/types';
import type { ClusterSnapshot } from '../../sim/cluster';
import type { EventLogEntry, EventLogKind } from '../../sim/event-log';

/** Which event log entries the panel shows; null shows all. */
export interface EventLogFilter {
  nodeId: NodeId | null;
  kind: EventLogKind | null;
}

export interface AppState {
  seed: number;
  playing: boolean;
  /** Simulated milliseconds per real millisecond while playing. */
  speed: number;
  /** Proposals accepted so far, used to label the next one. */
  proposalCount: number;
  /** The cluster as of the last published event: views derive everything from it. */
  cluster: ClusterSnapshot;
  /** The simulator's event log as of the last published event, oldest first. */
  eventLog: readonly EventLogEntry[];
  eventLogFilter: EventLogFilter;
}

export const emptyClusterSnapshot: ClusterSnapshot = {
  seed: 0,
  nowMs: 0,
  eventCount: 0,
  nodes: [],
};

export const appStore = createStore<AppState>()(() => ({
  seed: 1,
  playing: false,
  speed: 0.25,
  proposalCount: 0,
  cluster: emptyClusterSnapshot,
  eventLog: [],
  eventLogFilter: { nodeId: null, kind: null },
}));
