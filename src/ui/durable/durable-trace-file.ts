// A durable run as a trace file: the envelope `npx raftlab run --durable|--engine E --trace`
// writes (options with `durable: true`, the disk faults, the engine, reads and bugs), plus the `app` section
// with the person's interventions and the position. The transcript hash goes in when the run is
// over and nobody intervened, so `npx raftlab replay` re-runs the file and checks it. Opening a
// trace (the app's own or the CLI's) gives the durable URL that replays it on fresh disks.
import { isDiskFaultKind, type DiskFaultKind } from '../../sim/durable/disk-faults';
import { faultKinds, type FaultKind } from '../../sim/nemesis/plan';
import { bugNames, isBugName, type BugName } from '../../sim/bugs';
import { durableBugsRefusal } from '../../sim/durable/durable-run';
import { readModes, type ReadMode } from '../../sim/process/kv-node';
import { formatIntervention, parseIntervention } from '../model/intervention-text';
import {
  readEnvelope,
  traceFormat,
  traceInterventionsMax,
  traceVersion,
} from '../model/trace-file';
import type { DurableRunConfig } from './durable-app-run';
import { engineOfParameter } from './durable-engine';
import { durableInjection, type DurableIntervention } from './durable-session';
import { formatDurableUrl, newRunId } from './durable-url';

export interface DurableTraceContent {
  config: Omit<DurableRunConfig, 'runId' | 'branch'>;
  interventions: readonly DurableIntervention[];
  /** Events processed (0 for a CLI trace, which records no position). */
  position: number;
}

/** The node count `raftlab run` uses when --nodes is not given. */
const cliNodeCountDefault = 3;
const optionNames = ['seed', 'nodeCount', 'nemesis', 'timeMs', 'durable', 'diskFaults', 'engine', 'reads', 'bugs'];
/** Options that change nothing the run does (memory and checker limits). */
const ignoredOptionNames = ['transcriptLinesKeptMax', 'checkStepsMax'];

export function formatDurableTraceFile(
  content: DurableTraceContent & { buildVersion: string; transcriptHash: string | null },
): string {
  const { config } = content;
  const options = {
    seed: config.seed,
    nodeCount: config.nodeCount,
    ...(config.nemesis === 'seed' ? {} : { nemesis: [...config.nemesis] }),
    ...(config.timeMs === undefined ? {} : { timeMs: config.timeMs }),
    durable: true,
    diskFaults: [...(config.diskFaults ?? [])],
    ...((config.engine ?? 'etcd') === 'etcd' ? {} : { engine: config.engine }),
    ...(config.reads === undefined ? {} : { reads: config.reads }),
    ...(config.bugs === undefined || config.bugs.length === 0 ? {} : { bugs: [...config.bugs] }),
  };
  const interventions = content.interventions.map((item) => formatIntervention(item));
  const trace = {
    format: traceFormat,
    version: traceVersion,
    buildVersion: content.buildVersion,
    seed: config.seed,
    options,
    ...(content.transcriptHash === null || interventions.length > 0
      ? {}
      : { transcriptHash: content.transcriptHash }),
    app: {
      durable: true,
      scenario: config.scenario ?? null,
      interventions: interventions.filter((text) => text !== null),
      position: content.position,
    },
  };
  return JSON.stringify(trace, null, 2) + '\n';
}

export type DurableTraceParse =
  { ok: true; content: DurableTraceContent } | { ok: false; error: string };

/** Whether a trace file's text is a durable run's (options.durable), without checking the rest. */
export function isDurableTraceText(text: string): boolean {
  try {
    const json = JSON.parse(text) as { options?: { durable?: unknown } } | null;
    return json?.options?.durable === true;
  } catch {
    return false;
  }
}

function readOptions(options: Record<string, unknown>): DurableTraceContent['config'] | string {
  const unknown = Object.keys(options).find(
    (name) => !optionNames.includes(name) && !ignoredOptionNames.includes(name),
  );
  if (unknown !== undefined)
    return `options.${unknown}: durable mode in the app does not take this option (it takes ${optionNames.join(', ')})`;
  if (options.durable !== true) return 'options.durable: expected true (not a durable run)';
  if (!Number.isSafeInteger(options.seed)) return 'options.seed: expected an integer';
  const nodeCount = options.nodeCount ?? cliNodeCountDefault;
  if (!(
    Number.isSafeInteger(nodeCount) &&
    (nodeCount as number) >= 1 &&
    (nodeCount as number) <= 9
  ))
    return 'options.nodeCount: expected an integer from 1 to 9';
  let nemesis: DurableRunConfig['nemesis'] = 'seed';
  if (options.nemesis !== undefined) {
    const list = options.nemesis;
    if (
      !Array.isArray(list) ||
      !list.every((kind) => (faultKinds as readonly unknown[]).includes(kind))
    )
      return `options.nemesis: expected a list of faults (${faultKinds.join(', ')})`;
    nemesis = list as FaultKind[];
  }
  const diskFaults = options.diskFaults;
  if (!Array.isArray(diskFaults) || !diskFaults.every((kind) => isDiskFaultKind(String(kind))))
    return 'options.diskFaults: expected the list of disk faults (a run whose seed chose them cannot be opened: name them, or none, in --nemesis)';
  const timeMs = options.timeMs;
  if (timeMs !== undefined && !(Number.isSafeInteger(timeMs) && (timeMs as number) >= 1))
    return 'options.timeMs: expected an integer >= 1';
  const engine = engineOfParameter(options.engine === undefined ? null : String(options.engine));
  if (engine === null) return 'options.engine: expected etcd or hashicorp';
  const reads = options.reads;
  if (reads !== undefined && !(readModes as readonly unknown[]).includes(reads))
    return `options.reads: expected one of ${readModes.join(', ')}`;
  const bugs = options.bugs ?? [];
  if (!Array.isArray(bugs) || !bugs.every((bug) => isBugName(String(bug))))
    return `options.bugs: expected a list of bug switches (${bugNames.join(', ')})`;
  const refused = durableBugsRefusal(engine, bugs as BugName[]);
  if (refused !== null) return `options.bugs: ${refused}`;
  return {
    ...(reads === undefined ? {} : { reads: reads as ReadMode }),
    ...(bugs.length === 0 ? {} : { bugs: bugs as BugName[] }),
    seed: options.seed as number,
    nodeCount: nodeCount as number,
    nemesis,
    diskFaults: diskFaults as DiskFaultKind[],
    engine,
    ...(timeMs === undefined ? {} : { timeMs: timeMs as number }),
  };
}

function readApp(
  app: Record<string, unknown>,
  nodeCount: number,
): Pick<DurableTraceContent, 'interventions' | 'position'> | string {
  const position = app.position ?? 0;
  if (!(Number.isSafeInteger(position) && (position as number) >= 0))
    return 'app.position: expected an integer >= 0';
  const texts = app.interventions ?? [];
  if (!Array.isArray(texts) || texts.length > traceInterventionsMax)
    return `app.interventions: expected a list of at most ${traceInterventionsMax} strings like "12:crash:2"`;
  const interventions: DurableIntervention[] = [];
  for (const [index, text] of texts.entries()) {
    const parsed = typeof text === 'string' ? parseIntervention(text) : null;
    const action = parsed === null ? null : durableInjection(parsed.action);
    if (parsed === null || action === null || parsed.afterEvent <= nodeCount)
      return `app.interventions[${index}]: ${JSON.stringify(text)} is not an action durable mode replays (crash, restart, pause, isolate, heal, campaign after the boots)`;
    interventions.push({ afterEvent: parsed.afterEvent, action });
  }
  return { interventions, position: position as number };
}

/** Reads a durable trace written by the app or by `raftlab run --durable|--engine --trace`. */
export function parseDurableTraceFile(text: string, build: string): DurableTraceParse {
  const envelope = readEnvelope(text, build);
  if (typeof envelope === 'string') return { ok: false, error: envelope };
  const config = readOptions(envelope.options as Record<string, unknown>);
  if (typeof config === 'string') return { ok: false, error: config };
  const section = readApp((envelope.app ?? {}) as Record<string, unknown>, config.nodeCount);
  if (typeof section === 'string') return { ok: false, error: section };
  return { ok: true, content: { config, ...section } };
}

/**
 * The durable URL that replays a trace (the app's or `raftlab run --durable --trace`'s) on new
 * disks, or what is wrong with the file.
 */
export function durableTraceUrl(
  text: string,
  build: string,
): { ok: true; search: string } | { ok: false; error: string } {
  const parsed = parseDurableTraceFile(text, build);
  if (!parsed.ok) return parsed;
  const { config, interventions, position } = parsed.content;
  const search = formatDurableUrl({ ...config, runId: newRunId() }, interventions, position);
  return { ok: true, search };
}
