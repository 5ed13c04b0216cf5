// The migration page's actions, module-level functions callable from components, tests and
// window.raftlabMigration. Work that takes time (recording a scenario, computing side-by-side
// frames) runs one job at a time on a queue, so `idle()` tells a test when the page is settled.
// Playback is a timer that moves the step; rewinding is a seek into the recorded frames.
import type { FaultKind } from '../../sim/nemesis/plan';
import { recordMigrationScenario, type MigrationScenarioId } from './migration-scenarios';
import { migrationStore, type EnginesState } from './migration-store';
import { enginesTimeMsMax } from './migration-url';
import { frameMs, SideBySideRun, type SideBySideFrame } from './side-by-side';
import type { MigrationStage } from './migration-recorder';
import { membershipRun, MembershipRun } from './membership-run';
import type { ScriptAction } from './membership-pane';
import { extraStepsMax, type ScriptStep } from './membership-scenarios';

/** Wall ms between frames while the migration plays. */
export const migrationPlayIntervalMs = 60;
/** Wall ms between side-by-side frames while playing (each frame is frameMs of simulated time). */
export const enginesPlayIntervalMs = 40;

let queue: Promise<void> = Promise.resolve();
let playTimer: ReturnType<typeof setTimeout> | null = null;
let enginesTimer: ReturnType<typeof setTimeout> | null = null;
/** The seed's faults on both engines, or a membership scenario's script. */
let sideBySide: SideBySideRun | MembershipRun | null = null;
/** Wall clock for the compute time shown; injected so tests and Node need no DOM. */
let wallMs: () => number = () => performance.now();

export function setWallClock(clock: () => number): void {
  wallMs = clock;
}

function enqueue(job: () => Promise<void>): Promise<void> {
  const next = queue.then(job).catch((error: unknown) => {
    migrationStore.setState({ error: error instanceof Error ? error.message : String(error) });
  });
  queue = next;
  return next;
}

/** Resolves once every queued job has run. */
export async function migrationIdle(): Promise<void> {
  let seen: Promise<void> | null = null;
  while (seen !== queue) {
    seen = queue;
    await queue;
  }
}

function setEngines(patch: Partial<EnginesState>): void {
  migrationStore.setState((state) => ({ engines: { ...state.engines, ...patch } }));
}

// ---- the migration scenarios ----

export function loadMigrationScenario(scenario: MigrationScenarioId, seed: number, step = 0): Promise<void> {
  pauseMigration();
  migrationStore.setState({ scenario, seed, loading: true, error: null, recording: null, step: 0 });
  return enqueue(async () => {
    const started = wallMs();
    const recording = await recordMigrationScenario(scenario, seed);
    const last = recording.frames.length - 1;
    migrationStore.setState({ recording, loading: false, computeMs: wallMs() - started, step: Math.min(Math.max(0, step), last) });
  });
}

export function seekMigration(step: number): void {
  const recording = migrationStore.getState().recording;
  if (recording === null) return;
  const clamped = Math.min(Math.max(0, Math.trunc(step)), recording.frames.length - 1);
  migrationStore.setState({ step: clamped });
}

export function stepMigration(delta: number): void {
  seekMigration(migrationStore.getState().step + delta);
}

export function migrationToEnd(): void {
  seekMigration(Number.MAX_SAFE_INTEGER);
}

/** Seeks to the first frame of the next (direction 1) or current-or-previous (-1) stage. */
export function seekStage(direction: 1 | -1): void {
  const { recording, step } = migrationStore.getState();
  if (recording === null) return;
  const frames = recording.frames;
  const starts = frames.filter((frame, i) => i === 0 || frame.stage !== frames[i - 1].stage).map((frame) => frame.index);
  const target = direction === 1 ? starts.find((start) => start > step) : [...starts].reverse().find((start) => start < step);
  seekMigration(target ?? (direction === 1 ? frames.length - 1 : 0));
}

export function seekToStage(stage: MigrationStage): void {
  const frame = migrationStore.getState().recording?.frames.find((candidate) => candidate.stage === stage);
  if (frame !== undefined) seekMigration(frame.index);
}

export function playMigration(): void {
  const { recording, step } = migrationStore.getState();
  if (recording === null) return;
  if (step >= recording.frames.length - 1) seekMigration(0);
  migrationStore.setState({ playing: true });
  const tick = (): void => {
    const state = migrationStore.getState();
    if (!state.playing || state.recording === null) return;
    if (state.step >= state.recording.frames.length - 1) {
      pauseMigration();
      return;
    }
    seekMigration(state.step + 1);
    playTimer = setTimeout(tick, migrationPlayIntervalMs);
  };
  playTimer = setTimeout(tick, migrationPlayIntervalMs);
}

export function pauseMigration(): void {
  if (playTimer !== null) clearTimeout(playTimer);
  playTimer = null;
  if (migrationStore.getState().playing) migrationStore.setState({ playing: false });
}

// ---- the two engines side by side ----

/** The side-by-side run's recorded frames (the views draw the strips from them). */
export function currentEngineFrames(): readonly SideBySideFrame[] {
  return sideBySide?.frames ?? [];
}

/** Where the time control stops: the seed's safety phase, or the scenario's end. */
function enginesEndMs(run: SideBySideRun | MembershipRun): number {
  return run instanceof MembershipRun ? run.durationMs : enginesTimeMsMax;
}

function showFrame(index: number): void {
  if (sideBySide === null) return;
  const run = sideBySide;
  const frameIndex = Math.min(Math.max(0, index), run.frames.length - 1);
  setEngines({
    frame: run.frames[frameIndex],
    frameIndex,
    frameCount: run.frames.length,
    leaderChanges: { etcd: [...run.leaderChanges('etcd')], hashicorp: [...run.leaderChanges('hashicorp')] },
    faults: run.faults,
    logs: run instanceof MembershipRun ? { etcd: [...run.paneLog('etcd')], hashicorp: [...run.paneLog('hashicorp')] } : {},
    done: run.done || run.frames[run.frames.length - 1].timeMs >= enginesEndMs(run),
  });
}

/**
 * Starts a side-by-side run at `timeMs`: the seed's faults on both engines, or (with `scenario`)
 * a membership scenario's script plus the `steps` a person added.
 */
export function startEngines(seed: number, nemesis: readonly FaultKind[], timeMs = 0, scenario: string | null = null, steps: readonly ScriptStep[] = []): Promise<void> {
  pauseEngines();
  setEngines({ seed, nemesis: [...nemesis], scenario, steps: [...steps], logs: {}, frame: null, frameIndex: 0, frameCount: 0, leaderChanges: {}, faults: [], done: false, error: null, computing: true });
  return recomputeEngines(seed, nemesis, timeMs, scenario, steps);
}

/** Replaces the run and records it up to `timeMs`; what is shown stays until the new frame is ready. */
function recomputeEngines(seed: number, nemesis: readonly FaultKind[], timeMs: number, scenario: string | null, steps: readonly ScriptStep[]): Promise<void> {
  return enqueue(async () => {
    await sideBySide?.terminate();
    // The safety phase runs to enginesTimeMsMax; the time control stops there.
    sideBySide = scenario === null ? new SideBySideRun({ seed, nodeCount: 3, nemesis, timeMs: enginesTimeMsMax }) : membershipRun(scenario, seed, steps);
    const index = await sideBySide.recordUntil(Math.min(timeMs, enginesEndMs(sideBySide)));
    showFrame(index);
    setEngines({ computing: false });
  });
}

/**
 * A person's membership action (the view's buttons) at the time shown: it joins the run's added
 * steps and the run is computed again up to that time (the same seed gives the same frames before
 * it), so the action runs in both panes before their next round.
 */
export function addEnginesStep(action: ScriptAction): Promise<void> {
  const { engines } = migrationStore.getState();
  if (engines.scenario === null || engines.frame === null) return Promise.resolve();
  if (engines.steps.length >= extraStepsMax) {
    setEngines({ error: `at most ${extraStepsMax} added steps; start the scenario again to add more` });
    return Promise.resolve();
  }
  const timeMs = engines.frame.timeMs;
  const steps = [...engines.steps, { atMs: timeMs, action }];
  pauseEngines();
  setEngines({ steps, error: null, computing: true });
  return recomputeEngines(engines.seed, engines.nemesis, timeMs, engines.scenario, steps);
}

/** Shows the frame at `index`, computing frames up to it first if needed. */
export function seekEngines(index: number): Promise<void> {
  return enqueue(async () => {
    const run = sideBySide;
    if (run === null) return;
    if (index >= run.frames.length) {
      setEngines({ computing: true });
      await run.recordUntil(Math.min(index * frameMs, enginesEndMs(run)));
      setEngines({ computing: false });
    }
    showFrame(index);
  });
}

export function stepEngines(frames: number): Promise<void> {
  return seekEngines(migrationStore.getState().engines.frameIndex + frames);
}

export function playEngines(): void {
  if (migrationStore.getState().engines.done && migrationStore.getState().engines.frameIndex >= migrationStore.getState().engines.frameCount - 1) return;
  setEngines({ playing: true });
  const tick = async (): Promise<void> => {
    const engines = migrationStore.getState().engines;
    if (!engines.playing) return;
    if (engines.done && engines.frameIndex >= engines.frameCount - 1) {
      pauseEngines();
      return;
    }
    await stepEngines(1);
    if (migrationStore.getState().engines.playing) enginesTimer = setTimeout(() => void tick(), enginesPlayIntervalMs);
  };
  enginesTimer = setTimeout(() => void tick(), enginesPlayIntervalMs);
}

export function pauseEngines(): void {
  if (enginesTimer !== null) clearTimeout(enginesTimer);
  enginesTimer = null;
  if (migrationStore.getState().engines.playing) setEngines({ playing: false });
}
