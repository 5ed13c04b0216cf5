// Shrinking a failing run: fewer nemesis steps, quieter links, fewer operations, fewer nodes and
// a shorter safety phase, keeping each reduction only while the run still fails the same way
// (the same invariant, or linearizability, or liveness). The result is a scenario file that
// `raftlab run --scenario FILE` replays on its own: it fixes the seed, the read path, the bugs
// and the workload along with the plan.
import type { NodeId } from '../raft/types';
import { failureKind } from './bug-search';
import type { NemesisStep } from './nemesis/plan';
import { parseScenario, scenarioVersion } from './nemesis/scenario';
import { noRatio, quietLinks, type LinkFaults } from './network/faulty-network';
import type { PartitionShape } from './network/partitions';
import { resolveRunOptions, runSimulation, type RunOptions, type RunReport } from './run';

/** The JSON of a scenario file (nemesis/scenario.ts reads it). */
export interface ScenarioJson {
  version: number;
  seed: number;
  nodes: number;
  timeMs: number;
  reads: string;
  bugs?: string[];
  maxSizePerMsg?: number;
  workload: { clientCount: number; keyCount: number; opsPerSecond: number; timeoutMs: number };
  links: Record<string, number | [number, number]>;
  driftPpm: Record<string, number>;
  steps: Record<string, unknown>[];
}

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

function stepJson(step: NemesisStep): Record<string, unknown> {
  const { atMs, action } = step;
  switch (action.kind) {
    case 'partition':
      return { atMs, action: 'partition', shape: action.shape };
    case 'heal':
      return { atMs, action: 'heal' };
    case 'crash':
    case 'restart':
      return { atMs, action: action.kind, node: action.node };
    case 'pause':
      return { atMs, action: 'pause', node: action.node, durationMs: action.durationMs };
  }
}

function linksJson(links: LinkFaults): ScenarioJson['links'] {
  const ratio = (r: { numerator: number; denominator: number }): [number, number] => [
    r.numerator,
    r.denominator,
  ];
  return {
    latencyMsMin: links.latencyMsMin,
    latencyMsMax: links.latencyMsMax,
    jitterMs: links.jitterMs,
    loss: ratio(links.lossRatio),
    duplicate: ratio(links.duplicateRatio),
    reorder: ratio(links.reorderRatio),
    reorderDelayMsMax: links.reorderDelayMsMax,
  };
}

/** The scenario a run option set amounts to (the seed's plan written out). */
export function scenarioOf(options: RunOptions): ScenarioJson {
  const resolved = resolveRunOptions(options);
  const driftPpm: Record<string, number> = {};
  for (const [id, drift] of Object.entries(resolved.plan.driftPpm)) driftPpm[id] = drift;
  return {
    version: scenarioVersion,
    seed: resolved.seed,
    nodes: resolved.nodeCount,
    timeMs: resolved.timeMs,
    reads: resolved.reads,
    ...(resolved.bugs !== undefined && resolved.bugs.length > 0 ? { bugs: resolved.bugs } : {}),
    ...(resolved.maxSizePerMsg !== undefined ? { maxSizePerMsg: resolved.maxSizePerMsg } : {}),
    workload: { ...resolved.workload },
    links: linksJson(resolved.plan.links),
    driftPpm,
    steps: resolved.plan.steps.map(stepJson),
  };
}

/** Runs a scenario exactly as `raftlab run --scenario FILE` would. */
export function runScenario(scenario: ScenarioJson): RunReport {
  return runSimulation(runOptionsOfScenario(scenario));
}

export function runOptionsOfScenario(json: ScenarioJson): RunOptions {
  const parsed = parseScenario(JSON.stringify(json));
  if (!parsed.ok) throw new Error(`shrinker wrote an invalid scenario: ${parsed.error}`);
  const scenario = parsed.scenario;
  return {
    seed: scenario.seed!,
    nodeCount: scenario.nodeCount,
    timeMs: scenario.timeMs,
    reads: scenario.reads,
    plan: scenario.plan,
    bugs: scenario.bugs,
    maxSizePerMsg: scenario.maxSizePerMsg,
    workload: scenario.workload,
  };
}

/** Each candidate reduction of a scenario, most effective first. */
function* reductions(s: ScenarioJson, violationAtMs: number | null): Generator<ScenarioJson> {
  if (violationAtMs !== null && violationAtMs + 1 < s.timeMs) yield withTime(s, violationAtMs + 1);
  if (s.timeMs >= 200) yield withTime(s, Math.floor(s.timeMs / 2));
  // The failure usually hangs on the last few faults before it: try keeping only those.
  for (let kept = 1; kept < s.steps.length; kept *= 2) yield { ...s, steps: s.steps.slice(-kept) };
  for (let size = s.steps.length >> 1; size >= 1; size >>= 1) {
    for (let start = 0; start + size <= s.steps.length; start += size) {
      yield { ...s, steps: [...s.steps.slice(0, start), ...s.steps.slice(start + size)] };
    }
  }
  const quiet = linksJson(quietLinks);
  for (const key of ['loss', 'duplicate', 'reorder'] as const) {
    const none: [number, number] = [noRatio.numerator, noRatio.denominator];
    if ((s.links[key] as [number, number])[0] !== 0)
      yield { ...s, links: { ...s.links, [key]: none } };
  }
  if (s.links.latencyMsMax !== quiet.latencyMsMax || s.links.jitterMs !== quiet.jitterMs) {
    yield {
      ...s,
      links: {
        ...s.links,
        latencyMsMin: quiet.latencyMsMin,
        latencyMsMax: quiet.latencyMsMax,
        jitterMs: quiet.jitterMs,
      },
    };
  }
  if (Object.values(s.driftPpm).some((drift) => drift !== 0)) {
    yield { ...s, driftPpm: Object.fromEntries(Object.keys(s.driftPpm).map((id) => [id, 0])) };
  }
  const w = s.workload;
  if (w.opsPerSecond > 1) yield { ...s, workload: { ...w, opsPerSecond: w.opsPerSecond >> 1 } };
  if (w.clientCount > 1) yield { ...s, workload: { ...w, clientCount: w.clientCount >> 1 } };
  if (w.keyCount > 1) yield { ...s, workload: { ...w, keyCount: 1 } };
  if (s.nodes > 3) yield withoutNode(s, s.nodes);
}

function withTime(s: ScenarioJson, timeMs: number): ScenarioJson {
  return { ...s, timeMs, steps: s.steps.filter((step) => (step.atMs as number) < timeMs) };
}

function shapeNodes(shape: PartitionShape): NodeId[] {
  switch (shape.kind) {
    case 'symmetric':
      return shape.sides.flat();
    case 'one-way':
      return [...shape.from, ...shape.to];
    case 'isolate':
      return [shape.node];
    case 'majority-minority':
      return shape.majority;
    case 'bridge':
      return [shape.bridge, ...shape.sides.flat()];
  }
}

/** The scenario with the highest-numbered node gone, and every step that names it. */
function withoutNode(s: ScenarioJson, node: NodeId): ScenarioJson {
  const steps = s.steps.filter((step) => {
    if (step.node === node) return false;
    const shape = step.shape as PartitionShape | undefined;
    return shape === undefined || !shapeNodes(shape).includes(node);
  });
  const driftPpm = { ...s.driftPpm };
  delete driftPpm[String(node)];
  return { ...s, nodes: s.nodes - 1, steps, driftPpm };
}

export interface ShrinkOptions {
  /** Runs the shrinker may spend in all. */
  runsMax?: number;
  /**
   * Seeds tried per candidate (the scenario's, then the next ones). A failure that hangs on
   * timing rarely survives removing an early step with the same seed, since every later event
   * moves; letting the workload and timeouts vary finds the same kind of failure again.
   */
  seedsPerCandidate?: number;
}

/** Shrinks a failing run; throws when the run does not fail. */
export function shrink(options: RunOptions, shrinkOptions: ShrinkOptions = {}): ShrinkResult {
  const runsMax = shrinkOptions.runsMax ?? shrinkRunsMaxDefault;
  const seedsPerCandidate = shrinkOptions.seedsPerCandidate ?? 8;
  let best = scenarioOf(options);
  let report = runScenario(best);
  const kind = failureKind(report);
  if (kind === null) throw new Error(`seed ${options.seed} does not fail with these options`);
  const originalSteps = best.steps.length;
  let runs = 1;
  for (let progress = true; progress && runs < runsMax;) {
    progress = false;
    const violationAtMs = report.simulation.violation?.atMs ?? null;
    search: for (const candidate of reductions(best, violationAtMs)) {
      for (let offset = 0; offset < seedsPerCandidate; offset++) {
        if (runs >= runsMax) break search;
        runs++;
        const attempt = { ...candidate, seed: candidate.seed + offset };
        const attemptReport = runScenario(attempt);
        if (failureKind(attemptReport) === kind) {
          best = attempt;
          report = attemptReport;
          progress = true;
          break search;
        }
      }
    }
  }
  return { scenario: best, kind, report, runs, originalSteps };
}
