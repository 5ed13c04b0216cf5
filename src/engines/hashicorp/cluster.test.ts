// Lockstep 3- and 5-node clusters of HashiCorp-style hosts under message loss, partitions and
// crashes: at most one leader per term (Raft 5.2 Election Safety), an index once applied anywhere
// is never applied with another entry (5.4.3 State Machine Safety), every acknowledged write is
// applied, and after healing every node's key-value store is the same.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../raft/random';
import { KvStateMachine } from '../kv-state-machine';
import { bootSeed, TestCluster } from './test-cluster';

interface Checks {
  leaders: Map<number, number>;
  /** index -> "term|detail" of the entry applied there. */
  applied: Map<number, string>;
}

function check(cluster: TestCluster, checks: Checks, context: string): void {
  for (const step of cluster.transcript.splice(0, cluster.transcript.length)) {
    const status = step.result.status;
    if (status.role === 'StateLeader') {
      const known = checks.leaders.get(status.term);
      expect(known === undefined || known === status.id, `${context}: two leaders in term ${status.term}`).toBe(true);
      checks.leaders.set(status.term, status.id);
    }
    for (const record of step.result.applied) {
      if (record.kind === 'snapshot') continue;
      const key = `${record.term}|${record.kind}|${record.detail}`;
      const known = checks.applied.get(record.index);
      expect(known === undefined || known === key, `${context}: index ${record.index} applied as ${known} and ${key}`).toBe(true);
      checks.applied.set(record.index, key);
    }
  }
}

async function runCluster(seed: number, size: 3 | 5): Promise<void> {
  const ids = size === 3 ? [1, 2, 3] : [1, 2, 3, 4, 5];
  const cluster = new TestCluster({ ids, seed, dropPercent: 5 });
  const random = seededRandom(seed);
  const checks: Checks = { leaders: new Map(), applied: new Map() };
  const incarnations = new Map(ids.map((id) => [id, 0]));
  const down = new Set<number>();
  let requestId = 1;
  const context = `seed ${seed}, ${size} nodes`;
  for (let round = 0; round < 400; round++) {
    const roll = random.intn(100);
    if (roll < 2) {
      cluster.cut.clear();
      if (random.intn(2) === 0) cluster.isolate(ids[random.intn(size)]);
    } else if (roll < 4 && down.size < Math.floor((size - 1) / 2)) {
      const victim = ids[random.intn(size)];
      if (!down.has(victim)) {
        down.add(victim);
        cluster.command(victim, random.intn(2) === 0 ? { kind: 'crash' } : { kind: 'armCrash', afterOperations: random.intn(6), tornBytes: random.intn(30) });
      }
    } else if (roll < 7 && down.size > 0) {
      const back = [...down][0];
      down.delete(back);
      incarnations.set(back, incarnations.get(back)! + 1);
      cluster.clearInbox(back);
      cluster.command(back, { kind: 'restart', seed: bootSeed(seed, back, incarnations.get(back)!) });
    }
    const leader = cluster.leader();
    if (leader !== null && random.intn(3) === 0) {
      cluster.request(leader, { kind: 'propose', requestId, command: { op: 'put', key: `k${random.intn(4)}`, value: `v${requestId}` } });
      requestId++;
    }
    await cluster.runRound();
    check(cluster, checks, context);
  }
  // Liveness phase: heal, restart everyone, and the cluster converges.
  cluster.cut.clear();
  cluster.dropPercent = 0;
  for (const id of down) {
    incarnations.set(id, incarnations.get(id)! + 1);
    cluster.command(id, { kind: 'restart', seed: bootSeed(seed, id, incarnations.get(id)!) });
  }
  for (const id of ids) if (cluster.statuses.get(id)?.role === 'down' || cluster.statuses.get(id)?.role === 'failed') cluster.command(id, { kind: 'restart', seed: bootSeed(seed, id, 99) });
  // The final write is retried until acknowledged, as a client would when its leader changes.
  let finalId = 1_000_000;
  await cluster.runUntil(() => {
    check(cluster, checks, context);
    const answer = cluster.responses.get(finalId);
    const leader = cluster.leader();
    if (leader !== null && (finalId === 1_000_000 || (answer !== undefined && !answer.result.ok))) {
      finalId++;
      cluster.request(leader, { kind: 'propose', requestId: finalId, command: { op: 'put', key: 'final', value: 'yes' } });
    }
    const statuses = [...cluster.statuses.values()];
    return statuses.every((s) => s.kv.some(([key]) => key === 'final') && s.applied === statuses[0].applied);
  }, 1000, `${context}: convergence`);
  const reference = referenceState(checks.applied);
  for (const status of cluster.statuses.values()) {
    expect(status.error, context).toBeNull();
    expect(status.kv, `${context}: node ${status.id}`).toEqual(reference);
  }
  for (const [id, response] of cluster.responses) {
    if (!response.result.ok) continue;
    const at = checks.applied.get(response.result.index);
    expect(at, `${context}: acknowledged request ${id}`).toMatch(new RegExp(`\\|command\\|${id}: `));
  }
}

/** The store every node must hold: the committed commands applied in index order. */
function referenceState(applied: Map<number, string>): [string, string][] {
  const kv = new KvStateMachine();
  for (const index of [...applied.keys()].sort((a, b) => a - b)) {
    const match = /\|command\|[0-9]+: put "(.*)"="(.*)"$/.exec(applied.get(index)!);
    if (match !== null) kv.apply({ op: 'put', key: match[1], value: match[2] });
  }
  return kv.entries();
}

describe('hashicorp hosts in lockstep under loss, partitions and crashes', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`3 nodes, seed ${seed}`, async () => runCluster(seed, 3));
  }
  for (const seed of [11, 12, 13, 14]) {
    it(`5 nodes, seed ${seed}`, async () => runCluster(seed, 5));
  }
});
