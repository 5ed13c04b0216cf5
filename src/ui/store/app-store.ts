// The app's one vanilla zustand store, in three slices: the run (what the simulator shows now and
// how it plays), view options, and the selection. It holds plain data only; the run itself (the
// model) lives in run-actions.ts outside React, and actions are module-level functions.
import { createStore, type StateCreator } from 'zustand/vanilla';
import type { NodeId } from '../../raft/types';
import type { InvariantName } from '../../checker/invariants/invariants';
import type { FutureInfo, RunConfig } from '../model/app-run';
import type { NodeState } from '../model/node-state';
import type { LinearizabilityView } from '../model/linearizability-view';
import { datadrivenSlice, type DatadrivenSlice } from './datadriven-slice';
import { toolsSlice, type ToolsSlice } from './tools-slice';
import { presentationSlice, type PresentationSlice } from './presentation-slice';
import { durableSlice, type DurableSlice } from '../durable/durable-slice';
import { sweepSlice, type SweepSlice } from './sweep-slice';

export type LinearizabilityResult = 'linearizable' | 'not-linearizable' | 'unknown' | 'pending';

export type CheckedLinearizabilityView = LinearizabilityView & { checkedAtEvent: number };

export interface LinearizabilityState {
  result: LinearizabilityResult;
  text: string;
  checkedAtEvent: number | null;
  /** What the last check found, for the timeline (null before a check, or when stale). */
  view?: CheckedLinearizabilityView | null;
}

export interface ViolationSummary {
  invariant: InvariantName;
  nodeIds: NodeId[];
  explanation: string;
  eventCount: number;
  atMs: number;
  event: string;
}

export interface LinkFaultSummary {
  from: NodeId;
  to: NodeId;
  extraLatencyMs: number;
  /** The extra loss as a ratio's text ("1/2"); "0" when none. */
  loss: string;
}

export interface RunSlice {
  config: RunConfig;
  playing: boolean;
  /** Simulated milliseconds per real millisecond while playing. */
  speed: number;
  eventCount: number;
  nowMs: number;
  /** The furthest event the run has reached (a rewind keeps what lies ahead). */
  knownEventCount: number;
  knownEndMs: number;
  done: boolean;
  nodes: NodeState[];
  cutLinks: [NodeId, NodeId][];
  /** Directions of links slowed or made lossy by hand (cuts are in cutLinks). */
  linkFaults: LinkFaultSummary[];
  violation: ViolationSummary | null;
  linearizability: LinearizabilityState;
  interventionCount: number;
  /** Wall-clock milliseconds the last seek took, for the status line. */
  lastSeekMs: number | null;
  /** The whole run's transcript hash once it is over (as `raftlab run` prints it). */
  transcriptHash: string | null;
  /** Which future the cursor is on (forks made with the Fork control). */
  future: FutureInfo;
}

export type EventLogKind = 'all' | 'messages' | 'ticks' | 'clients' | 'faults' | 'roles';
/**
 * What the event log lists: `etcd` shows the engines' own log lines and each message sent in
 * etcd's describeMessage text (what etcd prints); `simulator` shows the simulator's transcript.
 */
export type EventLogSource = 'etcd' | 'simulator';

export interface EventLogFilter {
  nodeId: NodeId | null;
  source: EventLogSource;
  /** For the simulator's transcript: which events. */
  kind: EventLogKind;
  /** For etcd's lines: 'all', 'log' (log lines only) or one message type name ('MsgApp'). */
  etcdType: string;
}

export interface ViewSlice {
  eventLogFilter: EventLogFilter;
  /** The timeline shows this much simulated time around the cursor. */
  timelineWindowMs: number;
  showHeartbeats: boolean;
}

export interface SelectionSlice {
  /** The node whose menu is open. */
  menuNodeId: NodeId | null;
  /** The link whose menu is open (a < b). */
  menuLink: { a: NodeId; b: NodeId } | null;
  /** The message in flight whose menu is open (its in-flight id). */
  menuFlightId: number | null;
  /** The event the user picked in the event log or the checkers panel. */
  selectedEvent: number | null;
}

export type AppState = RunSlice &
  ViewSlice &
  SelectionSlice &
  DatadrivenSlice &
  ToolsSlice &
  PresentationSlice &
  DurableSlice &
  SweepSlice;

export const defaultRunConfig: RunConfig = { seed: 1, nodeCount: 5, nemesis: [] };

const runSlice: StateCreator<AppState, [], [], RunSlice> = () => ({
  config: defaultRunConfig,
  playing: false,
  speed: 0.05,
  eventCount: 0,
  nowMs: 0,
  knownEventCount: 0,
  knownEndMs: 0,
  done: false,
  nodes: [],
  cutLinks: [],
  linkFaults: [],
  violation: null,
  linearizability: { result: 'pending', text: 'the run is not over yet', checkedAtEvent: null },
  interventionCount: 0,
  lastSeekMs: null,
  transcriptHash: null,
  future: { number: 1, count: 1, forkedAtEvent: null },
});

const viewSlice: StateCreator<AppState, [], [], ViewSlice> = () => ({
  eventLogFilter: { nodeId: null, source: 'etcd', kind: 'all', etcdType: 'all' },
  timelineWindowMs: 500,
  showHeartbeats: false,
});

const selectionSlice: StateCreator<AppState, [], [], SelectionSlice> = () => ({
  menuNodeId: null,
  menuLink: null,
  menuFlightId: null,
  selectedEvent: null,
});

export const appStore = createStore<AppState>()((...args) => ({
  ...runSlice(...args),
  ...viewSlice(...args),
  ...selectionSlice(...args),
  ...datadrivenSlice(...args),
  ...toolsSlice(...args),
  ...presentationSlice(...args),
  ...durableSlice(...args),
  ...sweepSlice(...args),
}));
