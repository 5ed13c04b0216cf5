// Actions on view options and the selection: no effect on the run.
import type { NodeId } from '../../raft/types';
import { appStore, type EventLogFilter } from './app-store';

export function setEventLogFilter(filter: Partial<EventLogFilter>): void {
  appStore.setState((state) => ({ eventLogFilter: { ...state.eventLogFilter, ...filter } }));
}

/** Opens a node's menu (null closes every menu): at most one menu is open at a time. */
export function openNodeMenu(nodeId: NodeId | null): void {
  appStore.setState({ menuNodeId: nodeId, menuLink: null, menuFlightId: null });
}

/** Opens the menu of the link between a and b. */
export function openLinkMenu(a: NodeId, b: NodeId): void {
  const link = a < b ? { a, b } : { a: b, b: a };
  appStore.setState({ menuNodeId: null, menuLink: link, menuFlightId: null });
}

/** Opens the menu of a message in flight (by its in-flight id). */
export function openMessageMenu(flightId: number): void {
  appStore.setState({ menuNodeId: null, menuLink: null, menuFlightId: flightId });
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
