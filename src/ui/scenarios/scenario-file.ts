// A built-in scenario file (src/ui/scenarios/*.json): a nemesis scenario in the simulator's own
// file format (`run`, read by src/sim/nemesis/scenario.ts, so `npx raftlab run --scenario` reads
// the same object), the seed and run options it needs, and the captions that explain it. Files
// are validated when the app loads them; each error names the file and the field, e.g.
// `split-vote.json: captions[2].when.role: expected follower | ..., got "boss"`.
import { invariantNames } from '../../checker/invariants/invariants';
import { isBugName, type BugName } from '../../sim/bugs';
import { parseScenario } from '../../sim/nemesis/scenario';
import type { WorkloadOptions } from '../../sim/workload/clients';
import type { ScenarioRunOptions } from '../model/app-run';
import { uiRoles, type UiRole } from '../model/node-state';
import type { LinearizabilityResult } from '../store/app-store';

export const scenarioFileVersion = 1;
export const captionsMax = 24;
export const captionTextLengthMax = 280;
export const titleLengthMax = 48;
export const summaryLengthMax = 240;
/** The slowest and fastest default speeds a scenario may ask for (run-actions' bounds). */
const speedRange = [0.001, 100] as const;

/** When a caption appears; captions fire in file order, each at or after the one before. */
export type CaptionWhen =
  /** At the first event at or after this simulated time (0: from the start). */
  | { kind: 'time'; atMs: number }
  /** When a node (this one, if given) takes the role, at or after afterMs. */
  | { kind: 'role'; role: UiRole; node: number | null; afterMs: number }
  /** When an invariant breaks, or when the run is over. */
  | { kind: 'violation' }
  | { kind: 'end' };

export interface Caption {
  when: CaptionWhen;
  /** May name the role change that fired it: {node} and {term}. */
  text: string;
  /** Playing stops when this caption appears, so a speaker can talk over it. */
  pause: boolean;
}

/** What the scenario must show; the tests check it, so the captions stay true. */
export interface ScenarioExpectation {
  /** The invariant that breaks, or null when none may. */
  violation: string | null;
  linearizability: Exclude<LinearizabilityResult, 'pending'> | null;
}

export interface BuiltInScenario {
  id: string;
  title: string;
  summary: string;
  seed: number;
  nodeCount: number;
  /** Simulated ms per real ms the scenario plays at by default. */
  speed: number;
  options: ScenarioRunOptions;
  captions: Caption[];
  expect: ScenarioExpectation;
}

export type ScenarioFileResult = { ok: true; scenario: BuiltInScenario } | { ok: false; error: string };

class FileError extends Error {}

type Json = unknown;

function fail(path: string, expected: string, got: Json): never {
  throw new FileError(`${path}: expected ${expected}, got ${JSON.stringify(got) ?? 'nothing'}`);
}

function object(value: Json, path: string, keys: readonly string[]): Record<string, Json> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(path, 'an object', value);
  const record = value as Record<string, Json>;
  for (const key of Object.keys(record))
    if (!keys.includes(key))
      throw new FileError(`${path}.${key}: unknown field (known: ${keys.join(', ')})`);
  return record;
}

function integer(value: Json, path: string, min: number, max: number): number {
  if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max))
    fail(path, `an integer in ${min}..${max}`, value);
  return value;
}

function text(value: Json, path: string, lengthMax: number): string {
  if (!(typeof value === 'string' && value.trim().length > 0 && value.length <= lengthMax))
    fail(path, `a non-empty string of at most ${lengthMax} characters`, value);
  return value;
}

/** Validates one scenario file; `fileName` (without .json) must equal its id. */
export function parseScenarioFile(json: Json, fileName: string): ScenarioFileResult {
  try {
    return { ok: true, scenario: scenarioFrom(json, fileName) };
  } catch (error) {
    if (error instanceof FileError) return { ok: false, error: `${fileName}.json: ${error.message}` };
    throw error;
  }
}

function scenarioFrom(json: Json, fileName: string): BuiltInScenario {
  const root = object(json, 'scenario', [
    'version',
    'id',
    'title',
    'summary',
    'seed',
    'speed',
    'run',
    'options',
    'captions',
    'expect',
  ]);
  if (root.version !== scenarioFileVersion) fail('version', `${scenarioFileVersion}`, root.version);
  const id = text(root.id, 'id', 40);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) fail('id', 'kebab-case letters and digits', id);
  if (id !== fileName) fail('id', `the file's name "${fileName}"`, id);
  const speed = root.speed ?? 0.05;
  if (!(typeof speed === 'number' && speed >= speedRange[0] && speed <= speedRange[1]))
    fail('speed', `a number in ${speedRange[0]}..${speedRange[1]}`, speed);
  // The nemesis part is the simulator's scenario format, checked by the simulator's parser.
  const parsed = parseScenario(JSON.stringify(root.run ?? null));
  if (!parsed.ok) throw new FileError(`run: ${parsed.error}`);
  const { nodeCount, timeMs, reads, plan } = parsed.scenario;
  if (!Array.isArray(root.captions) || root.captions.length === 0 || root.captions.length > captionsMax)
    fail('captions', `an array of 1..${captionsMax} captions`, root.captions);
  return {
    id,
    title: text(root.title, 'title', titleLengthMax),
    summary: text(root.summary, 'summary', summaryLengthMax),
    seed: integer(root.seed, 'seed', -1e15, 1e15),
    nodeCount,
    speed,
    options: { plan, timeMs, reads, ...optionsFrom(root.options ?? {}) },
    captions: root.captions.map((caption, i) => captionFrom(caption, `captions[${i}]`, nodeCount)),
    expect: expectationFrom(root.expect),
  };
}

function optionsFrom(value: Json): Omit<ScenarioRunOptions, 'plan' | 'timeMs' | 'reads'> {
  const record = object(value, 'options', ['bugs', 'maxSizePerMsg', 'workload', 'livenessBoundMs']);
  const options: Omit<ScenarioRunOptions, 'plan' | 'timeMs' | 'reads'> = {};
  if (record.bugs !== undefined) {
    if (!Array.isArray(record.bugs)) fail('options.bugs', 'an array of bug names', record.bugs);
    options.bugs = record.bugs.map((bug: Json, i): BugName => {
      if (!(typeof bug === 'string' && isBugName(bug))) fail(`options.bugs[${i}]`, 'a bug name', bug);
      return bug;
    });
  }
  if (record.maxSizePerMsg !== undefined)
    options.maxSizePerMsg = integer(record.maxSizePerMsg, 'options.maxSizePerMsg', 0, 1 << 30);
  if (record.livenessBoundMs !== undefined)
    options.livenessBoundMs = integer(record.livenessBoundMs, 'options.livenessBoundMs', 1, 600_000);
  if (record.workload !== undefined) {
    const keys = ['clientCount', 'keyCount', 'opsPerSecond', 'timeoutMs'] as const;
    const workload = object(record.workload, 'options.workload', keys);
    const chosen: Partial<WorkloadOptions> = {};
    for (const key of keys)
      if (workload[key] !== undefined)
        chosen[key] = integer(workload[key], `options.workload.${key}`, 1, 1_000_000);
    options.workload = chosen;
  }
  return options;
}

function captionFrom(value: Json, path: string, nodeCount: number): Caption {
  const record = object(value, path, ['when', 'text', 'pause']);
  if (record.pause !== undefined && typeof record.pause !== 'boolean')
    fail(`${path}.pause`, 'true or false', record.pause);
  return {
    when: whenFrom(record.when, `${path}.when`, nodeCount),
    text: text(record.text, `${path}.text`, captionTextLengthMax),
    pause: record.pause === true,
  };
}

function whenFrom(value: Json, path: string, nodeCount: number): CaptionWhen {
  const record = object(value, path, ['atMs', 'role', 'node', 'afterMs', 'on']);
  if (record.on !== undefined) {
    if (Object.keys(record).length > 1) fail(path, '"on" alone', record);
    if (record.on === 'violation' || record.on === 'end') return { kind: record.on };
    fail(`${path}.on`, 'violation | end', record.on);
  }
  if (record.role !== undefined) {
    if (record.atMs !== undefined) fail(`${path}.atMs`, 'afterMs with a role', record.atMs);
    if (!uiRoles.includes(record.role as UiRole))
      fail(`${path}.role`, uiRoles.join(' | '), record.role);
    return {
      kind: 'role',
      role: record.role as UiRole,
      node: record.node === undefined ? null : integer(record.node, `${path}.node`, 1, nodeCount),
      afterMs: record.afterMs === undefined ? 0 : integer(record.afterMs, `${path}.afterMs`, 0, 1e9),
    };
  }
  if (record.node !== undefined || record.afterMs !== undefined)
    fail(path, 'node and afterMs only with a role', record);
  return { kind: 'time', atMs: integer(record.atMs, `${path}.atMs`, 0, 1e9) };
}

function expectationFrom(value: Json): ScenarioExpectation {
  const record = object(value ?? {}, 'expect', ['violation', 'linearizability']);
  const violation = record.violation ?? null;
  if (violation !== null && !(invariantNames as readonly Json[]).includes(violation))
    fail('expect.violation', `${invariantNames.join(' | ')} or null`, violation);
  const results = ['linearizable', 'not-linearizable', 'unknown'];
  const linearizability = record.linearizability ?? null;
  if (linearizability !== null && !results.includes(linearizability as string))
    fail('expect.linearizability', `${results.join(' | ')} or null`, linearizability);
  return {
    violation: violation as string | null,
    linearizability: linearizability as ScenarioExpectation['linearizability'],
  };
}
