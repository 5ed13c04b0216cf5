import { describe, expect, it } from 'vitest';
import { hostCluster } from './test-support';

describe('etcd node host: a 3-node cluster in lockstep', () => {
  it('elects a leader, commits proposals on every node and answers reads (Raft paper 5.2, 5.3)', async () => {
    const { cluster } = hostCluster({ ids: [1, 2, 3], seed: 7 });
    await cluster.runUntil(() => cluster.leader() !== null, 200, 'a leader');
    const leader = cluster.leader()!;
    cluster.request(leader, { kind: 'propose', requestId: 1, command: { op: 'put', key: 'x', value: 'a' } });
    cluster.request(leader, { kind: 'propose', requestId: 2, command: { op: 'cas', key: 'x', expected: 'a', value: 'b' } });
    await cluster.runUntil(() => cluster.responses.has(2), 50, 'the proposals answered');
    expect(cluster.responses.get(1)!.result).toMatchObject({ ok: true, value: null });
    expect(cluster.responses.get(2)!.result).toMatchObject({ ok: true, value: 'a', swapped: true });
    const follower = cluster.nodeIds.find((id) => id !== leader)!;
    cluster.request(follower, { kind: 'read', requestId: 3, key: 'x' });
    await cluster.runUntil(() => cluster.responses.has(3), 50, 'the read answered');
    expect(cluster.responses.get(3)!.result).toMatchObject({ ok: true, value: 'b' });
    await cluster.runUntil(() => [...cluster.statuses.values()].every((s) => s.kv.length === 1), 50, 'applied everywhere');
    for (const status of cluster.statuses.values()) {
      expect(status.kv).toEqual([['x', 'b']]);
      expect(status.peers.map((peer) => peer.address)).toEqual(['node-1:7000', 'node-2:7000', 'node-3:7000']);
    }
  });
});
