// Actions of the background sweep: run a range of seeds with the app's current options (node
// count, faults) in Web Workers, follow the progress, and open a failing seed in the app.
import { newRun } from './run-actions';
import { appStore } from './app-store';
import type { SweepState } from './sweep-slice';
import {
  SweepPool,
  sweepRangeProblem,
  sweepWorkersMax,
  type SweepWorkerLike,
} from '../sweep/sweep-pool';
import type { SweepOutcome, SweepRunOptions } from '../sweep/sweep-protocol';

/** Failing seeds kept for the list; the count of failures is always exact. */
export const sweepFailuresShownMax = 500;

let pool: SweepPool | null = null;

function setSweep(change: Partial<SweepState>): void {
  appStore.setState((state) => ({ sweep: { ...state.sweep, ...change } }));
}

export function setSweepPanelOpen(open: boolean): void {
  setSweep({ panelOpen: open });
}

/** Changes the range, time or bug switch of the next sweep. */
export function setSweepOptions(
  change: Partial<Pick<SweepState, 'firstSeed' | 'lastSeed' | 'timeMs' | 'bug'>>,
): void {
  setSweep({ ...change, problem: null });
}

function createBrowserWorker(): SweepWorkerLike {
  return new Worker(new URL('../sweep/sweep-worker.ts', import.meta.url), {
    type: 'module',
  }) as unknown as SweepWorkerLike;
}

/** The run options a sweep uses now: the app's node count and faults, the sweep's time and bug. */
export function sweepRunOptions(): SweepRunOptions {
  const { config, sweep } = appStore.getState();
  // A scenario's fixed plan is not swept: its faults are, drawn afresh by each seed.
  const nemesis = config.nemesis;
  return {
    nodeCount: config.nodeCount,
    timeMs: sweep.timeMs,
    nemesis: nemesis === 'seed' ? undefined : [...nemesis],
    bugs: sweep.bug === 'none' ? [] : [sweep.bug],
  };
}

function noteOutcome(outcome: SweepOutcome): void {
  const { sweep } = appStore.getState();
  const failures =
    outcome.failed && sweep.failures.length < sweepFailuresShownMax
      ? [...sweep.failures, outcome].sort((a, b) => a.seed - b.seed)
      : sweep.failures;
  setSweep({
    finished: sweep.finished + 1,
    failedCount: sweep.failedCount + (outcome.failed ? 1 : 0),
    failures,
  });
}

/**
 * Starts a sweep of firstSeed..lastSeed with the current options on
 * min(hardwareConcurrency, 4) workers; a sweep already running is cancelled first.
 */
export function startSweep(createWorker: () => SweepWorkerLike = createBrowserWorker): void {
  cancelSweep();
  const { firstSeed, lastSeed } = appStore.getState().sweep;
  const problem = sweepRangeProblem({ firstSeed, lastSeed });
  if (problem !== null) {
    setSweep({ problem });
    return;
  }
  const cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 1;
  const workerCount = Math.max(1, Math.min(cores, sweepWorkersMax));
  setSweep({
    running: true,
    total: lastSeed - firstSeed + 1,
    finished: 0,
    failedCount: 0,
    failures: [],
    workerCount,
    problem: null,
  });
  pool = new SweepPool({
    firstSeed,
    lastSeed,
    options: sweepRunOptions(),
    workerCount,
    createWorker,
    onOutcome: noteOutcome,
    onDone: () => {
      pool = null;
      setSweep({ running: false });
    },
  });
}

export function cancelSweep(): void {
  pool?.cancel();
  pool = null;
  if (appStore.getState().sweep.running) setSweep({ running: false });
}

/** Opens a swept seed in the app: same node count, faults, time and bug switch, from event 0. */
export function openSweptSeed(seed: number): void {
  const { config, sweep } = appStore.getState();
  const options = sweepRunOptions();
  newRun({
    seed,
    nodeCount: config.nodeCount,
    nemesis: options.nemesis === undefined ? 'seed' : options.nemesis,
    options: { timeMs: sweep.timeMs, bugs: options.bugs },
  });
}
