// A 3-voter cluster in one process committing 100,000 proposals: the engine's throughput with a
// host that does nothing but the Ready loop (persist to MemoryStorage, deliver, apply, advance).
// Proposals go in batches, as a busy leader receives them between Readies.
import { TestCluster } from '../src/raft/testing/test-cluster';
import { collectGarbage } from './go-benchmark';

export interface ClusterThroughputResult {
  proposals: number;
  batch: number;
  seconds: number;
  proposalsPerSecond: number;
  heapMegabytes: number;
}

export function runClusterThroughput(proposals = 100_000, batch = 100): ClusterThroughputResult {
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const cluster = new TestCluster({ ids: [1, 2, 3] });
  const leader = cluster.node(1).rawNode;
  leader.campaign();
  cluster.stabilize();
  const payload = new Uint8Array(16);
  const started = performance.now();
  for (let sent = 0; sent < proposals; ) {
    const count = Math.min(batch, proposals - sent);
    for (let i = 0; i < count; i++) leader.propose(payload);
    sent += count;
    cluster.stabilize();
    // The test cluster records every message for assertions; a throughput run needs none.
    cluster.sent.length = 0;
    // Keep memory bounded as a real host does: compact what every node has applied.
    if (sent % 10_000 === 0) compactApplied(cluster);
  }
  const seconds = (performance.now() - started) / 1000;
  for (const node of cluster.nodes.values()) {
    const committed = node.rawNode.raft.raftLog.committed;
    if (committed < proposals + 1) throw new Error(`node ${node.id} committed only ${committed}`);
  }
  const heapMegabytes = (process.memoryUsage().heapUsed - heapBefore) / (1024 * 1024);
  return { proposals, batch, seconds, proposalsPerSecond: proposals / seconds, heapMegabytes };
}

function compactApplied(cluster: TestCluster): void {
  for (const node of cluster.nodes.values()) {
    const applied = node.rawNode.raft.raftLog.applied;
    node.storage.compact(applied);
    node.applied.length = 0;
  }
}
