// `raftlab shrink --seed N [run options...] [--out FILE]`: reduces a failing run while it fails
// the same way and writes the smallest failing scenario (default shrunk-<seed>.json), which
// `raftlab run --scenario FILE` replays on its own. `--bug NAME --bug-search` takes the options
// of the sweep that finds that bug (bug-search.ts), so a sweep's failing seed shrinks as found.
// Exit 0 when a scenario was written, 1 when the run does not fail, 2 on a usage error.
import { describeFailure } from '../sim/bug-search';
import { describeAction } from '../sim/nemesis/plan';
import { parseScenario } from '../sim/nemesis/scenario';
import { shrink, type ShrinkResult } from '../sim/shrink';
import type { CommandOutput } from './main';
import { writeOutput } from './output-file';
import { parseRunArgs } from './run-command';

export const usage =
  'usage: raftlab shrink --seed N [run options...] [--bug NAME --bug-search] [--out FILE] [--runs-max N]\n' +
  '                      [--seeds-per-candidate N] [--progress]\n';

interface ShrinkArgs {
  out: string | undefined;
  runsMax: number | undefined;
  seedsPerCandidate: number | undefined;
  progress: boolean;
  rest: string[];
}

function parseShrinkArgs(args: string[]): ShrinkArgs | string {
  const parsed: ShrinkArgs = {
    out: undefined,
    runsMax: undefined,
    seedsPerCandidate: undefined,
    progress: false,
    rest: [],
  };
  const positive = (flag: string, value: string | undefined): number | string =>
    value !== undefined &&
    /^\d+$/.test(value) &&
    Number(value) >= 1 &&
    Number.isSafeInteger(Number(value))
      ? Number(value)
      : `${flag} must be a positive integer, got ${value ?? 'nothing'}`;
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    if (flag === '--out') {
      parsed.out = args[++i];
      if (parsed.out === undefined || parsed.out === '') return '--out needs a file name';
    } else if (flag === '--progress') parsed.progress = true;
    else if (flag === '--runs-max' || flag === '--seeds-per-candidate') {
      const value = positive(flag, args[++i]);
      if (typeof value === 'string') return value;
      if (flag === '--runs-max') parsed.runsMax = value;
      else parsed.seedsPerCandidate = value;
    } else if (['--durable', '--workers', '--engine'].includes(flag)) {
      return (
        `${flag}: shrink reduces in-memory runs only (the shrinker re-runs the simulation ` +
        'synchronously, thousands of times, and durable node hosts run on disks asynchronously); ' +
        'shrink the in-memory run with the same --seed and --bug, or replay the durable one with raftlab run'
      );
    } else if (['--trace', '--json', '--scenario'].includes(flag)) {
      return `${flag} is a run option shrink does not take`;
    } else parsed.rest.push(flag);
  }
  return parsed;
}

export async function runShrinkCommand(args: string[], io: CommandOutput): Promise<number> {
  const shrinkArgs = parseShrinkArgs(args);
  const parsed = typeof shrinkArgs === 'string' ? shrinkArgs : parseRunArgs(shrinkArgs.rest);
  if (typeof shrinkArgs === 'string' || typeof parsed === 'string') {
    io.err(`raftlab shrink: ${typeof shrinkArgs === 'string' ? shrinkArgs : (parsed as string)}\n${usage}`);
    return 2;
  }
  let result: ShrinkResult;
  try {
    result = shrink(parsed.run, {
      runsMax: shrinkArgs.runsMax,
      seedsPerCandidate: shrinkArgs.seedsPerCandidate,
      onProgress: shrinkArgs.progress ? (line) => io.err(`${line}\n`) : undefined,
    });
  } catch (error) {
    io.err(`raftlab shrink: ${(error as Error).message}\n`);
    return 1;
  }
  const path = shrinkArgs.out ?? `shrunk-${parsed.run.seed}.json`;
  const written = await writeOutput(path, JSON.stringify(result.scenario, null, 2) + '\n');
  if (written !== null) {
    // The shrunk scenario is not lost: it goes to stdout instead.
    io.out(JSON.stringify(result.scenario, null, 2) + '\n');
    io.err(`raftlab shrink: ${written} (the scenario is printed above)\n`);
    return 2;
  }
  io.out(describeShrink(parsed.run.seed, result, path));
  return 0;
}

function describeShrink(seed: number, result: ShrinkResult, path: string): string {
  const s = result.scenario;
  const parsed = parseScenario(JSON.stringify(s));
  const steps = parsed.ok ? parsed.scenario.plan.steps : [];
  return (
    `shrunk seed ${seed} (${result.kind}) in ${result.runs} runs: ` +
    `${result.originalSteps} -> ${s.steps.length} nemesis steps, ${s.nodes} nodes, ${s.timeMs} ms, ` +
    `seed ${s.seed}, ${s.workload.clientCount} clients at ${s.workload.opsPerSecond} ops/s\n` +
    steps.map((step) => `  ${step.atMs} ms: ${describeAction(step.action)}\n`).join('') +
    `  still fails: ${describeFailure(result.report)}\n` +
    `wrote ${path}; replay with: npx raftlab run --scenario ${path}\n`
  );
}
