// Synthesis: when dropping steps no longer keeps the failure, look for a new small scenario that
// fails the same way, built from nothing a step at a time and aimed like a Jepsen nemesis aims,
// at moments the run showed. First rounds of isolations: each step isolates the node of a moment
// (it became leader or candidate, or as leader moved its commit index) a set offset after it:
// some time into a leadership, within a campaign (before the votes land), just after a commit
// (before its appends land). Then rounds of short crashes: the node whose term just rose (it
// answered a campaign) crashes a millisecond later, before its next tick, and restarts a few
// milliseconds after. The search is depth first over which moment (its kind, and the first few
// of that kind after the step before), with one set of offsets per round. Adding a step at time
// t leaves the run before t exactly as it was (every draw is clocked), so the moments a run
// showed still hold when the next step is aimed at them. Nothing is random: the same failing
// scenario always synthesizes the same way.
import {
  aimKinds,
  observe,
  type Moment,
  type MomentKind,
  type Observation,
} from './shrink-observe';
import { noOpSteps } from './shrink-candidates';
import type { ScenarioJson, StepJson } from './shrink-scenario';

/** The steps a round may add after a run's moments: each branch is one or two steps. */
type Branches = (moments: readonly Moment[], lastMs: number) => StepJson[][];

/** Moments of one kind a step may be aimed at: the first few after the last step. */
const momentChoicesMax = 2;
const termChoicesMax = 3;

const ahead = (moments: readonly Moment[], kind: MomentKind, lastMs: number, count: number) =>
  moments.filter((m) => m.kind === kind && m.atMs >= lastMs).slice(0, count);

/** Isolate the node of a leader, candidate or commit moment, offsetsMs[kind] after it. */
function isolations(offsetsMs: Record<(typeof aimKinds)[number], number>): Branches {
  return (moments, lastMs) =>
    aimKinds.flatMap((kind) =>
      ahead(moments, kind, lastMs, momentChoicesMax).map((moment) => [
        {
          atMs: moment.atMs + offsetsMs[kind],
          action: 'partition',
          shape: { kind: 'isolate', node: moment.node },
        },
      ]),
    );
}

/** Crash the node whose term rose a millisecond later; restart it restartAfterMs after that. */
function crashes(restartAfterMs: number): Branches {
  return (moments, lastMs) =>
    ahead(moments, 'term', lastMs, termChoicesMax).map((moment) => [
      { atMs: moment.atMs + 1, action: 'crash', node: moment.node },
      { atMs: moment.atMs + 1 + restartAfterMs, action: 'restart', node: moment.node },
    ]);
}

/** The rounds in order, each a full depth-first search. */
export const synthesisRounds: readonly Branches[] = [
  isolations({ leader: 100, candidate: 5, commit: 1 }),
  isolations({ leader: 300, candidate: 15, commit: 2 }),
  isolations({ leader: 30, candidate: 2, commit: 3 }),
  crashes(5),
  crashes(2),
  crashes(10),
];

export interface SynthesisOptions {
  /** The scenario whose seed, links, workload and length the new ones take. */
  base: ScenarioJson;
  /** The invariant the new scenario must break. */
  invariant: string;
  /** Steps a synthesized scenario may have. */
  stepsMax: number;
  /** Spends one run; false when no run is left. */
  spendRun: () => boolean;
}

/**
 * The first scenario the search finds that breaks the invariant, or null. Iterative deepening:
 * every round to one step, then to two, and so on, so the fewest steps are found first; a run
 * already observed at a shallower depth is not run again.
 */
export function synthesize(options: SynthesisOptions): ScenarioJson | null {
  const observed = new Map<string, Observation | null>();
  for (let depth = 1; depth <= options.stepsMax; depth++) {
    for (const branches of synthesisRounds) {
      const found = search({ ...options, stepsMax: depth }, branches, [], observed);
      if (found !== null) return found === 'out of runs' ? null : found;
    }
  }
  return null;
}

/** A run's observation, run once per synthesis (null when no run is left). */
function observeOnce(
  options: SynthesisOptions,
  scenario: ScenarioJson,
  observed: Map<string, Observation | null>,
): Observation | null {
  const key = JSON.stringify(scenario.steps);
  if (observed.has(key)) return observed.get(key)!;
  if (!options.spendRun()) return null;
  const observation = observe(scenario);
  observed.set(key, observation);
  return observation;
}

function search(
  options: SynthesisOptions,
  branches: Branches,
  steps: StepJson[],
  observed: Map<string, Observation | null>,
): ScenarioJson | 'out of runs' | null {
  const { base, invariant, stepsMax } = options;
  const scenario = { ...base, steps };
  const observation = observeOnce(options, scenario, observed);
  if (observation === null) return 'out of runs';
  if (observation.invariant === invariant) return scenario;
  if (observation.invariant !== null || steps.length >= stepsMax) return null;
  const lastMs = steps.length === 0 ? 0 : steps[steps.length - 1].atMs;
  const tried = new Set<string>();
  for (const added of branches(observation.moments, lastMs)) {
    const next = [...steps, ...added];
    const key = JSON.stringify(added);
    if (next.length > stepsMax || tried.has(key)) continue;
    if (next[next.length - 1].atMs >= base.timeMs || noOpSteps(next).size > 0) continue;
    tried.add(key);
    const found = search(options, branches, next, observed);
    if (found !== null) return found;
  }
  return null;
}
