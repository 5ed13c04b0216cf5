// The scenario files the shrinker reads and writes, as JSON, and the runs they stand for: a
// scenario fixes the seed, the read path, the bugs and the workload along with the plan, so
// `raftlab run --scenario FILE` replays it on its own.
import type { NemesisStep } from './nemesis/plan';
import { parseScenario, scenarioVersion } from './nemesis/scenario';
import type { LinkFaults } from './network/faulty-network';
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
  heartbeatTicks?: number;
  electionTicks?: number;
  workload: { clientCount: number; keyCount: number; opsPerSecond: number; timeoutMs: number };
  links: Record<string, number | [number, number]>;
  driftPpm: Record<string, number>;
  steps: StepJson[];
}

/** One nemesis step as a scenario file writes it (`action` names the kind). */
export type StepJson = Record<string, unknown> & { atMs: number; action: string };

export function stepJson(step: NemesisStep): StepJson {
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

export function linksJson(links: LinkFaults): ScenarioJson['links'] {
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
    ...(resolved.heartbeatTicks !== undefined ? { heartbeatTicks: resolved.heartbeatTicks } : {}),
    ...(resolved.electionTicks !== undefined ? { electionTicks: resolved.electionTicks } : {}),
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
    heartbeatTicks: scenario.heartbeatTicks,
    electionTicks: scenario.electionTicks,
    workload: scenario.workload,
  };
}
