// `raftlab sweep --seeds A..B [--jobs N] [--shard i/n] [run options...]`: many seeds in parallel
// on worker_threads. A progress bar on a terminal, plain lines otherwise; it ends with each
// failing seed and the command that replays it. Exit 0 when every seed passed, 1 when any
// failed, 2 on a usage error.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { durableBugsRefusal, prepareDurableRun } from '../sim/durable/durable-run';
import { createSimulation } from '../sim/run';
import type { CommandOutput } from './main';
import { parseRunArgs } from './run-command';
import type { SweepRequest, SweepResult } from './sweep-worker';

export const usage =
  'usage: raftlab sweep --seeds A..B [--jobs N] [--shard i/n] [run options: --nodes --time --nemesis --reads --bug ...]\n' +
  '                     [--durable [--engine etcd|hashicorp]]\n' +
  '  --durable (or --engine, which implies it): every seed runs node hosts on disks, as raftlab run --durable,\n' +
  '  in-process within its sweep worker; --nemesis may then name disk faults.\n';

/** Seeds one sweep may run: a named limit. */
export const sweepSeedsMax = 10_000_000;
export const sweepJobsMax = 256;

export interface SweepPlan {
  seeds: number[];
  jobs: number;
  options: SweepRequest['options'];
  /** Durable nodes (`--durable` or `--engine`). */
  durable: boolean;
  /** The run options as arguments, for the replay commands. */
  runArgs: string[];
}

export function parseSweepArgs(args: string[]): SweepPlan | string {
  let range: [number, number] | undefined;
  let jobs = Math.max(1, availableParallelism());
  let shard: [number, number] = [1, 1];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].includes('=') ? args[i].split(/=(.*)/s) : [args[i], undefined];
    const take = (): string | undefined => inline ?? args[++i];
    if (flag === '--seeds') {
      const match = /^(-?\d+)\.\.(-?\d+)$/.exec(take() ?? '');
      if (match === null) return '--seeds must look like A..B';
      range = [Number(match[1]), Number(match[2])];
    } else if (flag === '--jobs') {
      const value = Number(take());
      if (!(Number.isSafeInteger(value) && value >= 1 && value <= sweepJobsMax))
        return `--jobs must be 1..${sweepJobsMax}`;
      jobs = value;
    } else if (flag === '--shard') {
      const match = /^(\d+)\/(\d+)$/.exec(take() ?? '');
      if (match === null) return '--shard must look like i/n';
      shard = [Number(match[1]), Number(match[2])];
      if (!(shard[1] >= 1 && shard[0] >= 1 && shard[0] <= shard[1]))
        return `--shard ${shard[0]}/${shard[1]}: i must be in 1..n`;
    } else if (
      flag === '--seed' ||
      flag === '--trace' ||
      flag === '--json' ||
      flag === '--scenario'
    ) {
      return `${flag} is a run option sweep does not take`;
    } else {
      rest.push(args[i]);
    }
  }
  if (range === undefined) return '--seeds is required';
  const [first, last] = range;
  if (!(Number.isSafeInteger(first) && Number.isSafeInteger(last) && first <= last))
    return `--seeds ${first}..${last}: A must be <= B`;
  if (last - first + 1 > sweepSeedsMax) return `--seeds covers more than ${sweepSeedsMax} seeds`;
  const parsed = parseRunArgs([...rest, '--seed', '0']);
  if (typeof parsed === 'string') return parsed;
  // Each seed already has a worker thread; its nodes run in-process there.
  if (parsed.workers)
    return '--workers is a run option sweep does not take (each seed runs its nodes in its sweep worker)';
  const { seed: _seed, ...run } = parsed.run;
  // What every seed would refuse, the sweep refuses once (prepareDurableRun says the same).
  if (parsed.durable) {
    const refused = durableBugsRefusal(parsed.engine ?? 'etcd', parsed.run.bugs ?? []);
    if (refused !== null) return refused;
    if ((parsed.run.bugs ?? []).includes('lease-no-clock-bound') && parsed.run.reads !== 'lease') {
      return 'lease-no-clock-bound needs --reads lease';
    }
  }
  const options: SweepRequest['options'] = parsed.durable
    ? {
        ...run,
        diskFaults: parsed.diskFaults,
        ...(parsed.engine === undefined ? {} : { engine: parsed.engine }),
      }
    : run;
  // Options every seed would refuse (ticks out of range, a bad workload) fail the sweep once,
  // as a usage error, rather than every seed as a violation.
  const refused = refusedOptions(first, options, parsed.durable);
  if (refused !== null) return refused;
  const seeds: number[] = [];
  // Shard i of n takes every n-th seed, starting with the i-th.
  for (let seed = first + shard[0] - 1; seed <= last; seed += shard[1]) seeds.push(seed);
  return {
    seeds,
    jobs: Math.min(jobs, Math.max(1, seeds.length)),
    options,
    durable: parsed.durable,
    runArgs: rest,
  };
}

/** Why the first seed's run would refuse these options (building it checks them all); null if not. */
function refusedOptions(seed: number, options: SweepRequest['options'], durable: boolean): string | null {
  try {
    if (durable) prepareDurableRun({ ...options, seed });
    else createSimulation({ ...options, seed });
    return null;
  } catch (error) {
    return `the run options are refused: ${(error as Error).message}`;
  }
}

/** Runs every seed on `jobs` worker threads; `onResult` sees each result as it comes. */
export async function runSweep(
  plan: SweepPlan,
  onResult: (result: SweepResult) => void = () => {},
): Promise<SweepResult[]> {
  const results: SweepResult[] = [];
  let next = 0;
  const workers = Array.from({ length: plan.jobs }, () => startWorker());
  try {
    await Promise.all(
      workers.map(async (worker) => {
        while (next < plan.seeds.length) {
          const seed = plan.seeds[next++];
          const result = await ask(worker, { seed, options: plan.options, durable: plan.durable });
          results.push(result);
          onResult(result);
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results.sort((a, b) => a.seed - b.seed);
}

function startWorker(): Worker {
  const compiled = import.meta.url.endsWith('.js');
  const url = new URL(`./sweep-worker${compiled ? '.js' : '.ts'}`, import.meta.url);
  if (compiled) return new Worker(url);
  // TypeScript sources run through tsx, which a worker thread must register for itself before
  // it imports the worker module (a worker's `--import` flag is not honoured on every Node).
  const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
  const tsxApi = pathToFileURL(join(dirname(tsxPackage), 'dist/esm/api/index.mjs')).href;
  const bootstrap =
    `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); ` +
    `return import(${JSON.stringify(url.href)}); }).catch((error) => { throw error; });\n`;
  return new Worker(bootstrap, { eval: true });
}

function ask(worker: Worker, request: SweepRequest): Promise<SweepResult> {
  return new Promise((resolve, reject) => {
    const onMessage = (result: SweepResult): void => {
      worker.off('error', onError);
      resolve(result);
    };
    const onError = (error: Error): void => {
      worker.off('message', onMessage);
      reject(error);
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
    worker.postMessage(request);
  });
}

/** How the histories' checks ended; "unknown" (the search's budget ran out) is not a pass. */
function linearizabilitySummary(results: readonly SweepResult[]): string {
  const unknown = results.filter((result) => result.linearizability === 'unknown');
  const linearizable = results.filter((result) => result.linearizability === 'linearizable');
  const refuted = results.filter((result) => result.linearizability === 'not-linearizable');
  const unchecked = results.length - linearizable.length - unknown.length - refuted.length;
  const seeds = unknown.slice(0, 20).map((result) => result.seed);
  const more = unknown.length > seeds.length ? ` and ${unknown.length - seeds.length} more` : '';
  const which = unknown.length > 0 ? ` (seeds ${seeds.join(' ')}${more})` : '';
  return `histories: ${linearizable.length} linearizable, ${unknown.length} unknown${which}, ${refuted.length} not linearizable, ${unchecked} not checked (a violation stopped the run)\n`;
}

function progressBar(done: number, total: number, failed: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} seeds, ${failed} failed`;
}

export async function runSweepCommand(args: string[], io: CommandOutput): Promise<number> {
  const plan = parseSweepArgs(args);
  if (typeof plan === 'string') {
    io.err(`raftlab sweep: ${plan}\n${usage}`);
    return 2;
  }
  const tty = process.stderr.isTTY === true;
  const total = plan.seeds.length;
  let done = 0;
  let failed = 0;
  const step = Math.max(1, Math.floor(total / 10));
  const engine = plan.durable ? ` (durable nodes, ${plan.options.engine ?? 'etcd'} host)` : '';
  io.out(`sweep ${total} seeds on ${plan.jobs} worker threads${engine}\n`);
  const results = await runSweep(plan, (result) => {
    done++;
    if (result.failed) failed++;
    if (tty) io.err(progressBar(done, total, failed) + (done === total ? '\n' : ''));
    else if (result.failed) io.out(`seed ${result.seed} FAILED: ${result.failure}\n`);
    else if (done % step === 0 || done === total)
      io.out(`${done}/${total} seeds, ${failed} failed\n`);
  });
  const failures = results.filter((result) => result.failed);
  io.out(`${total} seeds, ${total - failures.length} passed, ${failures.length} failed\n`);
  io.out(linearizabilitySummary(results));
  for (const result of failures) {
    io.out(`seed ${result.seed}: ${result.failure}\n`);
    io.out(
      `  npx raftlab run --seed ${result.seed}${plan.runArgs.length > 0 ? ' ' + plan.runArgs.join(' ') : ''}\n`,
    );
  }
  return failures.length > 0 ? 1 : 0;
}
