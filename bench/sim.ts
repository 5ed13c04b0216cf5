// `npx tsx bench/sim.ts`: simulator speed. Simulated seconds per wall-clock second for 5 nodes,
// 10 ms ticks, 100 client operations per simulated second, every fault on (and, for contrast,
// none), in-process. The linearizability check is timed apart. Printed, never asserted.
import { performance } from 'node:perf_hooks';
import { faultKinds, type FaultKind } from '../src/sim/nemesis/plan';
import { checkLinearizability, createSimulation } from '../src/sim/run';

const seeds = [1, 2, 3, 4, 5];
const timeMs = 30_000;

function measure(label: string, nemesis: FaultKind[]): void {
  let simulatedMs = 0;
  let wallMs = 0;
  let checkMs = 0;
  let events = 0;
  let operations = 0;
  for (const seed of seeds) {
    const simulation = createSimulation({
      seed,
      nodeCount: 5,
      tickMs: 10,
      timeMs,
      nemesis,
      workload: { opsPerSecond: 100 },
    });
    const start = performance.now();
    const result = simulation.run();
    wallMs += performance.now() - start;
    simulatedMs += result.endMs;
    events += result.eventCount;
    const checkStart = performance.now();
    const verdict = checkLinearizability(result.workload.history);
    checkMs += performance.now() - checkStart;
    operations += verdict.operationCount;
    if (result.violation !== null || verdict.verdict !== 'linearizable') {
      throw new Error(`seed ${seed}: ${result.violation?.explanation ?? verdict.text}`);
    }
  }
  const speed = simulatedMs / wallMs;
  console.log(
    `${label.padEnd(12)} ${(simulatedMs / 1000).toFixed(0).padStart(5)} s simulated in ${(wallMs / 1000).toFixed(2)} s: ` +
      `${speed.toFixed(0)}x real time, ${((events / wallMs) * 1000).toFixed(0)} events/s, ` +
      `${operations} operations checked in ${(checkMs / 1000).toFixed(2)} s`,
  );
}

// Warm up the JIT so the first measured run is not the slowest.
createSimulation({ seed: 99, nodeCount: 5, timeMs: 5_000, nemesis: [] }).run();
console.log(`5 nodes, 10 ms ticks, 100 ops/s, seeds ${seeds.join(',')}, ${timeMs / 1000} s safety phase each`);
measure('all faults', [...faultKinds]);
measure('no faults', []);
