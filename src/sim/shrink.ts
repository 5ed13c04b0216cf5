// Shrinking a failing run: fewer nemesis steps, quieter links, fewer operations, fewer nodes and
// a shorter safety phase, keeping each reduction only while the run still fails the same way
// (the same invariant, or linearizability, or liveness). When dropping steps stalls, synthesis
// (shrink-synthesis.ts) looks for a new small scenario breaking the same invariant, and anchored
// reductions (shrink-anchored.ts) drop steps while keeping the later ones aimed at the same
// moments. The result is a scenario file that `raftlab run --scenario FILE` replays on its own:
// it fixes the seed, the read path, the bugs, the engine settings and the workload with the plan.
// Every choice is deterministic and every run counts against runsMax.
import { failureKind } from './bug-search';
import type { RunOptions, RunReport } from './run';
import { anchoredEdits, anchorsOf, reanchored, type AnchoredEdit } from './shrink-anchored';
import {
  crashesAsPauses,
  dropNoOps,
  dropSteps,
  quieter,
  shorterTime,
  type Pass,
} from './shrink-candidates';
import { runScenario, scenarioOf, type ScenarioJson } from './shrink-scenario';
import { observe } from './shrink-observe';
import { synthesize } from './shrink-synthesis';

export {
  runOptionsOfScenario,
  runScenario,
  scenarioOf,
  type ScenarioJson,
  type StepJson,
} from './shrink-scenario';

export interface ShrinkResult {
  scenario: ScenarioJson;
  /** The failure both the original and the shrunk run show. */
  kind: string;
  report: RunReport;
  runs: number;
  originalSteps: number;
}

/** Runs the shrinker may spend: a named limit. */
export const shrinkRunsMaxDefault = 2_000;

/** Steps a synthesized scenario may have (shrink-synthesis.ts): the search is depth first. */
export const synthesisStepsMax = 4;

/** Runs synthesis may spend, at most (and at most half of what is left). */
export const synthesisRunsMax = 800;

export interface ShrinkOptions {
  /** Runs the shrinker may spend in all. */
  runsMax?: number;
  /**
   * Seeds tried per candidate when no candidate fails with the scenario's own seed (the next
   * seeds). A failure that hangs on timing may not survive a reduction with the same seed;
   * letting the workload and timeouts vary can find the same kind of failure again.
   */
  seedsPerCandidate?: number;
  /** Called after each kept reduction with a line saying what it was (for progress output). */
  onProgress?: (line: string) => void;
}

interface ShrinkState {
  best: ScenarioJson;
  report: RunReport;
  runs: number;
  readonly kind: string;
  readonly runsMax: number;
  readonly onProgress?: (line: string) => void;
}

/** The passes of one round, in order: cheap and sure first. */
const passes: Pass[] = [shorterTime, dropNoOps, dropSteps, crashesAsPauses, quieter];

/** Shrinks a failing run; throws when the run does not fail. */
export function shrink(options: RunOptions, shrinkOptions: ShrinkOptions = {}): ShrinkResult {
  const runsMax = shrinkOptions.runsMax ?? shrinkRunsMaxDefault;
  const seedsPerCandidate = shrinkOptions.seedsPerCandidate ?? 16;
  const first = scenarioOf(options);
  const firstReport = runScenario(first);
  const kind = failureKind(firstReport);
  if (kind === null) throw new Error(`seed ${options.seed} does not fail with these options`);
  const state: ShrinkState = {
    best: first,
    report: firstReport,
    runs: 1,
    kind,
    runsMax,
    onProgress: shrinkOptions.onProgress,
  };
  // Rounds of the passes with the scenario's own seed: clocked randomness keeps a reduced run's
  // draws where the reduction did not reach, so many reductions keep the failure. When a round
  // keeps nothing: synthesis (once), then anchored reductions, and other seeds last.
  let synthesized = false;
  while (state.runs < runsMax) {
    let progress = false;
    for (const pass of passes) progress = runPass(state, pass, 1) || progress;
    if (progress) continue;
    if (!synthesized) {
      synthesized = true;
      if (runSynthesis(state)) continue;
    }
    if (runAnchoredPass(state)) continue;
    if (seedsPerCandidate <= 1 || !runPass(state, dropSteps, seedsPerCandidate)) break;
  }
  const { best, report, runs } = state;
  return { scenario: best, kind, report, runs, originalSteps: first.steps.length };
}

/** Runs a candidate (with `seeds` seeds from its own on); keeps it when it fails the same way. */
function attempt(state: ShrinkState, candidate: ScenarioJson, seeds: number): boolean {
  for (let offset = 0; offset < seeds && state.runs < state.runsMax; offset++) {
    state.runs++;
    const tried = { ...candidate, seed: candidate.seed + offset };
    const report = runScenario(tried);
    if (failureKind(report) === state.kind) {
      state.best = tried;
      state.report = report;
      return true;
    }
  }
  return false;
}

/**
 * Tries one pass's candidates in order. After a success the pass lists its candidates again for
 * the new best scenario and goes on from the same position (earlier candidates already failed
 * once, and retrying them first would spend the budget on what is least likely to work).
 */
function runPass(state: ShrinkState, pass: Pass, seeds: number): boolean {
  let progress = false;
  for (let position = 0; state.runs < state.runsMax;) {
    const context = { violationAtMs: state.report.simulation.violation?.atMs ?? null };
    const candidates = pass(state.best, context);
    if (position >= candidates.length) break;
    if (attempt(state, candidates[position], seeds)) {
      progress = true;
      const { best, runs } = state;
      state.onProgress?.(
        `run ${runs}: ${pass.name} kept -> ${best.steps.length} steps, ${best.timeMs} ms, seed ${best.seed}`,
      );
    } else position++;
  }
  return progress;
}

/** Anchored reductions (shrink-anchored.ts), later steps re-placed; true on any progress. */
function runAnchoredPass(state: ShrinkState): boolean {
  const spendRun = (): boolean => state.runs < state.runsMax && ++state.runs > 0;
  let progress = false;
  let edits: AnchoredEdit[] | null = null;
  for (let position = 0; state.runs < state.runsMax;) {
    if (edits === null) {
      if (!spendRun()) break;
      const anchors = anchorsOf(state.best.steps, observe(state.best).moments);
      edits = anchoredEdits(state.best.steps, anchors);
    }
    if (position >= edits.length) break;
    const candidate = reanchored({ best: state.best, ...edits[position], spendRun });
    if (candidate === null) break;
    if (attempt(state, candidate, 1)) {
      progress = true;
      edits = null;
      state.onProgress?.(
        `run ${state.runs}: anchored reduction kept -> ${state.best.steps.length} steps, ${state.best.timeMs} ms`,
      );
    } else position++;
  }
  return progress;
}

/**
 * Looks for a new scenario with fewer steps that breaks the same invariant (shrink-synthesis.ts),
 * from the best scenario's seed, links, workload and length; true when one was kept.
 */
function runSynthesis(state: ShrinkState): boolean {
  const violation = state.report.simulation.violation;
  const stepsMax = Math.min(state.best.steps.length - 1, synthesisStepsMax);
  if (violation === null || stepsMax < 1) return false;
  const left = state.runsMax - state.runs;
  const until = state.runs + Math.min(synthesisRunsMax, Math.floor(left / 2));
  const spendRun = (): boolean => state.runs < until && ++state.runs > 0;
  const base = { ...state.best, steps: [] };
  const found = synthesize({ base, invariant: violation.invariant, stepsMax, spendRun });
  if (found === null || !attempt(state, found, 1)) return false;
  state.onProgress?.(
    `run ${state.runs}: synthesis found -> ${state.best.steps.length} steps, ${state.best.timeMs} ms`,
  );
  return true;
}
