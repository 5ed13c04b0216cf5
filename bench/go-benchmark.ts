// A small harness that sizes runs the way Go's testing package does and prints Go's result line,
// so `benchstat` and people used to `go test -bench` can read the numbers.
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';

export interface BenchmarkRun {
  /** Extra per-op metrics, printed as "<value> <unit>" like Go's b.ReportMetric. */
  metrics: Record<string, number>;
}

/** Runs the body for n iterations (setup included but not timed is up to the body). */
export type BenchmarkBody = (n: number, timer: BenchmarkTimer) => BenchmarkRun;

export interface BenchmarkTimer {
  start(): void;
  stop(): void;
}

export interface BenchmarkResult {
  name: string;
  iterations: number;
  nsPerOp: number;
  metrics: Record<string, number>;
}

const iterationsMax = 1e9;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

export { collectGarbage };

function runOnce(
  body: BenchmarkBody,
  n: number,
): { elapsedNs: number; metrics: Record<string, number> } {
  collectGarbage();
  let startedMs = 0;
  let elapsedMs = 0;
  const timer: BenchmarkTimer = {
    start: () => {
      startedMs = performance.now();
    },
    stop: () => {
      elapsedMs += performance.now() - startedMs;
    },
  };
  const { metrics } = body(n, timer);
  return { elapsedNs: elapsedMs * 1e6, metrics };
}

/** Grows n until a run lasts goalMs, as Go's b.launch does (at most 100x per step, +20%). */
export function runBenchmark(name: string, body: BenchmarkBody, goalMs = 1_000): BenchmarkResult {
  const goalNs = goalMs * 1e6;
  let n = 1;
  let run = runOnce(body, n);
  while (run.elapsedNs < goalNs && n < iterationsMax) {
    const last = n;
    let next = Math.floor((goalNs * last) / Math.max(run.elapsedNs, 1));
    next += Math.floor(next / 5);
    next = Math.min(next, 100 * last);
    next = Math.max(next, last + 1);
    n = Math.min(next, iterationsMax);
    run = runOnce(body, n);
  }
  return { name, iterations: n, nsPerOp: run.elapsedNs / n, metrics: run.metrics };
}

/** Go's number formatting for benchmark values (testing.prettyPrint). */
function pretty(value: number): string {
  if (value === 0 || Math.abs(value) >= 99.95) return value.toFixed(0);
  if (Math.abs(value) >= 9.995) return value.toFixed(1);
  if (Math.abs(value) >= 0.9995) return value.toFixed(2);
  if (Math.abs(value) >= 0.09995) return value.toFixed(3);
  return value.toFixed(4);
}

export function formatResult(result: BenchmarkResult): string {
  const columns = [`${pretty(result.nsPerOp).padStart(12)} ns/op`];
  for (const [unit, value] of Object.entries(result.metrics))
    columns.push(`${pretty(value).padStart(12)} ${unit}`);
  return `${result.name.padEnd(32)}\t${String(result.iterations).padStart(8)}\t${columns.join('\t')}`;
}
