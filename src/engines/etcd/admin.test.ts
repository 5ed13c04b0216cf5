// Admin calls on the etcd host (elastickv's AddVoter/AddLearner/RemoveServer with prevIndex, the
// 64-change cap) and the peer-metadata rules as the whole cluster applies them.
import { describe, expect, it } from 'vitest';
import { marshalConfChangeV2 } from '../../raft/encoding/conf-change';
import { ConfChangeTransition, ConfChangeType, EntryType, MessageType, makeMessage } from '../../raft/types';
import { MemoryBackend } from '../../storage/fs/memory-backend';
import { encodeConfChangeContext } from '../../storage/peers/context-codec';
import { LockstepCluster, type BatchEndpoint } from './lockstep-cluster';
import { EtcdNodeHost } from './node-host';
import { bootSeed, hostCluster, initFor } from './test-support';

async function withLeader(seed = 3) {
  const made = hostCluster({ ids: [1, 2, 3], seed });
  await made.cluster.runUntil(() => made.cluster.leader() !== null, 300, 'a leader');
  return { ...made, leader: made.cluster.leader()! };
}

describe('etcd host admin calls', () => {
  it('refuses admin calls on a follower and a non-zero prevIndex that is not the config index', async () => {
    const { cluster, leader } = await withLeader();
    const follower = cluster.nodeIds.find((id) => id !== leader)!;
    cluster.admin(follower, { kind: 'addLearner', requestId: 1, nodeId: 9, address: 'x:9', prevIndex: 0 });
    cluster.admin(leader, { kind: 'addLearner', requestId: 2, nodeId: 9, address: 'x:9', prevIndex: 7 });
    cluster.admin(leader, { kind: 'addLearner', requestId: 3, nodeId: 9, address: 'x:9', prevIndex: 1 });
    await cluster.runUntil(() => cluster.responses.has(3), 30, 'the change applied');
    expect(cluster.responses.get(1)!.result).toMatchObject({ ok: false, code: 'not-leader' });
    expect(cluster.responses.get(2)!.result).toMatchObject({
      ok: false,
      code: 'prev-index-mismatch',
      message: 'etcd raft: configuration index mismatch: prevIndex 7, current 1',
    });
    const applied = cluster.responses.get(3)!.result;
    expect(applied.ok).toBe(true);
    const configIndex = applied.ok ? applied.index : 0;
    await cluster.runUntil(() => [...cluster.statuses.values()].every((s) => s.configIndex === configIndex), 30, 'all applied');
    for (const status of cluster.statuses.values()) {
      expect(status.learners).toEqual([9]);
      expect(status.peers.find((peer) => peer.nodeId === '9')).toEqual({ nodeId: '9', id: '9', address: 'x:9' });
    }
    // The old config index is now stale.
    cluster.admin(leader, { kind: 'removeServer', requestId: 4, nodeId: 9, prevIndex: 1 });
    await cluster.runRound();
    expect(cluster.responses.get(4)!.result).toMatchObject({ ok: false, code: 'prev-index-mismatch' });
  });

  it('refuses the 65th pending conf change (errTooManyPendingConfigs) and applies the 64 one by one', async () => {
    const { cluster, leader } = await withLeader();
    for (let i = 0; i < 65; i++) {
      cluster.admin(leader, { kind: 'addLearner', requestId: 100 + i, nodeId: 100 + i, address: `l:${i}`, prevIndex: 0 });
    }
    await cluster.runRound();
    expect(cluster.responses.get(164)!.result).toEqual({
      ok: false,
      code: 'too-many-pending-configs',
      message: 'etcd raft: too many pending configuration changes',
    });
    expect(cluster.responses.has(100)).toBe(false);
    await cluster.runUntil(() => cluster.responses.has(163), 64 * 6, 'all 64 changes applied');
    for (let i = 0; i < 64; i++) expect(cluster.responses.get(100 + i)!.result.ok).toBe(true);
    expect(cluster.statuses.get(leader)!.learners).toHaveLength(64);
  });

  it('adds a joining voter that catches up from the config snapshot', async () => {
    const seed = 5;
    const ids = [1, 2, 3];
    const endpoints = new Map<number, BatchEndpoint>();
    for (const id of [...ids, 4]) {
      endpoints.set(id, new EtcdNodeHost(initFor(id, id === 4 ? null : ids), new MemoryBackend()));
    }
    const cluster = new LockstepCluster({ endpoints, seed });
    for (const id of [...ids, 4]) cluster.command(id, { kind: 'restart', seed: bootSeed(seed, id, 0) });
    await cluster.runUntil(() => cluster.leader() !== null, 300, 'a leader');
    const leader = cluster.leader()!;
    cluster.request(leader, { kind: 'propose', requestId: 1, command: { op: 'put', key: 'k', value: 'v' } });
    cluster.admin(leader, { kind: 'addVoter', requestId: 2, nodeId: 4, address: 'node-4:7000', prevIndex: 1 });
    await cluster.runUntil(() => cluster.statuses.get(4)!.kv.length === 1, 60, 'node 4 caught up');
    const joined = cluster.statuses.get(4)!;
    expect(joined.voters).toEqual([1, 2, 3, 4]);
    expect(joined.kv).toEqual([['k', 'v']]);
    // The snapshot carries the configuration, not the addresses: the joiner has placeholders.
    expect(joined.peers.map((peer) => peer.address)).toEqual(['', '', '', '']);
    expect(cluster.statuses.get(leader)!.peers.find((peer) => peer.nodeId === '4')!.address).toBe('node-4:7000');
  });

  it('keeps known addresses, adds placeholders and ignores a mismatched context (raw conf-change proposals)', async () => {
    const { cluster, leader } = await withLeader();
    const proposal = (type: ConfChangeType, nodeId: number, context: Uint8Array | null) => {
      const data = marshalConfChangeV2({
        transition: ConfChangeTransition.ConfChangeTransitionAuto,
        changes: [{ type, nodeId }],
        context,
      });
      const entries = [{ term: 0, index: 0, type: EntryType.EntryConfChangeV2, data }];
      return makeMessage({ type: MessageType.MsgProp, from: leader, entries });
    };
    const mismatched = encodeConfChangeContext(1n, { nodeId: 77n, id: 'n77', address: 'evil:77' });
    cluster.deliver(leader, proposal(ConfChangeType.ConfChangeAddLearnerNode, 5, mismatched));
    await cluster.runUntil(() => [...cluster.statuses.values()].every((s) => s.learners.includes(5)), 30, 'learner 5 applied');
    cluster.deliver(leader, proposal(ConfChangeType.ConfChangeAddNode, 2, null));
    const before = cluster.statuses.get(leader)!.configIndex;
    await cluster.runUntil(() => [...cluster.statuses.values()].every((s) => s.configIndex > before), 30, 'add 2 applied');
    for (const status of cluster.statuses.values()) {
      expect(status.peers.find((peer) => peer.nodeId === '5')).toEqual({ nodeId: '5', id: '5', address: '' });
      expect(status.peers.some((peer) => peer.nodeId === '77')).toBe(false);
      expect(status.peers.find((peer) => peer.nodeId === '2')!.address).toBe('node-2:7000');
    }
  });

  it('a node that applies its own removal shuts down; a removed leader hands over', async () => {
    const { cluster, leader } = await withLeader();
    const follower = cluster.nodeIds.find((id) => id !== leader)!;
    cluster.admin(leader, { kind: 'removeServer', requestId: 1, nodeId: follower, prevIndex: 1 });
    await cluster.runUntil(() => cluster.statuses.get(follower)!.role === 'removed', 30, 'the follower removed');
    cluster.admin(leader, { kind: 'removeServer', requestId: 2, nodeId: leader, prevIndex: 0 });
    await cluster.runUntil(() => cluster.statuses.get(leader)!.role === 'removed', 30, 'the leader removed');
    const last = cluster.nodeIds.find((id) => id !== leader && id !== follower)!;
    await cluster.runUntil(() => cluster.leader() === last, 100, 'the last voter leads');
    expect(cluster.statuses.get(last)!.voters).toEqual([last]);
    const removal = cluster.responses.get(1)!.result;
    if (!removal.ok) throw new Error(removal.message);
    const lines = cluster.transcript.flatMap((step) => step.result.logLines.map((line) => line.text));
    expect(lines).toContain(`node ${follower} applied its own removal at index ${removal.index}; shutting down`);
  });
});
