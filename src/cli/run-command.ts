// `raftlab run`: one deterministic simulator run. Prints the seed, every parameter the run used
// (chosen by the seed or given), the operations' outcomes, leader changes, the invariant,
// liveness and linearizability results, and the transcript hash. Exit 0 when all is well,
// 1 on any violation, 2 on a usage error.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bugSearchOptions } from '../sim/bug-search';
import { bugNames, describeBugList, isBugName, type BugName } from '../sim/bugs';
import { faultKinds, describeAction, describeRatio, type FaultKind } from '../sim/nemesis/plan';
import { parseScenario } from '../sim/nemesis/scenario';
import { readModes, type ReadMode } from '../sim/process/kv-node';
import { runSimulation, type RunOptions, type RunReport } from '../sim/run';
import { diskFaultKinds, isDiskFaultKind, type DiskFaultKind } from '../sim/durable/disk-faults';
import {
  durableBugs,
  durableEngines,
  isDurableEngine,
  runDurableSimulation,
  type DurableEngine,
  type DurableRunReport,
} from '../sim/durable/durable-run';
import { durableBugSearches } from '../sim/durable/durable-bug-search';
import { workerThreadDrivers } from '../worker/worker-driver';
import { describeHistoryEvent } from '../sim/workload/history';
import type { CommandOutput } from './main';
import { writeOutput } from './output-file';

export const usage =
  'usage: raftlab run --seed N [--nodes 3..9] [--time 60s] [--nemesis LIST|all|none] [--reads index|lease|log]\n' +
  '                   [--bug NAME[,NAME]|list] [--bug-search] [--max-msg-size BYTES] [--drift-max PPM] [--nemesis-speedup N]\n' +
  '                   [--client-timeout MS] [--heartbeat-ticks N] [--election-ticks N] [--scenario FILE] [--trace FILE] [--json] [--durable [--workers] [--engine etcd|hashicorp]]\n' +
  `  LIST: comma-separated faults from ${faultKinds.join(',')}; without --nemesis the seed picks them.\n` +
  '  --durable: each node is an engine\'s node host on its own disk; LIST may then also name disk faults\n' +
  `  (${diskFaultKinds.join(',')}). --workers: one worker_thread per node, disks in a temp folder.\n` +
  '  --engine: the node host of a durable run: etcd (the default) or hashicorp (the HashiCorp-style engine);\n' +
  '  --engine implies --durable.\n' +
  '  --bug-search: with one --bug NAME, the options its sweep uses (--bug list prints them) for every option not given;\n' +
  "  on a durable run, the sweep of that engine's host (disk faults included).\n" +
  "  --max-size-per-msg is another name for --max-msg-size (etcd's MaxSizePerMsg; 0: one entry per append).\n";

export const traceFormat = 'raftlab-trace';
export const traceVersion = 1;

interface Parsed {
  run: RunOptions;
  json: boolean;
  tracePath: string | undefined;
  scenarioPath: string | undefined;
  /** The arguments that reproduce this run, for the closing line. */
  reproduce: string[];
  /** `--bug list` was asked for: print the bugs and stop. */
  listBugs: boolean;
  /** `--durable`: etcd node hosts on disks; `--workers`: each in its own worker_thread. */
  durable: boolean;
  workers: boolean;
  /** `--engine`: the durable run's node host; undefined is etcd. */
  engine: DurableEngine | undefined;
  /** Disk faults named in --nemesis (durable runs only); undefined lets the seed choose. */
  diskFaults: DiskFaultKind[] | undefined;
  /** `--bug-search`: the bug's search options fill in every option not given. */
  bugSearch: boolean;
}

function nonNegativeInteger(flag: string, value: string): number | string {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    return `${flag} must be a non-negative integer, got ${value}`;
  return Number(value);
}

function parseBugs(value: string): BugName[] | string {
  const names = value.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !isBugName(name));
  if (unknown.length > 0)
    return `unknown bug ${unknown.join(',')} (known: ${bugNames.join(', ')}; --bug list describes them)`;
  return names as BugName[];
}

/** Applies one of the tuning options; undefined when `flag` is not one of them. */
function parseTuning(parsed: Parsed, flag: string, value: string): string | null | undefined {
  const run = parsed.run;
  const number = (): number | string => nonNegativeInteger(flag, value);
  let result: number | string;
  switch (flag) {
    case '--bug': {
      if (value === 'list') {
        parsed.listBugs = true;
        return null;
      }
      const bugs = parseBugs(value);
      if (typeof bugs === 'string') return bugs;
      run.bugs = [...(run.bugs ?? []), ...bugs];
      return null;
    }
    case '--max-msg-size':
    case '--max-size-per-msg':
      result = number();
      if (typeof result === 'number') run.maxSizePerMsg = result;
      break;
    case '--drift-max':
      result = number();
      if (typeof result === 'number') run.driftPpmMax = result;
      break;
    case '--nemesis-speedup':
      result = number();
      if (typeof result === 'number') run.nemesisSpeedup = result;
      break;
    case '--heartbeat-ticks':
      result = number();
      if (typeof result === 'number') run.heartbeatTicks = result;
      break;
    case '--election-ticks':
      result = number();
      if (typeof result === 'number') run.electionTicks = result;
      break;
    case '--client-timeout':
      result = number();
      if (result === 0) result = `${flag} must be a positive integer, got ${value}`;
      if (typeof result === 'number') run.workload = { ...run.workload, timeoutMs: result };
      break;
    default:
      return undefined;
  }
  return typeof result === 'string' ? result : null;
}

/** "60s", "500ms", "2m" or a bare number of milliseconds. */
export function parseDurationMs(text: string): number | undefined {
  const match = /^(\d+)(ms|s|m)?$/.exec(text);
  if (match === null) return undefined;
  const scale = match[2] === 's' ? 1_000 : match[2] === 'm' ? 60_000 : 1;
  const value = Number(match[1]) * scale;
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

function parseNemesis(text: string): { kinds: FaultKind[]; disk: DiskFaultKind[] } | string {
  if (text === 'all') return { kinds: [...faultKinds], disk: [...diskFaultKinds] };
  if (text === 'none') return { kinds: [], disk: [] };
  const kinds = text.split(',').map((kind) => kind.trim());
  const unknown = kinds.filter((kind) => !faultKinds.includes(kind as FaultKind) && !isDiskFaultKind(kind));
  if (unknown.length > 0)
    return `unknown fault ${unknown.join(',')} in --nemesis (known: ${faultKinds.join(',')}, with --durable ${diskFaultKinds.join(',')}; all, none)`;
  return {
    kinds: kinds.filter((kind) => faultKinds.includes(kind as FaultKind)) as FaultKind[],
    disk: kinds.filter(isDiskFaultKind),
  };
}

export function parseRunArgs(args: string[]): Parsed | string {
  const parsed: Parsed = {
    run: { seed: Number.NaN },
    json: false,
    tracePath: undefined,
    scenarioPath: undefined,
    reproduce: [],
    listBugs: false,
    durable: false,
    workers: false,
    engine: undefined,
    diskFaults: undefined,
    bugSearch: false,
  };
  let namedDiskFaults = false;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] =
      args[i].startsWith('--') && args[i].includes('=')
        ? args[i].split(/=(.*)/s)
        : [args[i], undefined];
    if (flag === '--json') {
      parsed.json = true;
      continue;
    }
    if (flag === '--bug-search') {
      parsed.bugSearch = true;
      parsed.reproduce.push(flag);
      continue;
    }
    if (flag === '--durable' || flag === '--workers') {
      parsed[flag === '--durable' ? 'durable' : 'workers'] = true;
      parsed.reproduce.push(flag);
      continue;
    }
    if (!flag.startsWith('-')) return `unexpected argument ${flag}`;
    const value = inline ?? args[++i];
    if (value === undefined) return `${flag} needs a value`;
    switch (flag) {
      case '--seed':
        if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
          return `--seed must be an integer, got ${value}`;
        parsed.run.seed = Number(value);
        break;
      case '--nodes':
        if (!/^\d+$/.test(value) || Number(value) < 3 || Number(value) > 9)
          return `--nodes must be 3..9, got ${value}`;
        parsed.run.nodeCount = Number(value);
        break;
      case '--time': {
        const timeMs = parseDurationMs(value);
        if (timeMs === undefined)
          return `--time must be a duration like 60s or 500ms, got ${value}`;
        parsed.run.timeMs = timeMs;
        break;
      }
      case '--nemesis': {
        const kinds = parseNemesis(value);
        if (typeof kinds === 'string') return kinds;
        parsed.run.nemesis = kinds.kinds;
        parsed.diskFaults = kinds.disk;
        namedDiskFaults = value !== 'all' && kinds.disk.length > 0;
        break;
      }
      case '--reads':
        if (!readModes.includes(value as ReadMode))
          return `--reads must be index, lease or log, got ${value}`;
        parsed.run.reads = value as ReadMode;
        break;
      case '--engine':
        if (!isDurableEngine(value)) return `--engine must be ${durableEngines.join(' or ')}, got ${value}`;
        parsed.engine = value;
        break;
      case '--trace':
        parsed.tracePath = value;
        continue;
      case '--scenario':
        parsed.scenarioPath = value;
        break;
      default: {
        const error = parseTuning(parsed, flag, value);
        if (error === undefined) return `unknown option ${flag}`;
        if (error !== null) return error;
      }
    }
    parsed.reproduce.push(flag, value);
  }
  if (Number.isNaN(parsed.run.seed) && !parsed.listBugs && parsed.scenarioPath === undefined)
    return '--seed is required';
  // Only node hosts have an engine to choose (the in-memory nodes run the etcd/raft core itself).
  if (parsed.engine !== undefined) parsed.durable = true;
  if (parsed.workers && !parsed.durable) return '--workers needs --durable or --engine';
  if (!parsed.durable && namedDiskFaults)
    return `disk faults (${parsed.diskFaults!.join(',')}) need --durable`;
  if (!parsed.durable) parsed.diskFaults = undefined;
  if (parsed.bugSearch) return withBugSearchOptions(parsed);
  return parsed;
}

/** `--bug-search`: the one bug's search options (bug-search.ts) under the options given. */
function withBugSearchOptions(parsed: Parsed): Parsed | string {
  const bugs = parsed.run.bugs ?? [];
  if (bugs.length !== 1) return '--bug-search needs exactly one --bug NAME';
  let search: Partial<RunOptions> = bugSearchOptions[bugs[0]];
  if (parsed.durable) {
    const engine = parsed.engine ?? 'etcd';
    const durable = durableBugSearches[engine][bugs[0]];
    if (durable === undefined) return `the ${engine} host has no bug ${bugs[0]}`;
    const { diskFaults, ...options } = durable.options;
    search = options;
    parsed.diskFaults ??= [...diskFaults];
  }
  const given = Object.fromEntries(
    Object.entries(parsed.run).filter(([, value]) => value !== undefined),
  ) as RunOptions;
  const workload = { ...search.workload, ...parsed.run.workload };
  parsed.run = { ...search, ...given, workload };
  return parsed;
}

async function applyScenario(parsed: Parsed): Promise<string | null> {
  if (parsed.scenarioPath === undefined) return null;
  let text: string;
  try {
    text = await readFile(parsed.scenarioPath, 'utf8');
  } catch (error) {
    return `cannot read scenario ${parsed.scenarioPath}: ${(error as Error).message}`;
  }
  const result = parseScenario(text);
  if (!result.ok) return `${parsed.scenarioPath}: ${result.error}`;
  const { scenario } = result;
  if (parsed.run.nodeCount !== undefined && parsed.run.nodeCount !== scenario.nodeCount) {
    return `--nodes ${parsed.run.nodeCount} disagrees with the scenario's nodes ${scenario.nodeCount}`;
  }
  parsed.run.nodeCount = scenario.nodeCount;
  parsed.run.plan = scenario.plan;
  parsed.run.timeMs ??= scenario.timeMs;
  parsed.run.reads ??= scenario.reads;
  if (Number.isNaN(parsed.run.seed)) {
    if (scenario.seed === undefined) return `${parsed.scenarioPath} has no seed: give --seed`;
    parsed.run.seed = scenario.seed;
  }
  parsed.run.bugs ??= scenario.bugs;
  parsed.run.maxSizePerMsg ??= scenario.maxSizePerMsg;
  parsed.run.heartbeatTicks ??= scenario.heartbeatTicks;
  parsed.run.electionTicks ??= scenario.electionTicks;
  if (scenario.workload !== undefined)
    parsed.run.workload = { ...scenario.workload, ...parsed.run.workload };
  return null;
}

export async function runRunCommand(args: string[], io: CommandOutput): Promise<number> {
  const parsed = parseRunArgs(args);
  if (typeof parsed === 'string') {
    io.err(`raftlab run: ${parsed}\n${usage}`);
    return 2;
  }
  if (parsed.listBugs) {
    io.out(describeBugList() + '\n' + describeBugSearches());
    return 0;
  }
  const scenarioError = await applyScenario(parsed);
  if (scenarioError !== null) {
    io.err(`raftlab run: ${scenarioError}\n`);
    return 2;
  }
  let report: RunReport;
  try {
    report = parsed.durable ? await runDurable(parsed) : runSimulation(parsed.run);
  } catch (error) {
    io.err(
      `raftlab run: ${(error as Error).message}\nreproduce with: npx raftlab run ${parsed.reproduce.join(' ')}\n`,
    );
    return 2;
  }
  // The report comes first, so a trace that cannot be written does not lose it.
  if (parsed.json) io.out(JSON.stringify(jsonOf(report), null, 2) + '\n');
  else io.out(describeRunReport(report, parsed.reproduce));
  if (parsed.tracePath !== undefined) {
    const written = await writeOutput(
      parsed.tracePath,
      JSON.stringify(await traceOf(parsed, report), null, 2) + '\n',
    );
    if (written !== null) {
      io.err(`raftlab run: ${written}\n`);
      return 2;
    }
  }
  return report.failed ? 1 : 0;
}

/** A durable run, in-process or with one worker_thread per node (disks in a temp folder). */
async function runDurable(parsed: Parsed): Promise<DurableRunReport> {
  const options = { ...parsed.run, diskFaults: parsed.diskFaults, ...(parsed.engine === undefined ? {} : { engine: parsed.engine }) };
  if (!parsed.workers) return runDurableSimulation(options);
  const root = await mkdtemp(join(tmpdir(), 'raftlab-durable-'));
  try {
    const drivers = workerThreadDrivers(root, undefined, parsed.engine ?? 'etcd');
    return await runDurableSimulation({ ...options, drivers, driverName: 'worker_threads' });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The sweep that finds each bug (bug-search.ts), as commands. */
export function describeBugSearches(): string {
  const lines = [
    'Sweeps that find each bug (bugs.test.ts runs them). --bug NAME --bug-search stands for the same',
    'options: npx raftlab shrink --seed N --bug NAME --bug-search shrinks a failing seed of the sweep.',
  ];
  for (const name of bugNames) {
    lines.push(
      `  npx raftlab sweep --seeds 1..1000 --bug ${name} ${searchArgs(bugSearchOptions[name]).join(' ')}`,
    );
  }
  lines.push('On durable node hosts (durable-bugs.test.ts runs the last few seeds of each):');
  for (const engine of durableEngines) lines.push(`  the ${engine} host takes: ${durableBugs[engine].join(', ')}`);
  for (const engine of durableEngines) {
    for (const [name, search] of Object.entries(durableBugSearches[engine])) {
      const { diskFaults, ...options } = search.options;
      const args = searchArgs({ ...options, nemesis: [...(options.nemesis ?? []), ...diskFaults] as FaultKind[] }).join(' ');
      lines.push(`  npx raftlab sweep --engine ${engine} --seeds 1..${search.firstFailingSeed} --bug ${name} ${args}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Run options as command-line arguments (the ones the CLI can express). */
export function searchArgs(options: Partial<RunOptions>): string[] {
  const args: string[] = [];
  if (options.nodeCount !== undefined) args.push('--nodes', String(options.nodeCount));
  if (options.timeMs !== undefined) args.push('--time', `${options.timeMs}ms`);
  if (options.nemesis !== undefined)
    args.push('--nemesis', options.nemesis.length === 0 ? 'none' : options.nemesis.join(','));
  if (options.reads !== undefined) args.push('--reads', options.reads);
  if (options.bugs !== undefined && options.bugs.length > 0)
    args.push('--bug', options.bugs.join(','));
  if (options.maxSizePerMsg !== undefined)
    args.push('--max-msg-size', String(options.maxSizePerMsg));
  if (options.driftPpmMax !== undefined) args.push('--drift-max', String(options.driftPpmMax));
  if (options.nemesisSpeedup !== undefined)
    args.push('--nemesis-speedup', String(options.nemesisSpeedup));
  if (options.heartbeatTicks !== undefined)
    args.push('--heartbeat-ticks', String(options.heartbeatTicks));
  if (options.electionTicks !== undefined)
    args.push('--election-ticks', String(options.electionTicks));
  if (options.workload?.timeoutMs !== undefined)
    args.push('--client-timeout', String(options.workload.timeoutMs));
  return args;
}

export async function buildVersion(): Promise<string> {
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

async function traceOf(parsed: Parsed, report: RunReport): Promise<object> {
  return {
    format: traceFormat,
    version: traceVersion,
    buildVersion: await buildVersion(),
    seed: report.options.seed,
    options: parsed.durable
      ? { ...parsed.run, durable: true, diskFaults: parsed.diskFaults, ...(parsed.engine === undefined ? {} : { engine: parsed.engine }) }
      : parsed.run,
    resolved: report.options,
    transcriptHash: report.simulation.transcriptHash,
    result: jsonOf(report),
  };
}

function jsonOf(report: RunReport): object {
  const { simulation, history, ...rest } = report;
  return {
    ...rest,
    simulation: { ...simulation, transcriptLines: undefined },
    historyEventCount: history.length,
  };
}

export function describeRunReport(report: RunReport, reproduce: string[]): string {
  const { options, simulation } = report;
  const plan = options.plan;
  const lines: string[] = [];
  lines.push(`seed ${options.seed}`);
  lines.push(
    `nodes ${options.nodeCount}, tick ${options.tickMs} ms, safety phase ${options.timeMs} ms, liveness bound ${options.livenessBoundMs} ms`,
  );
  if ('durable' in report) lines.push(...describeDurableReads(report as DurableRunReport));
  else
    lines.push(
      `reads ${options.reads} (${options.readsSource === 'seed' ? 'picked by seed' : 'given'})`,
    );
  if (options.bugs !== undefined && options.bugs.length > 0)
    lines.push(`bugs ON: ${options.bugs.join(', ')}`);
  if (options.maxSizePerMsg !== undefined)
    lines.push(`engine maxSizePerMsg ${options.maxSizePerMsg} bytes`);
  if (options.heartbeatTicks !== undefined)
    lines.push(`engine heartbeatTick ${options.heartbeatTicks}, electionTick ${options.electionTicks}`);
  const source = { seed: 'picked by seed', list: 'given', scenario: 'from scenario' }[plan.source];
  lines.push(`nemesis ${plan.faults.length === 0 ? 'none' : plan.faults.join(',')} (${source})`);
  for (const [name, value] of plan.parameters) lines.push(`  ${name}: ${value}`);
  if (plan.source === 'scenario')
    lines.push(
      `  links: latency ${plan.links.latencyMsMin}..${plan.links.latencyMsMax} ms jitter ${plan.links.jitterMs} ms, loss ${describeRatio(plan.links.lossRatio)}, duplicate ${describeRatio(plan.links.duplicateRatio)}, reorder ${describeRatio(plan.links.reorderRatio)}`,
    );
  if ('durable' in report) lines.push(...describeDurable(report as DurableRunReport));
  lines.push(
    `  steps: ${plan.steps.length}${
      plan.steps.length > 0
        ? `, first: ${plan.steps
            .slice(0, 3)
            .map((step) => `${step.atMs}ms ${describeAction(step.action)}`)
            .join('; ')}`
        : ''
    }`,
  );
  const w = options.workload;
  lines.push(
    `workload ${w.clientCount} clients, ${w.keyCount} keys, ${w.opsPerSecond} ops/s, timeout ${w.timeoutMs} ms`,
  );
  lines.push(
    `operations ok ${report.counts.ok}, failed ${report.counts.fail}, unknown ${report.counts.info}`,
  );
  lines.push(`leader changes ${simulation.leaderChanges}`);
  const violation = simulation.violation;
  if (violation === null) lines.push('invariants ok');
  else {
    lines.push(
      `invariants VIOLATED ${violation.invariant} at ${violation.atMs} ms (event ${violation.eventCount}): ${violation.explanation}`,
    );
    lines.push(`  event: ${violation.event.slice(0, 300)}`);
    for (const node of violation.nodes) {
      lines.push(
        `  node ${node.id}: ${node.up ? node.role : 'down'} term ${node.term} lead ${node.lead} commit ${node.commit} applied ${node.applied} last ${node.lastIndex}`,
      );
    }
  }
  const liveness = simulation.liveness;
  if (liveness === null) lines.push('liveness not reached (stopped by the violation)');
  else if (liveness.converged)
    lines.push(
      `liveness converged ${liveness.afterMs} ms after heal-all (leader ${liveness.leader}, term ${liveness.term})`,
    );
  else lines.push(`liveness NOT converged within ${liveness.boundMs} ms: ${liveness.reason}`);
  lines.push(
    `linearizability ${report.linearizability?.text ?? 'not checked (run stopped by a violation)'}`,
  );
  if (report.linearizability?.verdict === 'not-linearizable') {
    lines.push(
      `  history: ${report.history.length} events; first: ${report.history.slice(0, 2).map(describeHistoryEvent).join('; ')}`,
    );
  }
  lines.push(
    `transcript ${simulation.transcriptLineCount} lines, ${simulation.eventCount} events, ${simulation.endMs} ms simulated, sha256 ${simulation.transcriptHash}`,
  );
  lines.push(
    `${report.failed ? 'FAILED' : 'ok'}; reproduce with: npx raftlab run ${reproduce.join(' ')}`,
  );
  return lines.join('\n') + '\n';
}

function describeDurable(report: DurableRunReport): string[] {
  const { engine, driver, disk, unbootable } = report.durable;
  const source = disk.source === 'seed' ? 'picked by seed' : 'given';
  const lines = [`durable nodes (${engine} host on a disk per node, ${driver})`];
  lines.push(`disk faults ${disk.faults.length === 0 ? 'none' : disk.faults.join(',')} (${source})`);
  for (const [name, value] of disk.parameters) lines.push(`  ${name}: ${value}`);
  if (disk.steps.length > 0) lines.push(`  disk-full steps: ${disk.steps.length}`);
  for (const { node, reason } of unbootable) lines.push(`  node ${node} would not boot in the liveness phase: ${reason}`);
  return lines;
}

/**
 * The read mode a durable run used and how its reads are served, in one account. The durable run
 * turns a seed's pick of lease into index (seedPickedLease), and the hashicorp host, which has no
 * ReadIndex, serves every read that reaches it through the log.
 */
export function describeDurableReads(report: DurableRunReport): string[] {
  const { reads, readsSource } = report.options;
  const { engine, seedPickedLease } = report.durable;
  const source = seedPickedLease
    ? 'the seed picked lease; durable nodes read by lease only with --reads lease'
    : readsSource === 'seed'
      ? 'picked by seed'
      : 'given';
  const hostReads =
    engine === 'hashicorp'
      ? 'the hashicorp host has no ReadIndex, so it serves them through the log'
      : 'the etcd host serves them by ReadIndex';
  const how: Record<ReadMode, string> = {
    index: `reads go to the leader's host: ${hostReads}`,
    log: 'every read is a log entry, applied in order',
    lease:
      'a leader answers from its applied state within a clock-bounded lease; other reads go to the ' +
      `leader's host (${hostReads}) and renew the lease when they complete`,
  };
  return [`reads ${reads} (${source})`, `  reads: ${how[reads]}`];
}
