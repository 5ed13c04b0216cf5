// The migration story on the simulated cluster, shared by the CLI and the tests: a hashicorp
// cluster takes acknowledged writes, then the orchestrator moves it to etcd, and every write is
// read back on every node.
import { failure, success, type Result } from '../../storage/result';
import type { NodeSpec } from './arguments';
import { MigrationSimCluster, type MigrationBug } from './sim-cluster';

export interface SeededCluster {
  cluster: MigrationSimCluster;
  /** Writes acknowledged by the hashicorp cluster before the migration. */
  written: [string, string][];
}

/** Starts every node on hashicorp and writes `keys` keys through the leader. */
export async function hashicorpClusterWithData(options: { nodes: NodeSpec[]; seed: number; keys: number; bugs?: readonly MigrationBug[] }): Promise<SeededCluster> {
  const cluster = new MigrationSimCluster({ nodes: options.nodes, seed: options.seed, bugs: options.bugs });
  for (const node of options.nodes) {
    const started = await cluster.start(node.id, 'hashicorp');
    if (!started.ok) throw new Error(started.error);
  }
  const written: [string, string][] = [];
  for (let i = 0; i < options.keys; i++) {
    const leader = await cluster.awaitLeader();
    if (!leader.ok) throw new Error(leader.error);
    const pair: [string, string] = [`key-${i}`, `value-${i}`];
    const put = await cluster.put(leader.value.node, pair[0], pair[1]);
    if (put.ok) written.push(pair);
  }
  return { cluster, written };
}

/** Reads every written key on every node (through ReadIndex on etcd); the first mismatch is the error. */
export async function verifyWrites(cluster: MigrationSimCluster, nodes: NodeSpec[], written: [string, string][]): Promise<Result<number, string>> {
  for (const node of nodes) {
    for (const [key, value] of written) {
      const read = await cluster.get(node.id, key);
      if (!read.ok) return failure(`${node.id}: read ${key}: ${read.error}`);
      if (read.value !== value) return failure(`${node.id}: ${key} is ${JSON.stringify(read.value)}, want ${JSON.stringify(value)}`);
    }
  }
  return success(written.length * nodes.length);
}
