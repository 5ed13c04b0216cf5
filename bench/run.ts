// `npm run bench`: etcd's BenchmarkRawNode against our RawNode, printed in Go's benchmark format.
//   BenchmarkRawNode/single-voter    <iterations>    <ns> ns/op    ... per-op metrics
// ns/op is wall time per proposal; the storage call counts and Readies per op match etcd's
// ReportMetric columns; retained-B/op is live heap per op after a full GC (V8 has no per-op
// allocation counter, so Go's B/op and allocs/op have no honest equivalent here).
import { cpus } from 'node:os';
import { collectGarbage, formatResult, runBenchmark, type BenchmarkRun } from './go-benchmark';
import { createRawNodeWorkload } from './raw-node-workload';
import { runClusterThroughput } from './cluster-throughput';

function rawNodeBody(peers: number[]) {
  return (n: number, timer: { start(): void; stop(): void }): BenchmarkRun => {
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const workload = createRawNodeWorkload(peers);
    const stats = workload.storage.callStats;
    const before = { ...stats, ready: workload.readyCount };
    let applied = 0;
    timer.start();
    for (let i = 0; i < n; i++) applied = workload.proposeAndStabilize();
    timer.stop();
    if (applied < n) throw new Error(`did not apply everything: ${applied} < ${n}`);
    collectGarbage();
    const retainedBytes = process.memoryUsage().heapUsed - heapBefore;
    return {
      metrics: {
        'firstIndex/op': (stats.firstIndex - before.firstIndex) / n,
        'lastIndex/op': (stats.lastIndex - before.lastIndex) / n,
        'term/op': (stats.term - before.term) / n,
        'ready/op': (workload.readyCount - before.ready) / n,
        'retained-B/op': Math.max(retainedBytes, 0) / n,
      },
    };
  };
}

const cases = [
  { name: 'BenchmarkRawNode/single-voter', peers: [1] },
  { name: 'BenchmarkRawNode/two-voters', peers: [1, 2] },
];

const cpu = cpus()[0]?.model ?? 'unknown';
console.log(
  `goos: ${process.platform}\ngoarch: ${process.arch}\npkg: raftlab (node ${process.version})\ncpu: ${cpu}`,
);
for (const { name, peers } of cases) {
  console.log(formatResult(runBenchmark(name, rawNodeBody(peers))));
}
const throughput = runClusterThroughput();
console.log(
  `BenchmarkCluster/3-voters-100k  ${throughput.proposals}  ${throughput.proposalsPerSecond.toFixed(0)} proposals/s  ${throughput.seconds.toFixed(2)} s  ${throughput.heapMegabytes.toFixed(1)} MB-heap  (batch ${throughput.batch})`,
);
console.log('PASS');
