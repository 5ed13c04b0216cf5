// A run as a file: the envelope `npx raftlab run --trace` writes (format "raftlab-trace",
// version 1, the build's version, the seed and the run options, in the CLI's RunOptions shape),
// plus an `app` section with what only the app has: the user's interventions and the position.
// A CLI trace opens in the app at its start; an app trace without interventions carries the
// transcript hash, so `npx raftlab replay` re-runs it too. Anything malformed, foreign, of
// another format version or from another build is refused with what is wrong, naming the field.
import { faultKinds, type FaultKind } from '../../sim/nemesis/plan';
import { formatNemesis } from '../store/url';
import { bugNames, isBugName } from '../../sim/bugs';
import { readModes } from '../../sim/process/kv-node';
import {
  runOptionsOf,
  type RunConfig,
  type RunConfigOptions,
  type ScenarioRunOptions,
} from './app-run';
import {
  formatIntervention,
  nodesOfAction,
  parseIntervention,
  type Intervention,
} from './intervention-text';

/** The CLI's trace envelope (src/cli/run-command.ts traceFormat, traceVersion). */
export const traceFormat = 'raftlab-trace';
export const traceVersion = 1;
/** Characters a trace file may have before it is refused unread. */
export const traceTextMax = 64_000_000;
/** Interventions a trace may carry. */
export const traceInterventionsMax = 10_000;
/** The node count `raftlab run` uses when --nodes is not given. */
const cliNodeCountDefault = 3;

/** The option names a trace may set; the app carries the scenario ones in RunConfig.scenario. */
const scenarioOptionNames = [
  'timeMs',
  'reads',
  'plan',
  'bugs',
  'maxSizePerMsg',
  'workload',
  'livenessBoundMs',
] as const satisfies readonly (keyof ScenarioRunOptions)[];
/** The options a run of the app's own carries (RunConfig.options), outside any scenario. */
const configOptionNames = [
  'timeMs',
  'reads',
  'bugs',
] as const satisfies readonly (keyof RunConfigOptions)[];
/** Options that change nothing the run does (memory and checker limits). */
const ignoredOptionNames = ['transcriptLinesKeptMax', 'checkStepsMax'];

export interface TraceFileContent {
  config: RunConfig;
  interventions: Intervention[];
  /** Events processed; 0 for a CLI trace (it records no position). */
  position: number;
}

export interface TraceFileExport extends TraceFileContent {
  buildVersion: string;
  /** The whole run's transcript hash, when the CLI can reproduce the run (no interventions). */
  transcriptHash: string | null;
}

export { runOptionsOf };

export function formatTraceFile(content: TraceFileExport): string {
  const interventions = content.interventions.map((item) => {
    const text = formatIntervention(item);
    if (text === null)
      throw new Error(`intervention ${JSON.stringify(item)} has no text form to export`);
    return text;
  });
  const trace = {
    format: traceFormat,
    version: traceVersion,
    buildVersion: content.buildVersion,
    seed: content.config.seed,
    options: runOptionsOf(content.config),
    ...(content.transcriptHash === null ? {} : { transcriptHash: content.transcriptHash }),
    app: {
      nemesis: formatNemesis(content.config.nemesis),
      scenario: content.config.scenario?.id ?? null,
      interventions,
      position: content.position,
    },
  };
  return JSON.stringify(trace, null, 2) + '\n';
}

export type TraceFileParse = { ok: true; content: TraceFileContent } | { ok: false; error: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks the envelope; returns the options object or what is wrong (durable traces too). */
export function readEnvelope(text: string, build: string): Record<string, unknown> | string {
  if (text.length > traceTextMax) return `longer than ${traceTextMax} characters`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  if (!isObject(json)) return 'not a trace: expected a JSON object';
  if (json.format !== traceFormat)
    return `not a raftlab trace: format is ${JSON.stringify(json.format)}, expected "${traceFormat}"`;
  if (json.version !== traceVersion)
    return `trace format version ${JSON.stringify(json.version)} is not supported (this build reads version ${traceVersion})`;
  if (json.buildVersion !== build)
    return `trace from build ${JSON.stringify(json.buildVersion)}, this is build "${build}": a run replays only on the build that made it`;
  if (!isObject(json.options)) return 'options: expected an object';
  if (json.seed !== undefined && json.seed !== json.options.seed)
    return `seed ${JSON.stringify(json.seed)} differs from options.seed ${JSON.stringify(json.options.seed)}`;
  if (json.app !== undefined && !isObject(json.app)) return 'app: expected an object';
  return json;
}

function readConfig(
  options: Record<string, unknown>,
  app: Record<string, unknown>,
): RunConfig | string {
  const known = new Set<string>([
    'seed',
    'nodeCount',
    'nemesis',
    ...scenarioOptionNames,
    ...ignoredOptionNames,
  ]);
  const unknown = Object.keys(options).filter((name) => !known.has(name));
  if (unknown.length > 0)
    return `options.${unknown[0]}: the app cannot run this option (it runs ${[...known].join(', ')})`;
  if (!Number.isSafeInteger(options.seed)) return 'options.seed: expected an integer';
  const nodeCount = options.nodeCount ?? cliNodeCountDefault;
  if (!Number.isSafeInteger(nodeCount)) return 'options.nodeCount: expected an integer';
  let nemesis: RunConfig['nemesis'] = 'seed';
  if (options.nemesis !== undefined) {
    if (!Array.isArray(options.nemesis)) return 'options.nemesis: expected a list of faults';
    const bad = options.nemesis.find((kind) => !(faultKinds as readonly unknown[]).includes(kind));
    if (bad !== undefined)
      return `options.nemesis: unknown fault ${JSON.stringify(bad)} (known: ${faultKinds.join(', ')})`;
    nemesis = options.nemesis as FaultKind[];
  }
  const reads = options.reads;
  if (reads !== undefined && !(readModes as readonly unknown[]).includes(reads))
    return `options.reads: expected one of ${readModes.join(', ')}`;
  const bugs = options.bugs;
  if (bugs !== undefined && !(Array.isArray(bugs) && bugs.every((bug) => isBugName(String(bug)))))
    return `options.bugs: expected a list of bug names (${bugNames.join(', ')})`;
  const scenarioOptions: Record<string, unknown> = {};
  for (const name of scenarioOptionNames)
    if (options[name] !== undefined) scenarioOptions[name] = options[name];
  const config: RunConfig = {
    seed: options.seed as number,
    nodeCount: nodeCount as number,
    nemesis,
  };
  const id = app.scenario ?? null;
  if (id !== null && typeof id !== 'string') return 'app.scenario: expected a scenario id or null';
  // Without a scenario, the options the controls choose (time, reads, bug) stay the run's own.
  const own: RunConfigOptions = {};
  if (id === null)
    for (const name of configOptionNames)
      if (scenarioOptions[name] !== undefined) {
        Object.assign(own, { [name]: scenarioOptions[name] });
        delete scenarioOptions[name];
      }
  if (Object.keys(own).length > 0) config.options = own;
  if (Object.keys(scenarioOptions).length > 0 || id !== null)
    config.scenario = { id: id ?? 'trace', options: scenarioOptions as ScenarioRunOptions };
  return config;
}

function readAppSection(
  app: Record<string, unknown>,
): { interventions: Intervention[]; position: number } | string {
  const position = app.position ?? 0;
  if (!(Number.isSafeInteger(position) && (position as number) >= 0))
    return 'app.position: expected an integer >= 0';
  const texts = app.interventions ?? [];
  if (!Array.isArray(texts) || texts.some((text) => typeof text !== 'string'))
    return 'app.interventions: expected a list of strings like "12:crash:2"';
  if (texts.length > traceInterventionsMax)
    return `app.interventions: ${texts.length} items, more than ${traceInterventionsMax}`;
  const interventions: Intervention[] = [];
  for (const [index, text] of (texts as string[]).entries()) {
    const parsed = text.includes('~') ? null : parseIntervention(text);
    if (parsed === null)
      return `app.interventions[${index}]: "${text}" is not an intervention (e.g. "12:crash:2", "40:heal")`;
    interventions.push(parsed);
  }
  return { interventions, position: position as number };
}

/** Reads a trace file written by the app or by `raftlab run --trace`. */
export function parseTraceFile(text: string, build: string): TraceFileParse {
  const envelope = readEnvelope(text, build);
  if (typeof envelope === 'string') return { ok: false, error: envelope };
  const app = (envelope.app ?? {}) as Record<string, unknown>;
  const config = readConfig(envelope.options as Record<string, unknown>, app);
  if (typeof config === 'string') return { ok: false, error: config };
  const section = readAppSection(app);
  if (typeof section === 'string') return { ok: false, error: section };
  const outOfRange = section.interventions.find((item) =>
    nodesOfAction(item.action).some((node) => !(node >= 1 && node <= config.nodeCount)),
  );
  if (outOfRange !== undefined)
    return {
      ok: false,
      error: `app.interventions: "${formatIntervention(outOfRange)}" names a node outside 1..${config.nodeCount}`,
    };
  return { ok: true, content: { config, ...section } };
}
