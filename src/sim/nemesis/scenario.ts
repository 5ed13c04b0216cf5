// Scenario files: a hand-written (or shrunk) nemesis plan in JSON. Everything is validated
// before a run starts, and each error names the field, e.g.
// `steps[2].node: expected a node id in 1..3, got 7`.
import type { NodeId } from '../../raft/types';
import { quietLinks, type LinkFaults } from '../network/faulty-network';
import type { PartitionShape } from '../network/partitions';
import { readModes, type ReadMode } from '../process/kv-node';
import { isBugName, type BugName } from '../bugs';
import type { WorkloadOptions } from '../workload/clients';
import type { Ratio } from '../random-streams';
import {
  faultKinds,
  type FaultKind,
  type NemesisAction,
  type NemesisPlan,
  type NemesisStep,
} from './plan';
import { nemesisStepsMax } from './swarm';

export const scenarioVersion = 1;

export interface Scenario {
  nodeCount: number;
  timeMs: number | undefined;
  reads: ReadMode | undefined;
  plan: NemesisPlan;
  /** What a shrunk scenario also fixes, so `run --scenario FILE` alone replays it. */
  seed: number | undefined;
  bugs: BugName[] | undefined;
  maxSizePerMsg: number | undefined;
  /** The engine's heartbeat and election ticks, when the run set them (run.ts checks them). */
  heartbeatTicks: number | undefined;
  electionTicks: number | undefined;
  workload: Partial<WorkloadOptions> | undefined;
}

export type ScenarioResult = { ok: true; scenario: Scenario } | { ok: false; error: string };

class ScenarioError extends Error {}

type Json = unknown;

function fail(path: string, expected: string, got: Json): never {
  throw new ScenarioError(`${path}: expected ${expected}, got ${JSON.stringify(got) ?? 'nothing'}`);
}

function object(value: Json, path: string): Record<string, Json> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(path, 'an object', value);
  return value as Record<string, Json>;
}

function integer(value: Json, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max)) {
    fail(path, `an integer in ${min}..${max}`, value);
  }
  return value;
}

function onlyKeys(record: Record<string, Json>, path: string, allowed: string[]): void {
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key))
      throw new ScenarioError(`${path}.${key}: unknown field (known: ${allowed.join(', ')})`);
  }
}

function ratio(value: Json, path: string): Ratio {
  if (!(Array.isArray(value) && value.length === 2))
    fail(path, 'a ratio [numerator, denominator]', value);
  const denominator = integer(value[1], `${path}[1]`, 1);
  return { numerator: integer(value[0], `${path}[0]`, 0, denominator), denominator };
}

export function parseScenario(text: string): ScenarioResult {
  try {
    let json: Json;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ScenarioError(`not JSON: ${(error as Error).message}`);
    }
    return { ok: true, scenario: scenarioFrom(object(json, 'scenario')) };
  } catch (error) {
    if (error instanceof ScenarioError) return { ok: false, error: error.message };
    throw error;
  }
}

function scenarioFrom(root: Record<string, Json>): Scenario {
  onlyKeys(root, 'scenario', [
    'version',
    'nodes',
    'timeMs',
    'reads',
    'links',
    'driftPpm',
    'steps',
    'seed',
    'bugs',
    'maxSizePerMsg',
    'heartbeatTicks',
    'electionTicks',
    'workload',
  ]);
  if (root.version !== scenarioVersion) fail('version', `${scenarioVersion}`, root.version);
  const nodeCount = integer(root.nodes, 'nodes', 1, 9);
  const nodeIds = Array.from({ length: nodeCount }, (_, i) => i + 1);
  const timeMs = root.timeMs === undefined ? undefined : integer(root.timeMs, 'timeMs', 1);
  let reads: ReadMode | undefined;
  if (root.reads !== undefined) {
    if (!readModes.includes(root.reads as ReadMode))
      fail('reads', readModes.join(' | '), root.reads);
    reads = root.reads as ReadMode;
  }
  const links = root.links === undefined ? quietLinks : linksFrom(object(root.links, 'links'));
  const driftPpm: Record<NodeId, number> = {};
  for (const id of nodeIds) driftPpm[id] = 0;
  if (root.driftPpm !== undefined) {
    for (const [key, value] of Object.entries(object(root.driftPpm, 'driftPpm'))) {
      const id = integer(Number(key), `driftPpm key "${key}"`, 1, nodeCount);
      driftPpm[id] = integer(value, `driftPpm.${key}`, -500_000, 500_000);
    }
  }
  if (!Array.isArray(root.steps)) fail('steps', 'an array', root.steps);
  if (root.steps.length > nemesisStepsMax)
    fail('steps', `at most ${nemesisStepsMax} steps`, root.steps.length);
  const steps = root.steps.map((step, i) => stepFrom(step, `steps[${i}]`, nodeCount));
  steps.forEach((step, i) => {
    if (i > 0 && step.atMs < steps[i - 1].atMs)
      fail(`steps[${i}].atMs`, `>= ${steps[i - 1].atMs} (steps in time order)`, step.atMs);
    if (timeMs !== undefined && step.atMs >= timeMs)
      fail(`steps[${i}].atMs`, `below timeMs ${timeMs}`, step.atMs);
  });
  const faults = faultsOf(steps, links, driftPpm);
  const parameters: [string, string][] = [['scenario steps', String(steps.length)]];
  if (faults.includes('clock')) {
    parameters.push(['clock drift', nodeIds.map((id) => `${id}:${driftPpm[id]}ppm`).join(' ')]);
  }
  return {
    nodeCount,
    timeMs,
    reads,
    plan: { faults, source: 'scenario', links, driftPpm, steps, parameters },
    ...runFieldsFrom(root),
  };
}

function runFieldsFrom(
  root: Record<string, Json>,
): Pick<
  Scenario,
  'seed' | 'bugs' | 'maxSizePerMsg' | 'heartbeatTicks' | 'electionTicks' | 'workload'
> {
  const seed =
    root.seed === undefined
      ? undefined
      : integer(root.seed, 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  let bugs: BugName[] | undefined;
  if (root.bugs !== undefined) {
    if (!Array.isArray(root.bugs)) fail('bugs', 'an array of bug names', root.bugs);
    bugs = root.bugs.map((bug, i) => {
      if (typeof bug !== 'string' || !isBugName(bug)) fail(`bugs[${i}]`, 'a bug name', bug);
      return bug as BugName;
    });
  }
  const maxSizePerMsg =
    root.maxSizePerMsg === undefined ? undefined : integer(root.maxSizePerMsg, 'maxSizePerMsg', 0);
  const ticks = (key: 'heartbeatTicks' | 'electionTicks'): number | undefined =>
    root[key] === undefined ? undefined : integer(root[key], key, 1, 10_000);
  let workload: Partial<WorkloadOptions> | undefined;
  if (root.workload !== undefined) {
    const record = object(root.workload, 'workload');
    const keys = ['clientCount', 'keyCount', 'opsPerSecond', 'timeoutMs'] as const;
    onlyKeys(record, 'workload', [...keys]);
    workload = {};
    for (const key of keys) {
      if (record[key] !== undefined)
        workload[key] = integer(record[key], `workload.${key}`, 1, 1_000_000);
    }
  }
  return {
    seed,
    bugs,
    maxSizePerMsg,
    heartbeatTicks: ticks('heartbeatTicks'),
    electionTicks: ticks('electionTicks'),
    workload,
  };
}

function linksFrom(record: Record<string, Json>): LinkFaults {
  const known = [
    'latencyMsMin',
    'latencyMsMax',
    'jitterMs',
    'loss',
    'duplicate',
    'reorder',
    'reorderDelayMsMax',
  ];
  onlyKeys(record, 'links', known);
  const number = (key: string, fallback: number): number =>
    record[key] === undefined ? fallback : integer(record[key], `links.${key}`, 0, 3_600_000);
  const ratioOr = (key: string, fallback: Ratio): Ratio =>
    record[key] === undefined ? fallback : ratio(record[key], `links.${key}`);
  const links: LinkFaults = {
    latencyMsMin: number('latencyMsMin', quietLinks.latencyMsMin),
    latencyMsMax: number('latencyMsMax', quietLinks.latencyMsMax),
    jitterMs: number('jitterMs', quietLinks.jitterMs),
    lossRatio: ratioOr('loss', quietLinks.lossRatio),
    duplicateRatio: ratioOr('duplicate', quietLinks.duplicateRatio),
    reorderRatio: ratioOr('reorder', quietLinks.reorderRatio),
    reorderDelayMsMax: number('reorderDelayMsMax', quietLinks.reorderDelayMsMax),
  };
  if (links.latencyMsMax < links.latencyMsMin)
    fail('links.latencyMsMax', `>= latencyMsMin ${links.latencyMsMin}`, links.latencyMsMax);
  return links;
}

function nodeList(value: Json, path: string, nodeCount: number): NodeId[] {
  if (!(Array.isArray(value) && value.length > 0))
    fail(path, 'a non-empty array of node ids', value);
  return value.map((id, i) => integer(id, `${path}[${i}]`, 1, nodeCount));
}

function shapeFrom(value: Json, path: string, nodeCount: number): PartitionShape {
  const shape = object(value, path);
  const node = (key: string): NodeId => integer(shape[key], `${path}.${key}`, 1, nodeCount);
  const nodes = (key: string): NodeId[] => nodeList(shape[key], `${path}.${key}`, nodeCount);
  const sides = (count?: number): NodeId[][] => {
    const raw = shape.sides;
    if (!(Array.isArray(raw) && raw.length >= 1 && (count === undefined || raw.length === count))) {
      fail(`${path}.sides`, count === undefined ? 'an array of sides' : `${count} sides`, raw);
    }
    return raw.map((side, i) => nodeList(side, `${path}.sides[${i}]`, nodeCount));
  };
  switch (shape.kind) {
    case 'symmetric':
      return { kind: 'symmetric', sides: sides() };
    case 'one-way':
      return { kind: 'one-way', from: nodes('from'), to: nodes('to') };
    case 'isolate':
      return { kind: 'isolate', node: node('node') };
    case 'majority-minority':
      return { kind: 'majority-minority', majority: nodes('majority') };
    case 'bridge': {
      const [a, b] = sides(2);
      return { kind: 'bridge', bridge: node('bridge'), sides: [a, b] };
    }
    default:
      return fail(
        `${path}.kind`,
        'symmetric | one-way | isolate | majority-minority | bridge',
        shape.kind,
      );
  }
}

function stepFrom(value: Json, path: string, nodeCount: number): NemesisStep {
  const step = object(value, path);
  const atMs = integer(step.atMs, `${path}.atMs`, 0);
  const node = (): NodeId => integer(step.node, `${path}.node`, 1, nodeCount);
  let action: NemesisAction;
  switch (step.action) {
    case 'partition':
      action = { kind: 'partition', shape: shapeFrom(step.shape, `${path}.shape`, nodeCount) };
      break;
    case 'heal':
      action = { kind: 'heal' };
      break;
    case 'crash':
    case 'restart':
      action = { kind: step.action, node: node() };
      break;
    case 'pause':
      action = {
        kind: 'pause',
        node: node(),
        durationMs: integer(step.durationMs, `${path}.durationMs`, 1),
      };
      break;
    default:
      return fail(`${path}.action`, 'partition | heal | crash | restart | pause', step.action);
  }
  return { atMs, action };
}

function faultsOf(
  steps: NemesisStep[],
  links: LinkFaults,
  driftPpm: Record<NodeId, number>,
): FaultKind[] {
  const on = new Set<FaultKind>();
  for (const { action } of steps) {
    if (action.kind === 'partition') on.add('partition');
    if (action.kind === 'crash') on.add('crash');
    if (action.kind === 'pause') on.add('pause');
  }
  if (links.lossRatio.numerator > 0) on.add('loss');
  if (links.duplicateRatio.numerator > 0) on.add('duplicate');
  if (links.reorderRatio.numerator > 0) on.add('reorder');
  if (links.latencyMsMax > quietLinks.latencyMsMax) on.add('latency');
  if (Object.values(driftPpm).some((drift) => drift !== 0)) on.add('clock');
  return faultKinds.filter((kind) => on.has(kind));
}
