// `npx tsx bench/sim-durable.ts`: durable simulator speed. Simulated seconds per wall-clock second
// for 5 nodes, 10 ms ticks, 100 client operations per simulated second, every fault on (network,
// process and disk), with each node the etcd host on its own disk: in-process (memory disks) and
// with one worker_thread per node (disks in a temp folder, thread start-up included); and the
// same two with every node the HashiCorp-style host (`--engine hashicorp`). The linearizability
// check is not timed. Wall and CPU time (all threads) are printed, never asserted.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { diskFaultKinds } from '../src/sim/durable/disk-faults';
import { prepareDurableRun, type DurableEngine, type DurableRunOptions } from '../src/sim/durable/durable-run';
import { faultKinds } from '../src/sim/nemesis/plan';
import { workerThreadDrivers } from '../src/worker/worker-driver';

async function measure(label: string, seeds: number[], timeMs: number, workers: boolean, engine: DurableEngine = 'etcd'): Promise<void> {
  let simulatedMs = 0;
  let wallMs = 0;
  let cpuMs = 0;
  let events = 0;
  for (const seed of seeds) {
    const root = workers ? await mkdtemp(join(tmpdir(), 'raftlab-bench-')) : null;
    const options: DurableRunOptions = {
      seed,
      nodeCount: 5,
      tickMs: 10,
      timeMs,
      nemesis: [...faultKinds],
      diskFaults: [...diskFaultKinds],
      workload: { opsPerSecond: 100 },
      engine,
      ...(root === null ? {} : { drivers: workerThreadDrivers(root, undefined, engine) }),
    };
    const { simulation } = prepareDurableRun(options);
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const result = await simulation.run();
    wallMs += performance.now() - start;
    // CPU time of every thread of this process (worker_threads included): a fairer measure than
    // wall time on a shared machine.
    const cpu = process.cpuUsage(cpuStart);
    cpuMs += (cpu.user + cpu.system) / 1000;
    if (root !== null) await rm(root, { recursive: true, force: true });
    simulatedMs += result.endMs;
    events += result.eventCount;
    if (result.violation !== null) throw new Error(`seed ${seed}: ${result.violation.explanation}`);
  }
  console.log(
    `${label.padEnd(46)} ${(simulatedMs / 1000).toFixed(0).padStart(4)} s simulated in ${(wallMs / 1000).toFixed(2)} s: ` +
      `${(simulatedMs / wallMs).toFixed(2)}x real time, ${((events / wallMs) * 1000).toFixed(0)} events/s; ` +
      `CPU ${(cpuMs / 1000).toFixed(2)} s: ${(simulatedMs / cpuMs).toFixed(2)}x per CPU second, ${((events / cpuMs) * 1000).toFixed(0)} events per CPU s`,
  );
}

const inProcessSeeds = [1, 2, 3, 4, 5];
const workerSeeds = [1, 2];
const timeMs = 30_000;
const workerTimeMs = 10_000;
// Warm up the JIT so the first measured run is not the slowest.
await prepareDurableRun({ seed: 99, nodeCount: 5, timeMs: 5_000 }).simulation.run();
console.log('5 nodes, 10 ms ticks, 100 ops/s, all faults (network, process, disk), durable nodes');
await measure(`in-process (seeds ${inProcessSeeds.join(',')}, ${timeMs / 1000} s)`, inProcessSeeds, timeMs, false);
await measure(`hashicorp in-process (seeds ${inProcessSeeds.join(',')}, ${timeMs / 1000} s)`, inProcessSeeds, timeMs, false, 'hashicorp');
await measure(`worker_threads (seeds ${workerSeeds.join(',')}, ${workerTimeMs / 1000} s)`, workerSeeds, workerTimeMs, true);
await measure(`hashicorp worker_threads (seeds ${workerSeeds.join(',')}, ${workerTimeMs / 1000} s)`, workerSeeds, workerTimeMs, true, 'hashicorp');
