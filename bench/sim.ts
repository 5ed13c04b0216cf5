// `npx tsx bench/sim.ts`: simulator speed. Simulated seconds per wall-clock second for 5 nodes,
// 10 ms ticks, 100 client operations per simulated second, every fault on (and, for contrast,
// none), in-process; then the same with etcd's server timing (heartbeat 100 ms, election 1 s:
// 10 and 100 ticks) instead of the simulator's default heartbeat every tick. The linearizability
// check is timed apart. Each row runs its seeds `rounds` times (BENCH_ROUNDS, default 3) and
// prints the median round and the fastest, by wall time and by this process's CPU time (the
// machine is shared: CPU time is the steadier figure), and the load average before and after.
// BENCH_ROWS=etcd (or default) runs only the etcd-timing (or default-timing) rows; BENCH_SECONDS
// sets each seed's safety phase (default 30 s) for a longer measurement. Printed, never asserted.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { faultKinds, type FaultKind } from '../src/sim/nemesis/plan';
import { checkLinearizability, createSimulation, type RunOptions } from '../src/sim/run';

const seeds = [1, 2, 3, 4, 5];
/** Each seed's safety phase: BENCH_SECONDS (default 30) simulated seconds. */
const timeMs = Number(process.env.BENCH_SECONDS ?? 30) * 1000;
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

interface Round {
  simulatedMs: number;
  wallMs: number;
  cpuMs: number;
  events: number;
  ok: number;
}

function round(nemesis: FaultKind[], engine: Partial<RunOptions>): Round {
  const total: Round = { simulatedMs: 0, wallMs: 0, cpuMs: 0, events: 0, ok: 0 };
  for (const seed of seeds) {
    const simulation = createSimulation({
      seed,
      nodeCount: 5,
      tickMs: 10,
      timeMs,
      nemesis,
      workload: { opsPerSecond: 100 },
      ...engine,
    });
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const result = simulation.run();
    total.wallMs += performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    total.cpuMs += (cpu.user + cpu.system) / 1000;
    total.simulatedMs += result.endMs;
    total.events += result.eventCount;
    total.ok += result.workload.counts.ok;
    if (result.violation !== null) throw new Error(`seed ${seed}: ${result.violation.explanation}`);
  }
  return total;
}

function checkTime(nemesis: FaultKind[], engine: Partial<RunOptions>): string {
  let checkMs = 0;
  let operations = 0;
  let unknown = 0;
  for (const seed of seeds) {
    const simulation = createSimulation({
      seed,
      nodeCount: 5,
      tickMs: 10,
      timeMs,
      nemesis,
      workload: { opsPerSecond: 100 },
      ...engine,
    });
    const history = simulation.run().workload.history;
    const start = performance.now();
    const verdict = checkLinearizability(history);
    checkMs += performance.now() - start;
    operations += verdict.operationCount;
    if (verdict.verdict === 'not-linearizable') throw new Error(`seed ${seed}: ${verdict.text}`);
    if (verdict.verdict === 'unknown') unknown++;
  }
  const note = unknown > 0 ? ` (${unknown} of ${seeds.length} unknown: search step limit)` : '';
  return `${operations} operations checked in ${(checkMs / 1000).toFixed(2)} s${note}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function measure(label: string, nemesis: FaultKind[], engine: Partial<RunOptions> = {}): void {
  const results: Round[] = [];
  for (let i = 0; i < rounds; i++) results.push(round(nemesis, engine));
  const { simulatedMs, events, ok } = results[0];
  const wallMs = median(results.map((result) => result.wallMs));
  const cpuMs = median(results.map((result) => result.cpuMs));
  const bestWallMs = Math.min(...results.map((result) => result.wallMs));
  const bestCpuMs = Math.min(...results.map((result) => result.cpuMs));
  const times = (ms: number): string => `${(simulatedMs / ms).toFixed(0)}x`;
  console.log(
    `${label.padEnd(24)} ${(simulatedMs / 1000).toFixed(0).padStart(4)} s simulated in ${(wallMs / 1000).toFixed(2)} s (median): ` +
      `${times(wallMs)} real time, ${times(cpuMs)} by CPU time (best ${times(bestWallMs)}, ${times(bestCpuMs)} CPU); ` +
      `${((events / wallMs) * 1000).toFixed(0)} events/s, ${(events / (simulatedMs / 1000)).toFixed(0)} events and ` +
      `${(ok / (simulatedMs / 1000)).toFixed(0)} ok operations per simulated s; ${checkTime(nemesis, engine)}`,
  );
}

const load = (): string =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

// Warm up the JIT so the first measured run is not the slowest.
createSimulation({ seed: 99, nodeCount: 5, timeMs: 5_000, nemesis: [] }).run();
const rows = process.env.BENCH_ROWS ?? 'all';
console.log(
  `5 nodes, 10 ms ticks, 100 ops/s, seeds ${seeds.join(',')}, ${timeMs / 1000} s safety phase each, ` +
    `${rounds} rounds (median and best); load average ${load()}`,
);
if (rows !== 'etcd') {
  measure('all faults', [...faultKinds]);
  measure('no faults', []);
}
const etcdTiming = { heartbeatTicks: 10, electionTicks: 100 };
if (rows !== 'default') {
  measure('all faults, etcd timing', [...faultKinds], etcdTiming);
  measure('no faults, etcd timing', [], etcdTiming);
}
console.log(`load average after: ${load()}`);
