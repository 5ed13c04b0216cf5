// Watching a scenario's run for the moments a nemesis step can be aimed at: a node became
// leader or candidate, a leader's commit index moved, a node's term rose. The anchored reductions
// (shrink-anchored.ts) place steps relative to these moments rather than at fixed times.
import type { NodeId } from '../raft/types';
import { createSimulation } from './run';
import { runOptionsOfScenario, type ScenarioJson } from './shrink-scenario';

/** A moment a step may be anchored to. */
export interface Moment {
  atMs: number;
  node: NodeId;
  kind: MomentKind;
}

export const momentKinds = ['leader', 'candidate', 'commit', 'term'] as const;

export type MomentKind = (typeof momentKinds)[number];

/** The kinds isolations and anchors aim at ('term', a node's term rose, is for crashes). */
export const aimKinds = ['leader', 'candidate', 'commit'] as const satisfies readonly MomentKind[];

/** Moments one observed run keeps: a named limit. */
export const momentsMax = 10_000;

export interface Observation {
  moments: Moment[];
  /** The invariant the run broke, or null. */
  invariant: string | null;
}

/**
 * Runs a scenario's safety phase and records its moments (the run is runScenario's simulation,
 * stopped when the safety phase ends).
 */
export function observe(scenario: ScenarioJson): Observation {
  const simulation = createSimulation(runOptionsOfScenario(scenario));
  const ids = simulation.nodeIds;
  let last = ids.map((id) => simulation.nodeSummary(id));
  const moments: Moment[] = [];
  const safetyMs = scenario.timeMs;
  // The safety phase is all an anchor needs: the run stops there (or at momentsMax moments).
  while (simulation.step() && simulation.now < safetyMs && moments.length < momentsMax) {
    const now = ids.map((id) => simulation.nodeSummary(id));
    now.forEach((summary, i) => {
      const before = last[i];
      const at = { atMs: simulation.now, node: ids[i] };
      if (summary.role === 'leader' && before.role !== 'leader')
        moments.push({ ...at, kind: 'leader' });
      else if (summary.role === 'candidate' && before.role !== 'candidate')
        moments.push({ ...at, kind: 'candidate' });
      else if (summary.role === 'leader' && summary.commit > before.commit)
        moments.push({ ...at, kind: 'commit' });
      if (summary.role !== 'down' && summary.term > before.term)
        moments.push({ ...at, kind: 'term' });
    });
    last = now;
  }
  return { moments, invariant: simulation.violationFound?.invariant ?? null };
}
