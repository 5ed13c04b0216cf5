// The reductions the shrinker tries on a failing scenario, each a smaller or quieter scenario:
// a shorter safety phase, steps that change nothing dropped, faults dropped (with their ends or
// alone), a crash and its restart turned into one pause, quieter links, a lighter workload and
// fewer nodes. Each pass lists its candidates for the current best scenario, most effective
// first; shrink.ts runs them and keeps those that still fail the same way.
import type { NodeId } from '../raft/types';
import { noRatio, quietLinks } from './network/faulty-network';
import { mentionedNodes, type PartitionShape } from './network/partitions';
import { linksJson, type ScenarioJson, type StepJson } from './shrink-scenario';

/** What a pass may know of the best scenario's run. */
export interface PassContext {
  /** When the best scenario's run broke an invariant, or null (liveness, linearizability). */
  violationAtMs: number | null;
}

export type Pass = (scenario: ScenarioJson, context: PassContext) => ScenarioJson[];

const withSteps = (s: ScenarioJson, steps: StepJson[]): ScenarioJson => ({ ...s, steps });

export function withTime(s: ScenarioJson, timeMs: number): ScenarioJson {
  return { ...s, timeMs, steps: s.steps.filter((step) => step.atMs < timeMs) };
}

/** A shorter safety phase: up to the violation, then half. */
export const shorterTime: Pass = (s, { violationAtMs }) => {
  const candidates: ScenarioJson[] = [];
  if (violationAtMs !== null && violationAtMs + 1 < s.timeMs)
    candidates.push(withTime(s, violationAtMs + 1));
  if (s.timeMs >= 200) candidates.push(withTime(s, Math.floor(s.timeMs / 2)));
  return candidates;
};

/**
 * Steps that change nothing when they run, known from the steps alone: a heal with no
 * partition, a partition the same as the current one, a restart of a node that is up, a crash
 * or pause of a node that is down. Dropping them leaves the run as it was, but for their lines.
 */
export function noOpSteps(steps: readonly StepJson[]): Set<number> {
  const noOps = new Set<number>();
  let partition: string | null = null;
  const down = new Set<unknown>();
  steps.forEach((step, i) => {
    switch (step.action) {
      case 'heal':
        if (partition === null) noOps.add(i);
        partition = null;
        break;
      case 'partition': {
        const shape = JSON.stringify(step.shape);
        if (shape === partition) noOps.add(i);
        partition = shape;
        break;
      }
      case 'restart':
        if (!down.delete(step.node)) noOps.add(i);
        break;
      case 'crash':
      case 'pause':
        if (down.has(step.node)) noOps.add(i);
        if (step.action === 'crash') down.add(step.node);
        break;
    }
  });
  return noOps;
}

export const dropNoOps: Pass = (s) => {
  const noOps = noOpSteps(s.steps);
  return noOps.size === 0
    ? []
    : [
        withSteps(
          s,
          s.steps.filter((_, i) => !noOps.has(i)),
        ),
      ];
};

/** The step that ends fault step i (its restart or heal), or null. */
export function endOf(steps: readonly StepJson[], i: number): number | null {
  const action = steps[i].action;
  const ending = action === 'crash' ? 'restart' : action === 'partition' ? 'heal' : null;
  if (ending === null) return null;
  for (let j = i + 1; j < steps.length; j++) {
    if (steps[j].action === action && (action === 'partition' || steps[j].node === steps[i].node))
      return null;
    if (steps[j].action === ending && (ending === 'heal' || steps[j].node === steps[i].node))
      return j;
  }
  return null;
}

const without = (s: ScenarioJson, ...drop: number[]): ScenarioJson =>
  withSteps(
    s,
    s.steps.filter((_, j) => !drop.includes(j)),
  );

/**
 * Faults dropped, latest first: the last few steps kept alone, then each fault with its end,
 * then each step alone (a heal or restart alone lets its fault run on to the next one), then
 * runs of steps. With clocked randomness the rest of the run keeps its draws.
 */
export const dropSteps: Pass = (s) => {
  const candidates: ScenarioJson[] = [];
  const n = s.steps.length;
  for (let kept = 1; kept < n; kept *= 2) candidates.push(withSteps(s, s.steps.slice(-kept)));
  for (let i = n - 1; i >= 0; i--) {
    const end = endOf(s.steps, i);
    if (end !== null) candidates.push(without(s, i, end));
  }
  for (let i = n - 1; i >= 0; i--) candidates.push(without(s, i));
  for (let size = n >> 1; size >= 2; size >>= 1) {
    for (let start = 0; start + size <= n; start += size)
      candidates.push(withSteps(s, [...s.steps.slice(0, start), ...s.steps.slice(start + size)]));
  }
  return candidates;
};

/** A crash and its restart as one pause of the same node and length: one step for two. */
export const crashesAsPauses: Pass = (s) => {
  const candidates: ScenarioJson[] = [];
  for (let i = s.steps.length - 1; i >= 0; i--) {
    const step = s.steps[i];
    const end = endOf(s.steps, i);
    if (step.action !== 'crash' || end === null) continue;
    const pause: StepJson = {
      atMs: step.atMs,
      action: 'pause',
      node: step.node,
      durationMs: s.steps[end].atMs - step.atMs,
    };
    const steps = s.steps.map((other, j) => (j === i ? pause : other));
    candidates.push(
      withSteps(
        s,
        steps.filter((_, j) => j !== end),
      ),
    );
  }
  return candidates;
};

/** Quieter links, no drift, a lighter workload, fewer nodes. */
export const quieter: Pass = (s) => {
  const candidates: ScenarioJson[] = [];
  const quiet = linksJson(quietLinks);
  for (const key of ['loss', 'duplicate', 'reorder'] as const) {
    const none: [number, number] = [noRatio.numerator, noRatio.denominator];
    if ((s.links[key] as [number, number])[0] !== 0)
      candidates.push({ ...s, links: { ...s.links, [key]: none } });
  }
  if (s.links.latencyMsMax !== quiet.latencyMsMax || s.links.jitterMs !== quiet.jitterMs) {
    const { latencyMsMin, latencyMsMax, jitterMs } = quiet;
    candidates.push({ ...s, links: { ...s.links, latencyMsMin, latencyMsMax, jitterMs } });
  }
  if (Object.values(s.driftPpm).some((drift) => drift !== 0)) {
    const driftPpm = Object.fromEntries(Object.keys(s.driftPpm).map((id) => [id, 0]));
    candidates.push({ ...s, driftPpm });
  }
  const w = s.workload;
  if (w.opsPerSecond > 1)
    candidates.push({ ...s, workload: { ...w, opsPerSecond: w.opsPerSecond >> 1 } });
  if (w.clientCount > 1)
    candidates.push({ ...s, workload: { ...w, clientCount: w.clientCount >> 1 } });
  if (w.keyCount > 1) candidates.push({ ...s, workload: { ...w, keyCount: 1 } });
  if (s.nodes > 3) candidates.push(withoutNode(s, s.nodes));
  return candidates;
};

/** The scenario with the highest-numbered node gone, and every step that names it. */
function withoutNode(s: ScenarioJson, node: NodeId): ScenarioJson {
  const steps = s.steps.filter((step) => {
    if (step.node === node) return false;
    const shape = step.shape as PartitionShape | undefined;
    return shape === undefined || !mentionedNodes(shape).includes(node);
  });
  const driftPpm = { ...s.driftPpm };
  delete driftPpm[String(node)];
  return { ...s, nodes: s.nodes - 1, steps, driftPpm };
}
