// `raftlab shrink --seed N [run options...] [--out FILE]`: reduces a failing run while it fails
// the same way and writes the smallest failing scenario (default shrunk-<seed>.json), which
// `raftlab run --scenario FILE` replays on its own. Exit 0 when a scenario was written, 1 when
// the run does not fail, 2 on a usage error.
import { writeFile } from 'node:fs/promises';
import { describeFailure } from '../sim/bug-search';
import { shrink } from '../sim/shrink';
import type { CommandOutput } from './main';
import { parseRunArgs } from './run-command';

const usage = 'usage: raftlab shrink --seed N [run options...] [--out FILE] [--runs-max N]\n';

export async function runShrinkCommand(args: string[], io: CommandOutput): Promise<number> {
  let out: string | undefined;
  let runsMax: number | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') out = args[++i];
    else if (args[i] === '--runs-max') runsMax = Number(args[++i]);
    else if (['--trace', '--json', '--scenario'].includes(args[i])) {
      io.err(`raftlab shrink: ${args[i]} is a run option shrink does not take\n${usage}`);
      return 2;
    } else rest.push(args[i]);
  }
  if (runsMax !== undefined && !(Number.isSafeInteger(runsMax) && runsMax >= 1)) {
    io.err(`raftlab shrink: --runs-max must be a positive integer\n${usage}`);
    return 2;
  }
  const parsed = parseRunArgs(rest);
  if (typeof parsed === 'string') {
    io.err(`raftlab shrink: ${parsed}\n${usage}`);
    return 2;
  }
  let result;
  try {
    result = shrink(parsed.run, { runsMax });
  } catch (error) {
    io.err(`raftlab shrink: ${(error as Error).message}\n`);
    return 1;
  }
  const path = out ?? `shrunk-${parsed.run.seed}.json`;
  await writeFile(path, JSON.stringify(result.scenario, null, 2) + '\n');
  const s = result.scenario;
  io.out(
    `shrunk seed ${parsed.run.seed} (${result.kind}) in ${result.runs} runs: ` +
      `${result.originalSteps} -> ${s.steps.length} nemesis steps, ${s.nodes} nodes, ${s.timeMs} ms, ` +
      `${s.workload.clientCount} clients at ${s.workload.opsPerSecond} ops/s\n` +
      `  still fails: ${describeFailure(result.report)}\n` +
      `wrote ${path}; replay with: npx raftlab run --scenario ${path}\n`,
  );
  return 0;
}
