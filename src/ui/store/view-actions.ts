// Actions on view options and the selection: no effect on the run.
import type { NodeId } from '../../raft/types';
import { appStore, type EventLogKind } from './app-store';

export function setEventLogFilter(filter: { nodeId?: NodeId | null; kind?: EventLogKind }): void {
  appStore.setState((state) => ({ eventLogFilter: { ...state.eventLogFilter, ...filter } }));
}

export function openNodeMenu(nodeId: NodeId | null): void {
  appStore.setState({ menuNodeId: nodeId });
}

export function selectEvent(eventCount: number | null): void {
  appStore.setState({ selectedEvent: eventCount });
}

export const timelineWindows = [100, 500, 2_000, 10_000, 60_000] as const;

export function setTimelineWindow(windowMs: number): void {
  if (!(windowMs > 0)) throw new Error(`timeline window must be positive, got ${windowMs}`);
  appStore.setState({ timelineWindowMs: windowMs });
}

export function setShowHeartbeats(show: boolean): void {
  appStore.setState({ showHeartbeats: show });
}
