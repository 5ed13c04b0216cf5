// Crash tests of the etcd host: a node killed at every write point of its Readies recovers a
// state that includes everything it acknowledged (every message it sent was preceded by the
// durable write it depends on), and 1,000 seeded crash/restart cycles of random nodes lose
// nothing the cluster committed (Raft paper 5.4: State Machine Safety across crashes).
import { describe, expect, it } from 'vitest';
import type { MemoryStorage } from '../../raft/log/log-storage';
import { seededRandom } from '../../raft/random';
import { MessageType, type Message, type NodeId } from '../../raft/types';
import { EtcdStorage } from '../../storage/etcd-storage';
import type { FileSystem } from '../../storage/fs/file-system';
import type { PersistedRecord } from './batch';
import type { LockstepCluster } from './lockstep-cluster';
import { bootSeed, hostCluster, testSettings } from './test-support';

async function durableView(disk: FileSystem): Promise<MemoryStorage> {
  const opened = await EtcdStorage.open(disk, {});
  if (!opened.ok) throw opened.error;
  return opened.value.storage;
}

/** The term of the entry at `index` in the recovered log; null when a snapshot covers it. */
function termAt(view: MemoryStorage, index: number): number | null {
  if (index <= view.snapshot().metadata.index) return null;
  if (index > view.lastIndex()) return -1;
  return view.term(index);
}

/** Everything the node said was checked against what its disk recovered. */
function expectAcknowledgedDurable(view: MemoryStorage, sent: Message[], persisted: PersistedRecord[], context: string): void {
  const hardState = view.hardState;
  for (const record of persisted) {
    if (record.hardState === null) continue;
    expect(hardState.term, context).toBeGreaterThanOrEqual(record.hardState.term);
    expect(hardState.commit, context).toBeGreaterThanOrEqual(record.hardState.commit);
  }
  for (const message of sent) {
    expect(hardState.term, `${context}: term of a sent message`).toBeGreaterThanOrEqual(message.term);
    if (message.type === MessageType.MsgVoteResp && !message.reject && message.term === hardState.term) {
      expect(hardState.vote, `${context}: vote granted to ${message.to}`).toBe(message.to);
    }
    if (message.type === MessageType.MsgApp) {
      for (const entry of message.entries) {
        const term = termAt(view, entry.index);
        if (term !== null && hardState.term === entry.term) expect(term, `${context}: sent entry ${entry.index}`).toBe(entry.term);
      }
    }
    if (message.type === MessageType.MsgAppResp && !message.reject) {
      const last = Math.max(view.lastIndex(), view.snapshot().metadata.index);
      expect(last, `${context}: acknowledged index ${message.index}`).toBeGreaterThanOrEqual(message.index);
    }
  }
}

async function converge(cluster: LockstepCluster, what: string): Promise<void> {
  await cluster.runUntil(
    () => {
      const statuses = [...cluster.statuses.values()].filter((status) => status.role !== 'down');
      return statuses.length === cluster.nodeIds.length && statuses.every((s) => s.applied === statuses[0].applied && s.commit === s.applied) && cluster.leader() !== null;
    },
    300,
    what,
  );
}

/** Runs one crash scenario; returns false when the armed write point was never reached. */
async function crashAt(target: 'leader' | 'follower', point: number, torn: number | undefined): Promise<boolean> {
  const seed = 11;
  const made = hostCluster({ ids: [1, 2, 3], seed, settings: { ...testSettings, snapshotThresholdEntries: 6, snapshotCatchUpEntries: 2 } });
  const { cluster } = made;
  await cluster.runUntil(() => cluster.leader() !== null, 300, 'a leader');
  const leader = cluster.leader()!;
  const node: NodeId = target === 'leader' ? leader : cluster.nodeIds.find((id) => id !== leader)!;
  for (let i = 0; i < 6; i++) cluster.request(leader, { kind: 'propose', requestId: i, command: { op: 'put', key: `k${i % 2}`, value: `v${i}` } });
  cluster.command(node, { kind: 'armCrash', afterOperations: point, tornBytes: torn, keepPendingBytes: torn });
  const context = `${target} ${node} killed at write point ${point}${torn === undefined ? '' : ` torn ${torn}`}`;
  // The puts commit and trigger a local snapshot; then a conf change writes peers and a config snapshot.
  for (let i = 0; i < 3; i++) await cluster.runRound();
  cluster.admin(leader, { kind: 'addLearner', requestId: 50, nodeId: 9, address: 'x:9', prevIndex: 0 });
  try {
    if (cluster.statuses.get(node)!.role !== 'down') {
      await cluster.runUntil(() => cluster.statuses.get(node)!.role === 'down', 12, context);
    }
  } catch {
    const status = cluster.statuses.get(node)!;
    expect(status.role, `${context}: ${status.error}`).not.toBe('failed');
    return false;
  }
  const steps = cluster.transcript.filter((step) => step.node === node);
  const view = await durableView(made.disks.get(node)!);
  expectAcknowledgedDurable(view, steps.flatMap((s) => s.result.messages), steps.flatMap((s) => s.result.persisted), context);
  cluster.clearInbox(node);
  cluster.command(node, { kind: 'restart', seed: bootSeed(seed, node, 1) });
  await converge(cluster, `${context}: convergence`);
  const acknowledged = [...cluster.responses.values()].filter((response) => response.result.ok && response.requestId < 50);
  const kv = cluster.statuses.get(node)!.kv;
  for (const status of cluster.statuses.values()) expect(status.kv, context).toEqual(kv);
  if (acknowledged.length === 6) expect(kv, context).toEqual([['k0', 'v4'], ['k1', 'v5']]);
  return true;
}

describe('etcd host crash recovery', () => {
  it('a node killed at every write point of its Readies keeps everything it acknowledged', async () => {
    for (const target of ['leader', 'follower'] as const) {
      let points = 0;
      while (await crashAt(target, points, undefined)) points++;
      // Entries, HardState, a conf change's peers file and config snapshot, a local snapshot.
      expect(points, target).toBeGreaterThan(20);
    }
  });

  it('and with a torn last write at the crash', async () => {
    for (const target of ['leader', 'follower'] as const) {
      for (let point = 0; await crashAt(target, point, 1 + (point % 23)); point++);
    }
  });
});

describe('etcd host: 1,000 seeded crash/restart cycles', () => {
  it('lose nothing committed: every node applies the same entry at every index', async () => {
    const seed = 2024;
    const random = seededRandom(seed);
    const { cluster } = hostCluster({ ids: [1, 2, 3], seed, dropRatio: { numerator: 1, denominator: 20 } });
    cluster.recordTranscript = false;
    const appliedAt = new Map<number, string>();
    const incarnations = new Map<NodeId, number>([[1, 0], [2, 0], [3, 0]]);
    let requestId = 1;
    const round = async () => {
      const leader = cluster.leader();
      if (leader !== null && random.intn(2) === 0) {
        cluster.request(leader, { kind: 'propose', requestId, command: { op: 'put', key: `k${requestId % 4}`, value: `v${requestId}` } });
        requestId++;
      }
      for (const step of await cluster.runRound()) {
        for (const applied of step.result.applied) {
          if (applied.kind === 'snapshot') continue;
          const key = `${applied.term}:${applied.kind}:${applied.detail}`;
          const seen = appliedAt.get(applied.index);
          if (seen !== undefined) expect(key, `seed ${seed}, node ${step.node}, index ${applied.index}`).toBe(seen);
          appliedAt.set(applied.index, key);
        }
        expect(step.result.status.role, `seed ${seed}: ${step.result.status.error}`).not.toBe('failed');
      }
    };
    for (let cycle = 0; cycle < 1_000; cycle++) {
      const node = cluster.nodeIds[random.intn(3)];
      if (random.intn(2) === 0) cluster.command(node, { kind: 'crash', keepPendingBytes: random.intn(40) });
      else cluster.command(node, { kind: 'armCrash', afterOperations: random.intn(6), tornBytes: random.intn(30), keepPendingBytes: random.intn(30) });
      const down = 1 + random.intn(4);
      for (let i = 0; i < down; i++) await round();
      cluster.clearInbox(node);
      const incarnation = incarnations.get(node)! + 1;
      incarnations.set(node, incarnation);
      cluster.command(node, { kind: 'restart', seed: bootSeed(seed, node, incarnation) });
      const up = 2 + random.intn(8);
      for (let i = 0; i < up; i++) await round();
    }
    await converge(cluster, `seed ${seed}: final convergence`);
    const acknowledged = [...cluster.responses.values()].filter((response) => response.result.ok);
    expect(acknowledged.length).toBeGreaterThan(200);
    for (const response of acknowledged) {
      const index = response.result.ok ? response.result.index : 0;
      expect(appliedAt.get(index), `acknowledged request ${response.requestId}`).toContain(`${response.requestId}: put`);
    }
    const kv = cluster.statuses.get(1)!.kv;
    for (const status of cluster.statuses.values()) expect(status.kv).toEqual(kv);
  });
});
