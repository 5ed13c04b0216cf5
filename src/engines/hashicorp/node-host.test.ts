// The HashiCorp-style host through its lockstep batch interface: the data dir it writes, client
// put/get/cas, admin calls with prevIndex, leadership transfer, a removed leader shutting down,
// local snapshots and a restarted node catching up from one.
import { describe, expect, it } from 'vitest';
import { loadFsmStore } from '../fsm-store';
import { TestCluster } from './test-cluster';

async function withLeader(cluster: TestCluster): Promise<number> {
  await cluster.runUntil(() => cluster.leader() !== null && cluster.statuses.get(cluster.leader()!)!.commit >= 2, 300, 'a leader');
  return cluster.leader()!;
}

async function answered(cluster: TestCluster, requestId: number) {
  await cluster.runUntil(() => cluster.responses.has(requestId), 200, `answer to ${requestId}`);
  return cluster.responses.get(requestId)!.result;
}

describe('hashicorp node host', () => {
  it('lays out its data dir as elastickv does and serves put, get and cas through the leader', async () => {
    const cluster = new TestCluster({ ids: [1, 2, 3], seed: 1 });
    const leader = await withLeader(cluster);
    expect(await cluster.disks.get(1)!.list('')).toEqual(['fsm.db', 'raft-engine', 'raft.db', 'snapshots']);
    cluster.request(leader, { kind: 'propose', requestId: 1, command: { op: 'put', key: 'a', value: '1' } });
    expect(await answered(cluster, 1)).toMatchObject({ ok: true, value: null });
    cluster.request(leader, { kind: 'propose', requestId: 2, command: { op: 'cas', key: 'a', expected: '1', value: '2' } });
    expect(await answered(cluster, 2)).toMatchObject({ ok: true, swapped: true, value: '1' });
    cluster.request(leader, { kind: 'read', requestId: 3, key: 'a' });
    expect(await answered(cluster, 3)).toMatchObject({ ok: true, value: '2' });
    const follower = [1, 2, 3].find((id) => id !== leader)!;
    cluster.request(follower, { kind: 'read', requestId: 4, key: 'a' });
    expect(await answered(cluster, 4)).toMatchObject({ ok: false, code: 'not-leader' });
    await cluster.runUntil(() => [...cluster.statuses.values()].every((s) => s.kv.length === 1 && s.kv[0][1] === '2'), 50, 'kv everywhere');
  });

  it('AddVoter with the current prevIndex adds a joiner; a stale prevIndex is refused', async () => {
    const cluster = new TestCluster({ ids: [1, 2, 3], joiners: [4], seed: 2 });
    const leader = await withLeader(cluster);
    const configIndex = cluster.statuses.get(leader)!.configIndex;
    cluster.admin(leader, { kind: 'addVoter', requestId: 10, nodeId: 4, address: 'node-4:7000', prevIndex: configIndex + 5 });
    expect(await answered(cluster, 10)).toEqual({ ok: false, code: 'prev-index-mismatch', message: `Configuration changed since ${configIndex + 5} (latest is ${configIndex})` });
    cluster.admin(leader, { kind: 'addVoter', requestId: 11, nodeId: 4, address: 'node-4:7000', prevIndex: configIndex });
    const added = await answered(cluster, 11);
    expect(added.ok).toBe(true);
    await cluster.runUntil(() => cluster.statuses.get(4)!.voters.length === 4, 100, 'joiner sees itself a voter');
    cluster.admin(leader, { kind: 'demoteVoter', requestId: 12, nodeId: 4, prevIndex: 0 });
    expect((await answered(cluster, 12)).ok).toBe(true);
    expect(cluster.statuses.get(leader)!.learners).toEqual([4]);
    cluster.admin(leader, { kind: 'removeServer', requestId: 13, nodeId: 4, prevIndex: 0 });
    expect((await answered(cluster, 13)).ok).toBe(true);
    expect(cluster.statuses.get(leader)!.peers.map((p) => p.nodeId)).toEqual(['1', '2', '3']);
  });

  it('transfers leadership, and a leader that removes itself shuts down', async () => {
    const cluster = new TestCluster({ ids: [1, 2, 3], seed: 3 });
    const leader = await withLeader(cluster);
    const target = [1, 2, 3].find((id) => id !== leader)!;
    cluster.admin(leader, { kind: 'transferLeadership', requestId: 20, nodeId: target });
    expect((await answered(cluster, 20)).ok).toBe(true);
    await cluster.runUntil(() => cluster.leader() === target, 50, 'target leads');
    cluster.admin(target, { kind: 'removeServer', requestId: 21, nodeId: target, prevIndex: 0 });
    await cluster.runUntil(() => cluster.statuses.get(target)!.role === 'removed', 50, 'removed leader shut down');
    await cluster.runUntil(() => cluster.leader() !== null && cluster.leader() !== target, 300, 'a new leader among the rest');
  });

  it('takes local snapshots past the threshold, keeps two, and a wiped follower catches up from one', async () => {
    const cluster = new TestCluster({ ids: [1, 2, 3], seed: 4 });
    const leader = await withLeader(cluster);
    for (let i = 0; i < 30; i++) {
      cluster.request(leader, { kind: 'propose', requestId: 100 + i, command: { op: 'put', key: `k${i % 5}`, value: `v${i}` } });
      await cluster.runRound();
    }
    await cluster.runUntil(() => [...cluster.statuses.values()].every((s) => s.applied >= 32), 200, 'all applied');
    const snapshots = await cluster.disks.get(leader)!.list('snapshots');
    expect(snapshots.length).toBe(2);
    expect(cluster.statuses.get(leader)!.snapshotIndex).toBeGreaterThan(20);
    const follower = [1, 2, 3].find((id) => id !== leader)!;
    cluster.command(follower, { kind: 'crash' });
    await cluster.runRound();
    // The follower's disk is lost: it comes back empty, as a joiner, and gets InstallSnapshot.
    const disk = cluster.disks.get(follower)!;
    for (const name of await disk.list('')) await disk.remove(name, { recursive: true });
    cluster.command(follower, { kind: 'restart', seed: 77 });
    const expected = cluster.statuses.get(leader)!.kv;
    await cluster.runUntil(() => JSON.stringify(cluster.statuses.get(follower)!.kv) === JSON.stringify(expected), 300, 'wiped follower restored');
    expect(cluster.transcript.some((step) => step.node === follower && step.result.applied.some((a) => a.kind === 'snapshot'))).toBe(true);
  });

  it('keeps fsm.db from boot on: created at boot, brought up to date at each snapshot and at a graceful stop, never back', async () => {
    const cluster = new TestCluster({ ids: [1, 2, 3], seed: 4 });
    const leader = await withLeader(cluster);
    const disk = cluster.disks.get(leader)!;
    const atBoot = await loadFsmStore(disk, 'fsm.db');
    expect(atBoot).toMatchObject({ ok: true, value: { appliedIndex: 0 } });
    for (let i = 0; i < 30; i++) {
      cluster.request(leader, { kind: 'propose', requestId: 100 + i, command: { op: 'put', key: `k${i % 5}`, value: `v${i}` } });
      await cluster.runRound();
    }
    await cluster.runUntil(() => cluster.statuses.get(leader)!.snapshotIndex > 20, 200, 'a snapshot');
    const afterSnapshot = await loadFsmStore(disk, 'fsm.db');
    if (!afterSnapshot.ok) throw new Error(afterSnapshot.error.message);
    expect(afterSnapshot.value.appliedIndex).toBeGreaterThanOrEqual(cluster.statuses.get(leader)!.snapshotIndex);
    const stopped = await cluster.hosts.get(leader)!.gracefulStop();
    const atStop = await loadFsmStore(disk, 'fsm.db');
    expect(atStop).toMatchObject({ ok: true, value: { appliedIndex: stopped!.appliedIndex } });
    // A boot restores only the snapshot; the newer store the stop wrote is kept.
    cluster.command(leader, { kind: 'restart', seed: 78 });
    await cluster.runRound();
    expect((await loadFsmStore(disk, 'fsm.db')) as unknown).toEqual(atStop);
  });
});
