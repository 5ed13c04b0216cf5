// Module-level actions on the run: callable from components, from tests and from window.raftlab.
// The run (src/ui/model/app-run.ts) lives here, outside React; publish() copies what the views
// need into the store after each change. Playing maps real frames onto simulated time with
// requestAnimationFrame; between two events the views interpolate at displayMs().
import type { NodeId } from '../../raft/types';
import type { InterventionAction, MembershipChange } from '../../sim/interventions';
import type { Ratio } from '../../sim/random-streams';
import type { KvCommand } from '../../sim/workload/kv-codec';
import { AppRun, type Intervention, type RunConfig } from '../model/app-run';
import { appStore, type ViolationSummary } from './app-store';

/** A frame never advances simulated time by more than this, so a background tab does not jump. */
const frameRealMsMax = 100;
/** Events one frame may process; beyond it the run falls behind real time instead of freezing. */
const frameEventsMax = 5_000;
export const speedMin = 0.001;
/**
 * The fastest speed, "max" in the controls: far more simulated time per frame than any run can
 * compute, so the run goes as fast as frameEventsMax events per frame allow and the display
 * follows it.
 */
export const speedMax = 100_000;

let run = new AppRun(appStore.getState().config);
let frameRequest: number | null = null;
let lastFrameMs: number | null = null;
/** True while the play loop publishes a frame: views that need not follow every frame skip it. */
let framePublishing = false;
/** The simulated moment the views draw: nowMs plus the fraction of time played since. */
let displayMs = 0;

export function currentRun(): AppRun {
  return run;
}

/** Whether the store change being delivered is a frame published by the play loop. */
export function publishingFrame(): boolean {
  return framePublishing;
}

export function displayTime(): number {
  return displayMs;
}

function violationSummary(): ViolationSummary | null {
  const violation = run.violation;
  if (violation === null) return null;
  const { invariant, nodeIds, explanation, eventCount, atMs, event } = violation;
  return { invariant, nodeIds, explanation, eventCount, atMs, event };
}

/** Copies the run's current state into the store (the views' only source). */
export function publish(): void {
  displayMs = Math.max(displayMs, run.nowMs);
  if (displayMs > run.nowMs && run.nextEventMs === undefined) displayMs = run.nowMs;
  const state = appStore.getState();
  const linearizability =
    state.linearizability.checkedAtEvent !== null &&
    state.linearizability.checkedAtEvent !== run.eventCount
      ? {
          result: 'pending' as const,
          text: 'the run moved since the last check',
          checkedAtEvent: null,
          // The timeline stays, marked as of its check, so a click on it can seek.
          view: state.linearizability.view,
        }
      : state.linearizability;
  appStore.setState({
    eventCount: run.eventCount,
    nowMs: run.nowMs,
    knownEventCount: run.trace.eventCount,
    knownEndMs: run.trace.endMs,
    done: run.done,
    nodes: run.nodeStates(),
    cutLinks: run.cutLinks(),
    linkFaults: run
      .linkOverrides()
      .filter(({ override }) => override.extraLatencyMs > 0 || override.lossRatio.numerator > 0)
      .map(({ from, to, override }) => ({
        from,
        to,
        extraLatencyMs: override.extraLatencyMs,
        loss:
          override.lossRatio.numerator === 0
            ? '0'
            : `${override.lossRatio.numerator}/${override.lossRatio.denominator}`,
      })),
    violation: violationSummary(),
    interventionCount: run.interventionList.length,
    linearizability,
    transcriptHash: run.transcriptHash(),
    future: run.future(),
  });
  if (run.done && linearizability.checkedAtEvent === null) checkHistoryNow();
}

/** Starts a new run from the config (seed, nodes, nemesis), at event 0. */
export function newRun(config: RunConfig, interventions: readonly Intervention[] = []): void {
  if (!Number.isSafeInteger(config.seed))
    throw new Error(`seed must be an integer, got ${config.seed}`);
  pause();
  run = new AppRun(config, interventions);
  displayMs = 0;
  appStore.setState({
    config,
    menuNodeId: null,
    menuLink: null,
    menuFlightId: null,
    selectedEvent: null,
    lastSeekMs: null,
    linearizability: { result: 'pending', text: 'the run is not over yet', checkedAtEvent: null },
  });
  publish();
}

/** Processes exactly one event: the deterministic way to walk through a run. */
export function step(): void {
  run.step();
  displayMs = run.nowMs;
  publish();
}

/** Moves to just after event `eventCount` (replaying from the seed when it lies behind). */
export function seek(eventCount: number): void {
  const startMs = performance.now();
  run.seek(Math.max(0, Math.floor(eventCount)));
  displayMs = run.nowMs;
  appStore.setState({ lastSeekMs: performance.now() - startMs });
  publish();
}

/** Seeks to the last event at or before timeMs among the events already known. */
export function seekToTime(timeMs: number): void {
  seek(run.trace.eventAtTime(timeMs));
}

export function play(): void {
  if (appStore.getState().playing || run.done) return;
  appStore.setState({ playing: true });
  lastFrameMs = null;
  frameRequest = requestAnimationFrame(onFrame);
}

export function pause(): void {
  if (frameRequest !== null) cancelAnimationFrame(frameRequest);
  frameRequest = null;
  if (appStore.getState().playing) appStore.setState({ playing: false });
}

export function setSpeed(speed: number): void {
  if (!(speed >= speedMin && speed <= speedMax))
    throw new Error(`speed must be in [${speedMin}, ${speedMax}], got ${speed}`);
  appStore.setState({ speed });
}

/** Advances simulated time by the real time since the last frame, scaled by the speed. */
export function advanceBy(realMs: number): void {
  displayMs += Math.min(realMs, frameRealMsMax) * appStore.getState().speed;
  run.runUntil(Math.floor(displayMs), frameEventsMax);
  const next = run.nextEventMs;
  // Falling behind (frameEventsMax), the display waits for the run rather than running ahead.
  if (next === undefined || next <= Math.floor(displayMs)) displayMs = run.nowMs;
  publish();
}

function onFrame(frameMs: number): void {
  const elapsedMs = lastFrameMs === null ? 0 : frameMs - lastFrameMs;
  lastFrameMs = frameMs;
  framePublishing = true;
  try {
    advanceBy(elapsedMs);
  } finally {
    framePublishing = false;
  }
  // A store subscriber may have paused during this frame (a caption that pauses): stay paused.
  if (run.done || !appStore.getState().playing) {
    pause();
    return;
  }
  frameRequest = requestAnimationFrame(onFrame);
}

/**
 * Applies a person's action at the current event (recorded, so a rewind replays it and the URL
 * and an exported trace carry it) and closes any open menu. Returns the transcript line.
 */
export function intervene(action: InterventionAction): string {
  const line = run.intervene(action);
  appStore.setState({ menuNodeId: null, menuLink: null, menuFlightId: null });
  publish();
  return line;
}

export const crashNode = (node: NodeId): string => intervene({ kind: 'crash', node });
export const restartNode = (node: NodeId): string => intervene({ kind: 'restart', node });
export const isolateNode = (node: NodeId): string =>
  intervene({ kind: 'partition', shape: { kind: 'isolate', node } });
export const healNetwork = (): string => intervene({ kind: 'heal' });
export const pauseNode = (node: NodeId, durationMs: number): string =>
  intervene({ kind: 'pause', node, durationMs });
/** The node starts an election now (etcd's Campaign). */
export const campaign = (node: NodeId): string => intervene({ kind: 'campaign', node });
/** The current leader hands leadership to `to` (etcd's TransferLeader). */
export const transferLeadership = (to: NodeId): string =>
  intervene({ kind: 'transfer-leadership', to });
export const changeMembership = (node: NodeId, change: MembershipChange): string =>
  intervene({ kind: 'membership', node, change });
export const dropMessage = (flightId: number): string =>
  intervene({ kind: 'drop-message', flightId });
export const duplicateMessage = (flightId: number, delayMs: number): string =>
  intervene({ kind: 'duplicate-message', flightId, delayMs });

/** Cuts one direction of a link (`from` to `to`), or both when `bothWays`. */
export function cutLink(from: NodeId, to: NodeId, bothWays = false): string {
  const line = intervene({ kind: 'cut-link', from, to });
  return bothWays ? `${line}\n${intervene({ kind: 'cut-link', from: to, to: from })}` : line;
}

/** Adds latency and a chance of loss to both directions of a link. */
export function setLinkFaults(
  a: NodeId,
  b: NodeId,
  faults: { extraLatencyMs: number; lossRatio: Ratio },
): string {
  return [
    intervene({ kind: 'link-faults', from: a, to: b, ...faults }),
    intervene({ kind: 'link-faults', from: b, to: a, ...faults }),
  ].join('\n');
}

/** Undoes what was done to a link by hand, both ways: cuts, latency and loss. */
export function restoreLink(a: NodeId, b: NodeId): string {
  const lines: string[] = [];
  for (const [from, to] of [
    [a, b],
    [b, a],
  ] as const) {
    const override = run.linkOverride(from, to);
    if (override === null) continue;
    if (override.cut) lines.push(intervene({ kind: 'restore-link', from, to }));
    if (override.extraLatencyMs > 0 || override.lossRatio.numerator > 0)
      lines.push(
        intervene({
          kind: 'link-faults',
          from,
          to,
          extraLatencyMs: 0,
          lossRatio: { numerator: 0, denominator: 1 },
        }),
      );
  }
  return lines.join('\n');
}

/**
 * Forks a new future at the cursor: the past stays, what was recorded ahead is dropped, and the
 * clients draw anew from here (AppRun.fork). Returns the transcript line.
 */
export function forkFuture(): string {
  const line = run.fork();
  appStore.setState({ menuNodeId: null, menuLink: null, menuFlightId: null });
  publish();
  return line;
}

/** Sends a client operation by hand; it joins the history like the workload's. */
export const sendClientCommand = (command: KvCommand): string =>
  intervene({ kind: 'client', command });

/** Checks the client history up to now for linearizability (blocking; histories are small). */
export function checkHistoryNow(): void {
  const view = run.checkHistory();
  appStore.setState({
    linearizability: {
      result: view.verdict,
      text: view.text,
      checkedAtEvent: run.eventCount,
      view: { ...view, checkedAtEvent: run.eventCount },
    },
  });
}
