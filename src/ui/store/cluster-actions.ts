// Module-level actions: callable from components, from tests and from the window.raftlab handle.
// The cluster runs on simulated time; playing maps real frames onto it with requestAnimationFrame.
import { createCluster, type Cluster } from '../../sim/cluster';
import { textData } from '../../sim/node-snapshot';
import { appStore, type EventLogFilter } from './app-store';

export const clusterNodeCount = 3;
/** How many of each node's last log entries the page shows. */
export const logEntriesShownMax = 48;
/** A frame never advances simulated time by more than this, so a background tab does not jump. */
const frameMsMax = 100;

let cluster: Cluster = createCluster({
  nodeCount: clusterNodeCount,
  seed: appStore.getState().seed,
});
let frameRequest: number | null = null;
let lastFrameMs: number | null = null;
/** Simulated time owed to the cluster but not yet run (runUntil takes whole milliseconds). */
let pendingMs = 0;
/** The event log's appendedCount at the last publish (null: publish it anyway). */
let eventLogPublished: number | null = null;

function publish(): void {
  const snapshot = cluster.snapshot({ logEntriesMax: logEntriesShownMax });
  const appended = cluster.eventLog.appendedCount;
  if (appended === eventLogPublished) {
    appStore.setState({ cluster: snapshot });
    return;
  }
  eventLogPublished = appended;
  appStore.setState({ cluster: snapshot, eventLog: cluster.eventLog.entries() });
}

export function currentCluster(): Cluster {
  return cluster;
}

export function reset(seed: number): void {
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  pause();
  cluster = createCluster({ nodeCount: clusterNodeCount, seed });
  pendingMs = 0;
  eventLogPublished = null;
  appStore.setState({ seed, proposalCount: 0 });
  publish();
}

/** Processes exactly one event: the deterministic way to walk through a run. */
export function step(): void {
  cluster.step();
  publish();
}

export function play(): void {
  if (appStore.getState().playing) return;
  appStore.setState({ playing: true });
  lastFrameMs = null;
  frameRequest = requestAnimationFrame(onFrame);
}

export function pause(): void {
  if (frameRequest !== null) cancelAnimationFrame(frameRequest);
  frameRequest = null;
  appStore.setState({ playing: false });
}

export function setSpeed(speed: number): void {
  if (!(speed > 0 && speed <= 10)) throw new Error(`speed must be in (0, 10], got ${speed}`);
  appStore.setState({ speed });
}

export function setEventLogFilter(filter: Partial<EventLogFilter>): void {
  appStore.setState((state) => ({ eventLogFilter: { ...state.eventLogFilter, ...filter } }));
}

/** Proposes the next value at the leader (or node 1 when there is none, which drops it). */
export function propose(): boolean {
  const leader = cluster
    .snapshot({ logEntriesMax: 0 })
    .nodes.find((node) => node.role === 'leader');
  const { proposalCount } = appStore.getState();
  const accepted = cluster.propose(leader?.id ?? 1, textData(`x${proposalCount + 1}`));
  if (accepted) appStore.setState({ proposalCount: proposalCount + 1 });
  publish();
  return accepted;
}

function onFrame(frameMs: number): void {
  const elapsedMs = lastFrameMs === null ? 0 : Math.min(frameMs - lastFrameMs, frameMsMax);
  lastFrameMs = frameMs;
  pendingMs += elapsedMs * appStore.getState().speed;
  const wholeMs = Math.floor(pendingMs);
  if (wholeMs > 0) {
    pendingMs -= wholeMs;
    cluster.runUntil(cluster.now + wholeMs);
    publish();
  }
  frameRequest = requestAnimationFrame(onFrame);
}

publish();
