// Module-level actions for durable mode: the session (durable-session.ts) lives here, outside
// React, and publishDurable() copies what the views need into the store. Every call to the nodes
// (a step's batch, an injection, a seek's replay, an inspection) goes through one queue, since
// each node answers one request at a time. Playing advances simulated time by the real time
// since the last frame, scaled by the speed, awaiting each event's batch; the storage is
// inspected when the run stands still (and about once a second while it plays). The shared
// panels read this session's trace through the run source installed here.
import type { NodeId } from '../../raft/types';
import type { DurableInjection } from '../../sim/durable/durable-simulation';
import { appStore, type ViolationSummary } from '../store/app-store';
import { installRunSource } from '../store/run-source';
import type { DurableAppRun, DurableRunConfig } from './durable-app-run';
import {
  DurableSession,
  type DurableIntervention,
  type DurableSessionHooks,
} from './durable-session';
import type { DurableNodeInfo, DurableState } from './durable-slice';

const frameRealMsMax = 100;
/** Events one frame may await before the view catches up. */
const frameEventsMax = 200;
const playInspectEveryRealMs = 1_000;

let session: DurableSession | null = null;
let queue: Promise<unknown> = Promise.resolve();
let playing = false;
let frameRequest: number | null = null;
let lastFrameMs: number | null = null;
let lastInspectMs = 0;
/** The newest position asked for, and the seek waiting in the queue to go there (if any). */
let seekTarget = 0;
let queuedSeek: Promise<void> | null = null;

export function currentDurableRun(): DurableAppRun | null {
  return session?.run ?? null;
}

export function currentDurableSession(): DurableSession | null {
  return session;
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

function patch(fields: Partial<DurableState>): void {
  const durable = appStore.getState().durable;
  if (durable !== null) appStore.setState({ durable: { ...durable, ...fields } });
}

function setBusy(busy: boolean): void {
  if (appStore.getState().durable?.busy !== busy) patch({ busy });
}

function violationSummary(run: DurableAppRun): ViolationSummary | null {
  const violation = run.violation;
  if (violation === null) return null;
  const { invariant, nodeIds, explanation, eventCount, atMs, event } = violation;
  return { invariant, nodeIds, explanation, eventCount, atMs, event };
}

/** Copies the session's nodes, clock, trace extent and checkers into the store. */
export function publishDurable(): void {
  if (session === null) return;
  const current = session.run;
  const state = appStore.getState();
  const before = state.durable;
  const nodes: DurableNodeInfo[] = current.nodeIds.map((id) => ({
    id,
    status: current.status(id),
    up: current.isUp(id),
    lastWrite: current.lastWrite(id),
    inspection: before?.nodes.find((node) => node.id === id)?.inspection ?? null,
  }));
  const stale =
    state.linearizability.checkedAtEvent !== null &&
    state.linearizability.checkedAtEvent !== current.eventCount;
  appStore.setState({
    eventCount: current.eventCount,
    nowMs: current.nowMs,
    knownEventCount: Math.max(session.trace.eventCount, current.eventCount),
    knownEndMs: Math.max(session.trace.endMs, current.nowMs),
    done: current.done,
    nodes: current.nodeStates(),
    violation: violationSummary(current),
    interventionCount: session.interventionList.length,
    linearizability: stale
      ? { result: 'pending', text: 'the run moved since the last check', checkedAtEvent: null }
      : state.linearizability,
    durable:
      before === null
        ? null
        : { ...before, nodes, branch: session.branch, transcriptHash: current.transcriptHash },
  });
  if (current.done && appStore.getState().linearizability.checkedAtEvent === null)
    checkDurableHistory();
}

/** Checks the client history so far for linearizability (blocking; histories are small). */
export function checkDurableHistory(): void {
  if (session === null) return;
  const report = session.checkHistory();
  appStore.setState({
    linearizability: {
      result: report.verdict,
      text: report.text,
      checkedAtEvent: session.run.eventCount,
    },
  });
}

/** Starts a durable run (its disks named by config.runId, the branch and the seed); inspects the disks. */
export async function startDurableRun(
  config: DurableRunConfig,
  sessionHooks: DurableSessionHooks,
  interventions: readonly DurableIntervention[] = [],
): Promise<void> {
  pauseDurable();
  const old = session;
  await enqueue(async () => {
    await old?.terminate();
  });
  session = new DurableSession(config, sessionHooks, interventions);
  installRunSource({
    trace: () => session!.trace,
    displayTime: () => appStore.getState().nowMs,
    // A refused seek shows as the page's error (enqueue stores it).
    seek: (eventCount) => void seekDurable(eventCount).catch(() => undefined),
    seekToTime: (timeMs) =>
      void seekDurable(session!.trace.eventAtTime(timeMs)).catch(() => undefined),
    checkHistoryNow: checkDurableHistory,
  });
  appStore.setState({
    config: { seed: config.seed, nodeCount: config.nodeCount, nemesis: config.nemesis },
    playing: false,
    menuNodeId: null,
    selectedEvent: null,
    lastSeekMs: null,
    linearizability: { result: 'pending', text: 'the run is not over yet', checkedAtEvent: null },
    durable: {
      runId: config.runId,
      seed: config.seed,
      nodeCount: config.nodeCount,
      engine: config.engine ?? 'etcd',
      transcriptHash: null,
      branch: config.branch ?? 0,
      busy: false,
      nodes: [],
      inspectedAtEvent: null,
      resumedFromDisk: false,
      seeking: null,
      error: null,
    },
  });
  publishDurable();
  await inspectStorage();
  const stored =
    appStore.getState().durable?.nodes.some((node) => (node.inspection?.files.length ?? 0) > 0) ??
    false;
  patch({ resumedFromDisk: stored });
  if (!stored) return;
  // Keep a copy of the disks as found, so a rewind can replay from them (if the drivers can).
  const current = session;
  await enqueue(async () => {
    if (current === session) await current.resumeFromFoundDisks();
  });
}

/** Reads every node's data dir through its process (between batches). */
export function inspectStorage(): Promise<void> {
  return enqueue(async () => {
    if (session === null) return;
    const current = session.run;
    const inspections = new Map<NodeId, DurableNodeInfo['inspection']>();
    for (const id of current.nodeIds) inspections.set(id, await current.inspect(id));
    if (current !== session.run) return;
    const durable = appStore.getState().durable;
    if (durable === null) return;
    const nodes = durable.nodes.map((node) => ({
      ...node,
      inspection: inspections.get(node.id) ?? null,
    }));
    appStore.setState({ durable: { ...durable, nodes, inspectedAtEvent: current.eventCount } });
  });
}

/** Processes `count` steps (one awaited batch each; the first boots every node), then inspects the storage. */
export async function stepDurable(count = 1): Promise<void> {
  await enqueue(async () => {
    for (let i = 0; i < count && session !== null && (await session.step()); i++) {
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
    for (let i = 0; i < eventsMax && session !== null; i++) {
      if (!(await session.step())) break;
      if (done(session.run.nodeStates())) {
        reached = true;
        break;
      }
    }
    publishDurable();
  });
  await inspectStorage();
  return reached;
}

/**
 * Moves to just after event `eventCount`: ahead it steps on; behind it replays the run from the
 * start into a new branch of disks (the store's `durable.seeking` shows the progress). A run
 * resumed from an earlier page's disks cannot be replayed from the seed, so it refuses.
 */
export function seekDurable(eventCount: number): Promise<void> {
  pauseDurable();
  // A scrubber dragged asks for many positions: a seek still waiting in the queue takes the
  // newest target instead of queueing one replay per position.
  seekTarget = eventCount;
  if (queuedSeek !== null) return queuedSeek;
  const done = enqueue(async () => {
    queuedSeek = null;
    const target = seekTarget;
    if (session !== null) await seekNow(session, target);
  }).then(() => inspectStorage());
  queuedSeek = done;
  return done;
}

async function seekNow(current: DurableSession, eventCount: number): Promise<void> {
  if (!current.canRewind && current.landing(eventCount) < current.eventCount) {
    throw new Error(
      'this run resumed from disks an earlier page left and no copy of them was kept, so it cannot be replayed: start a new run to rewind',
    );
  }
  const startMs = performance.now();
  const to = current.landing(eventCount);
  patch({ seeking: { from: current.eventCount, to, at: current.eventCount }, error: null });
  try {
    await current.seek(eventCount, (at) => {
      const seeking = appStore.getState().durable?.seeking;
      if (seeking) patch({ seeking: { ...seeking, at } });
    });
  } finally {
    patch({ seeking: null });
    appStore.setState({ lastSeekMs: performance.now() - startMs });
    publishDurable();
  }
}

/** Applies a person's action at the current event (recorded: a rewind replays it) and closes the menu. */
export async function interveneDurable(action: DurableInjection): Promise<string> {
  pauseDurable();
  const line = await enqueue(async () => {
    if (session === null) throw new Error('no durable run');
    const text = await session.intervene(action);
    appStore.setState({ menuNodeId: null });
    publishDurable();
    return text;
  });
  await inspectStorage();
  return line;
}

export function playDurable(): void {
  if (playing || session === null || session.run.done) return;
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
  const current = session;
  if (!playing || current === null) return;
  const targetMs =
    current.run.nowMs + Math.max(1, Math.floor(elapsedMs * appStore.getState().speed));
  void enqueue(async () => {
    for (let i = 0; i < frameEventsMax && current.run.nowMs < targetMs; i++)
      if (!(await current.step())) break;
    publishDurable();
  }).then(async () => {
    if (current.run.done) pauseDurable();
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
