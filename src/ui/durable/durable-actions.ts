// Module-level actions for durable mode: the run (durable-app-run.ts) lives here, outside React,
// and publish() copies what the views need into the store. Every call to the nodes (a step's
// batch, an inspection) goes through one queue, since each node answers one request at a time.
// Playing advances simulated time by the real time since the last frame, scaled by the speed,
// awaiting each event's batch; the storage is inspected when the run stands still (and about
// once a second while it plays).
import type { NodeId } from '../../raft/types';
import { appStore } from '../store/app-store';
import { DurableAppRun, type DurableRunConfig, type InspectableDrivers } from './durable-app-run';
import type { DurableNodeInfo } from './durable-slice';

const frameRealMsMax = 100;
/** Events one frame may await before the view catches up. */
const frameEventsMax = 200;
const playInspectEveryRealMs = 1_000;

let run: DurableAppRun | null = null;
let drivers: InspectableDrivers | null = null;
let queue: Promise<unknown> = Promise.resolve();
let playing = false;
let frameRequest: number | null = null;
let lastFrameMs: number | null = null;
let lastInspectMs = 0;

export function currentDurableRun(): DurableAppRun | null {
  return run;
}

/** Runs `work` after everything queued before it; the store says busy meanwhile. */
function enqueue<T>(work: () => Promise<T>): Promise<T> {
  const next = queue.then(async () => {
    setBusy(true);
    try {
      return await work();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      patch({ error: message });
      pauseDurable();
      throw error;
    } finally {
      setBusy(false);
    }
  });
  queue = next.catch(() => undefined);
  return next;
}

function patch(fields: Partial<NonNullable<ReturnType<typeof appStore.getState>['durable']>>): void {
  const durable = appStore.getState().durable;
  if (durable !== null) appStore.setState({ durable: { ...durable, ...fields } });
}

function setBusy(busy: boolean): void {
  if (appStore.getState().durable?.busy !== busy) patch({ busy });
}

/** Copies the run's nodes and clock into the store. */
export function publishDurable(): void {
  if (run === null) return;
  const current = run;
  const before = appStore.getState().durable;
  const nodes: DurableNodeInfo[] = current.nodeIds.map((id) => ({
    id,
    status: current.status(id),
    up: current.isUp(id),
    inspection: before?.nodes.find((node) => node.id === id)?.inspection ?? null,
  }));
  appStore.setState({
    eventCount: current.eventCount,
    nowMs: current.nowMs,
    knownEventCount: current.eventCount,
    knownEndMs: current.nowMs,
    done: current.done,
    nodes: current.nodeStates(),
    durable: before === null ? null : { ...before, nodes },
  });
}

/** Starts a durable run (its disks named by config.runId and the seed); inspects the disks. */
export async function startDurableRun(config: DurableRunConfig, makeDrivers: InspectableDrivers): Promise<void> {
  pauseDurable();
  const old = run;
  await enqueue(async () => {
    await old?.terminate();
  });
  drivers = makeDrivers;
  run = new DurableAppRun(config, makeDrivers);
  appStore.setState({
    config: { seed: config.seed, nodeCount: config.nodeCount, nemesis: config.nemesis },
    playing: false,
    durable: {
      runId: config.runId,
      seed: config.seed,
      nodeCount: config.nodeCount,
      busy: false,
      nodes: [],
      inspectedAtEvent: null,
      resumedFromDisk: false,
      error: null,
    },
  });
  publishDurable();
  await inspectStorage();
  const stored = appStore.getState().durable?.nodes.some((node) => (node.inspection?.files.length ?? 0) > 0) ?? false;
  patch({ resumedFromDisk: stored });
}

/** The drivers the current run was made with (to start another run the same way). */
export function durableDrivers(): InspectableDrivers | null {
  return drivers;
}

/** Reads every node's data dir through its process (between batches). */
export function inspectStorage(): Promise<void> {
  return enqueue(async () => {
    if (run === null) return;
    const current = run;
    const inspections = new Map<NodeId, DurableNodeInfo['inspection']>();
    for (const id of current.nodeIds) inspections.set(id, await current.inspect(id));
    if (current !== run) return;
    const durable = appStore.getState().durable;
    if (durable === null) return;
    const nodes = durable.nodes.map((node) => ({ ...node, inspection: inspections.get(node.id) ?? null }));
    appStore.setState({ durable: { ...durable, nodes, inspectedAtEvent: current.eventCount } });
  });
}

/** Processes `count` events (one awaited batch each), then inspects the storage. */
export async function stepDurable(count = 1): Promise<void> {
  await enqueue(async () => {
    for (let i = 0; i < count && run !== null && (await run.step()); i++) {
      // Each step is one event.
    }
    publishDurable();
  });
  await inspectStorage();
}

/** Steps until `done(state)` holds for the published state, or `eventsMax` events pass. */
export async function stepDurableUntil(
  done: (nodes: ReturnType<typeof appStore.getState>['nodes']) => boolean,
  eventsMax: number,
): Promise<boolean> {
  let reached = false;
  await enqueue(async () => {
    for (let i = 0; i < eventsMax && run !== null; i++) {
      if (!(await run.step())) break;
      if (done(run.nodeStates())) {
        reached = true;
        break;
      }
    }
    publishDurable();
  });
  await inspectStorage();
  return reached;
}

export function playDurable(): void {
  if (playing || run === null || run.done) return;
  playing = true;
  lastFrameMs = null;
  appStore.setState({ playing: true });
  frameRequest = requestAnimationFrame(onFrame);
}

export function pauseDurable(): void {
  if (frameRequest !== null) cancelAnimationFrame(frameRequest);
  frameRequest = null;
  const was = playing;
  playing = false;
  if (appStore.getState().playing) appStore.setState({ playing: false });
  if (was) void inspectStorage();
}

function onFrame(frameMs: number): void {
  frameRequest = null;
  const elapsedMs = lastFrameMs === null ? 0 : Math.min(frameMs - lastFrameMs, frameRealMsMax);
  lastFrameMs = frameMs;
  const current = run;
  if (!playing || current === null) return;
  const targetMs = current.nowMs + Math.max(1, Math.floor(elapsedMs * appStore.getState().speed));
  void enqueue(async () => {
    for (let i = 0; i < frameEventsMax && current.nowMs < targetMs; i++) if (!(await current.step())) break;
    publishDurable();
  }).then(async () => {
    if (current.done) pauseDurable();
    if (!playing) return;
    if (frameMs - lastInspectMs >= playInspectEveryRealMs) {
      lastInspectMs = frameMs;
      await inspectStorage();
    }
    if (playing) frameRequest = requestAnimationFrame(onFrame);
  });
}

/** Resolves once everything queued so far has run. */
export function durableIdle(): Promise<void> {
  return queue.then(() => undefined);
}
