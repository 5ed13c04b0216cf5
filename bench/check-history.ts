// `npx tsx bench/check-history.ts`: the linearizability checker's time on each shared Jepsen
// history (../shared/jepsen-histories), parse excluded. Each file is checked `repeats` times
// after one warm-up run; the minimum and median wall times are printed with the verdict and the
// search steps. Speed is reported here (BENCHMARKS.md), never asserted by a test.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkHistory,
  kvModel,
  parseKvHistory,
  parseRegisterHistory,
  registerModel,
  type CheckResult,
} from '../src/checker/linearizability';

const repeats = 7;
const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const shared = join(repoRoot, '..', 'shared', 'jepsen-histories');

function measure<State, Input, Output>(
  check: () => CheckResult<State, Input, Output>,
): { minMs: number; medianMs: number; result: CheckResult<State, Input, Output> } {
  let result = check();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    result = check();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { minMs: times[0], medianMs: times[Math.floor(times.length / 2)], result };
}

function row(name: string, operations: number, measured: ReturnType<typeof measure>): string {
  const { minMs, medianMs, result } = measured;
  return [
    name.padEnd(22),
    String(operations).padStart(4),
    result.verdict.padEnd(17),
    `${minMs.toFixed(2)} ms`.padStart(11),
    `${medianMs.toFixed(2)} ms`.padStart(11),
    String(result.steps).padStart(9),
  ].join('  ');
}

function files(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .map((name) => join(folder, name));
}

function main(): number {
  if (!existsSync(shared)) {
    console.log(`skipped: ${shared} absent`);
    return 0;
  }
  console.log(
    `${'history'.padEnd(22)}   ops  ${'verdict'.padEnd(17)}          min       median      steps`,
  );
  for (const path of files(join(shared, 'etcd'))) {
    const parsed = parseRegisterHistory(readFileSync(path, 'utf8'));
    if (!parsed.ok) throw new Error(`${path}:${parsed.error.line}: ${parsed.error.message}`);
    const measured = measure(() => checkHistory(registerModel, parsed.value));
    console.log(row(path.slice(shared.length + 1), parsed.value.length, measured));
  }
  for (const path of files(join(shared, 'kv'))) {
    const parsed = parseKvHistory(readFileSync(path, 'utf8'));
    if (!parsed.ok) throw new Error(`${path}:${parsed.error.line}: ${parsed.error.message}`);
    const measured = measure(() => checkHistory(kvModel, parsed.value));
    console.log(row(path.slice(shared.length + 1), parsed.value.length, measured));
  }
  return 0;
}

process.exitCode = main();
