// Every option field of a `raftlab run --trace` file, checked before `raftlab replay` runs it:
// types, ranges and known names, and the nemesis plan through the scenario files' own validator
// (parseScenario), so a hand-edited or damaged trace is refused with the field and what is wrong.
import { bugNames, isBugName } from '../sim/bugs';
import { diskFaultKinds, isDiskFaultKind } from '../sim/durable/disk-faults';
import { durableEngines } from '../sim/durable/durable-run';
import { faultKinds, type FaultKind, type NemesisPlan } from '../sim/nemesis/plan';
import { parseScenario, scenarioVersion } from '../sim/nemesis/scenario';
import { readModes } from '../sim/process/kv-node';
import { defaultRunTimeMs, electionTicksMax, nodeCountMax } from '../sim/run';
import { linksJson, stepJson } from '../sim/shrink-scenario';

type Check = (value: unknown) => string | null;

const show = (value: unknown): string => JSON.stringify(value) ?? 'nothing';

function integer(min: number, max = Number.MAX_SAFE_INTEGER): Check {
  return (value) =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max
      ? null
      : `expected an integer in ${min}..${max}, got ${show(value)}`;
}

function oneOf(names: readonly string[]): Check {
  return (value) =>
    typeof value === 'string' && names.includes(value)
      ? null
      : `expected one of ${names.join(', ')}, got ${show(value)}`;
}

function listOf(names: readonly string[], known: (name: string) => boolean): Check {
  return (value) => {
    if (!Array.isArray(value)) return `expected an array of names (${names.join(', ')}), got ${show(value)}`;
    const bad = value.findIndex((name) => typeof name !== 'string' || !known(name));
    return bad < 0 ? null : `[${bad}]: unknown name ${show(value[bad])} (known: ${names.join(', ')})`;
  };
}

const workloadKeys = ['clientCount', 'keyCount', 'opsPerSecond', 'timeoutMs'];

const workload: Check = (value) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `expected an object, got ${show(value)}`;
  for (const [key, field] of Object.entries(value)) {
    if (!workloadKeys.includes(key)) return `.${key}: unknown field (known: ${workloadKeys.join(', ')})`;
    const error = integer(1, 1_000_000)(field);
    if (error !== null) return `.${key}: ${error}`;
  }
  return null;
};

const checks: Record<string, Check> = {
  seed: integer(Number.MIN_SAFE_INTEGER),
  nodeCount: integer(1, nodeCountMax),
  timeMs: integer(1),
  nemesis: listOf(faultKinds, (name) => faultKinds.includes(name as FaultKind)),
  reads: oneOf(readModes),
  tickMs: integer(1),
  livenessBoundMs: integer(1),
  workload,
  plan: () => null, // checked with the node count and time in planError
  checkStepsMax: integer(1),
  transcriptLinesKeptMax: integer(0),
  bugs: listOf(bugNames, isBugName),
  maxSizePerMsg: integer(0),
  heartbeatTicks: integer(1, electionTicksMax),
  electionTicks: integer(1, electionTicksMax),
  driftPpmMax: integer(0, 500_000),
  nemesisSpeedup: integer(1, 1_000),
  durable: (value) => (typeof value === 'boolean' ? null : `expected true or false, got ${show(value)}`),
  diskFaults: listOf(diskFaultKinds, isDiskFaultKind),
  engine: oneOf(durableEngines),
};

/** What is wrong with a trace's options, as "options.<field>: <what>"; null when nothing is. */
export function traceOptionsError(options: Record<string, unknown>): string | null {
  for (const [field, value] of Object.entries(options)) {
    const check = checks[field];
    if (check === undefined) return `options.${field}: unknown field (known: ${Object.keys(checks).join(', ')})`;
    if (value === undefined) continue;
    const error = check(value);
    if (error !== null) return `options.${field}${/^[.[]/.test(error) ? '' : ': '}${error}`;
  }
  if (options.seed === undefined) return 'options.seed: expected an integer, got nothing';
  if (options.engine !== undefined && options.durable !== true)
    return `options.engine: a ${String(options.engine)} host runs only in a durable trace (durable: true)`;
  if (options.diskFaults !== undefined && options.durable !== true)
    return 'options.diskFaults: disk faults need a durable trace (durable: true)';
  if (options.plan !== undefined) {
    const error = planError(options.plan, (options.nodeCount as number | undefined) ?? 3, (options.timeMs as number | undefined) ?? defaultRunTimeMs);
    if (error !== null) return `options.plan: ${error}`;
  }
  return null;
}

const planKeys = ['faults', 'source', 'links', 'driftPpm', 'steps', 'parameters'];

/** A plan as the scenario file it amounts to, checked by parseScenario; its faults, source, parameters here. */
function planError(value: unknown, nodeCount: number, timeMs: number): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `expected a nemesis plan object, got ${show(value)}`;
  const plan = value as Record<string, unknown>;
  for (const key of Object.keys(plan)) if (!planKeys.includes(key)) return `${key}: unknown field (known: ${planKeys.join(', ')})`;
  const faults = listOf(faultKinds, (name) => faultKinds.includes(name as FaultKind))(plan.faults);
  if (faults !== null) return `faults${/^\[/.test(faults) ? '' : ': '}${faults}`;
  const source = oneOf(['seed', 'list', 'scenario'])(plan.source);
  if (source !== null) return `source: ${source}`;
  const parameters = plan.parameters;
  if (!(Array.isArray(parameters) && parameters.every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every((part) => typeof part === 'string'))))
    return `parameters: expected an array of [name, value] strings, got ${show(parameters)}`;
  let scenario: object;
  try {
    const typed = plan as unknown as NemesisPlan;
    scenario = {
      version: scenarioVersion,
      nodes: nodeCount,
      timeMs,
      links: linksJson(typed.links),
      driftPpm: typed.driftPpm,
      steps: (Array.isArray(typed.steps) ? typed.steps : []).map(stepJson),
    };
    if (!Array.isArray(typed.steps)) return `steps: expected an array, got ${show(typed.steps)}`;
  } catch {
    return 'expected links {latencyMsMin, latencyMsMax, jitterMs, lossRatio, duplicateRatio, reorderRatio, reorderDelayMsMax} and steps [{atMs, action: {kind, ...}}]';
  }
  const parsed = parseScenario(JSON.stringify(scenario));
  return parsed.ok ? null : parsed.error;
}
