// Synthesis: when dropping steps no longer keeps the failure, look for a new small scenario that
// fails the same way, built from nothing a step at a time and aimed like a Jepsen nemesis aims:
// each step isolates the node of a moment the run showed (it became leader or candidate, or as
// leader moved its commit index), a short time after that moment. The search is depth first
// over which moment (its kind, and the first or second of that kind after the step before), with
// one offset per kind in each round: some time into a leadership, within a campaign (before the
// votes land), just after a commit (before its appends land). Adding a step at time t leaves
// the run before t exactly as it was (every draw is clocked), so the moments a run showed still
// hold when the next step is aimed at them. Nothing is random: the same failing scenario always
// synthesizes the same way.
import { momentKinds, observe, type MomentKind } from './shrink-observe';
import type { ScenarioJson, StepJson } from './shrink-scenario';

/** The offset of a step after its moment, per kind of moment, for each round in turn. */
export const synthesisOffsetsMs: readonly Record<MomentKind, number>[] = [
  { leader: 100, candidate: 5, commit: 1 },
  { leader: 300, candidate: 15, commit: 2 },
  { leader: 30, candidate: 2, commit: 3 },
];

/** Moments of one kind a step may be aimed at: the first and the second after the last step. */
const momentChoicesMax = 2;

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

/** The first scenario the search finds that breaks the invariant, or null. */
export function synthesize(options: SynthesisOptions): ScenarioJson | null {
  for (const offsetsMs of synthesisOffsetsMs) {
    const found = search(options, offsetsMs, []);
    if (found !== null) return found === 'out of runs' ? null : found;
  }
  return null;
}

function search(
  options: SynthesisOptions,
  offsetsMs: Record<MomentKind, number>,
  steps: StepJson[],
): ScenarioJson | 'out of runs' | null {
  const { base, invariant, stepsMax, spendRun } = options;
  if (!spendRun()) return 'out of runs';
  const scenario = { ...base, steps };
  const observation = observe(scenario);
  if (observation.invariant === invariant) return scenario;
  if (observation.invariant !== null || steps.length >= stepsMax) return null;
  const lastMs = steps.length === 0 ? 0 : steps[steps.length - 1].atMs;
  const tried = new Set<string>();
  for (const kind of momentKinds) {
    const ahead = observation.moments.filter((m) => m.kind === kind && m.atMs >= lastMs);
    for (const moment of ahead.slice(0, momentChoicesMax)) {
      const atMs = moment.atMs + offsetsMs[kind];
      const step = { atMs, action: 'partition', shape: { kind: 'isolate', node: moment.node } };
      const key = JSON.stringify(step);
      if (atMs >= base.timeMs || tried.has(key)) continue;
      tried.add(key);
      const found = search(options, offsetsMs, [...steps, step]);
      if (found !== null) return found;
    }
  }
  return null;
}
