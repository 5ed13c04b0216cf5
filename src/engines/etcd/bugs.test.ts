// The etcd host's own bug switch, apply-before-commit, seen at one node: a leader cut off from its
// followers answers a put that no quorum holds (Raft paper 5.3: only committed entries may be
// applied). The simulator's sweeps show the checkers catch it (src/sim/durable/durable-bugs.test.ts).
import { describe, expect, it } from 'vitest';
import type { NodeId } from '../../raft/types';
import { hostCluster } from './test-support';

/** Elects a leader, then lets nothing it sends reach the others while it handles a put. */
async function putAtIsolatedLeader(bugs: string[]): Promise<{ answered: boolean; commit: number; applied: number; kv: [string, string][] }> {
  const { cluster } = hostCluster({ ids: [1, 2, 3], seed: 7, bugs });
  await cluster.runUntil(() => cluster.leader() !== null, 200, 'a leader');
  const leader = cluster.leader()!;
  const followers = cluster.nodeIds.filter((id) => id !== leader);
  const isolate = (): void => followers.forEach((id: NodeId) => cluster.clearInbox(id));
  isolate();
  cluster.request(leader, { kind: 'propose', requestId: 1, command: { op: 'put', key: 'x', value: 'a' } });
  for (let round = 0; round < 3; round++) {
    await cluster.runRound();
    isolate();
  }
  const status = cluster.statuses.get(leader)!;
  return { answered: cluster.responses.get(1)?.result.ok === true, commit: status.commit, applied: status.applied, kv: status.kv };
}

describe('etcd host bug switch apply-before-commit', () => {
  it('off: an isolated leader neither applies nor answers a put no quorum holds (5.3)', async () => {
    const off = await putAtIsolatedLeader([]);
    expect(off.answered).toBe(false);
    expect(off.applied).toBeLessThanOrEqual(off.commit);
    expect(off.kv).toEqual([]);
  });

  it('on: the same leader applies the put as soon as it is persisted and answers the client', async () => {
    const on = await putAtIsolatedLeader(['apply-before-commit']);
    expect(on.answered).toBe(true);
    expect(on.applied).toBeGreaterThan(on.commit);
    expect(on.kv).toEqual([['x', 'a']]);
  });
});
