// Tests of the HashiCorp-style core alone, named after the Raft paper sections (and hashicorp/raft
// behaviours) they check: elections, replication, the leader lease, log repair, snapshots.
import { describe, expect, it } from 'vitest';
import { appliedCommands, CoreHarness, fastRaftConfig } from './core-harness';
import { RaftRole, type RequestVoteRequest } from './types';

function elect(harness: CoreHarness): number {
  harness.runUntil(() => harness.leader() !== null, 200, 'a leader');
  return harness.leader()!;
}

describe('5.2 leader election', () => {
  it('a bootstrapped 3-server cluster elects one leader, which commits its no-op', () => {
    const harness = new CoreHarness([1, 2, 3], 1);
    const leader = elect(harness);
    const raft = harness.get(leader).raft;
    expect(raft.currentTerm).toBeGreaterThan(1);
    harness.runUntil(() => [...harness.servers.values()].every((s) => s.raft.commitIndex === raft.log.lastIndex()), 100, 'no-op committed everywhere');
    for (const { raft: other } of harness.servers.values()) {
      expect(other.leaderId).toBe(leader);
      expect(other.stable.currentTerm).toBe(raft.currentTerm);
    }
  });

  it('a single voter elects itself and commits alone', () => {
    const harness = new CoreHarness([1], 2);
    const leader = elect(harness);
    expect(leader).toBe(1);
    const index = harness.propose('put a');
    harness.step();
    expect(harness.get(1).raft.commitIndex).toBe(index);
    expect(appliedCommands(harness.get(1))).toEqual(['put a']);
  });

  it('a follower that knows a leader refuses to vote for another candidate (leader stickiness)', () => {
    const harness = new CoreHarness([1, 2, 3], 3);
    const leader = elect(harness);
    harness.run(5);
    const follower = [1, 2, 3].find((id) => id !== leader)!;
    const other = [1, 2, 3].find((id) => id !== leader && id !== follower)!;
    const raft = harness.get(follower).raft;
    const request: RequestVoteRequest = {
      type: 'RequestVoteRequest', from: other, to: follower, rpcId: 999, term: raft.currentTerm + 5,
      candidate: other, lastLogIndex: 100, lastLogTerm: 100, leadershipTransfer: false,
    };
    raft.step(request, harness.nowMs);
    const output = raft.takeOutput();
    expect(output.messages).toMatchObject([{ type: 'RequestVoteResponse', granted: false }]);
    expect(raft.currentTerm).toBeLessThan(request.term);
    raft.step({ ...request, rpcId: 1000, leadershipTransfer: true }, harness.nowMs);
    const transferred = raft.takeOutput();
    expect(transferred.messages).toMatchObject([{ type: 'RequestVoteResponse', granted: true, term: request.term }]);
    expect(transferred.writes).toEqual([{ kind: 'stable', state: { currentTerm: request.term, lastVoteTerm: request.term, lastVoteCand: other } }]);
  });

  it('a vote is refused to a candidate whose log is behind (5.4.1)', () => {
    const harness = new CoreHarness([1, 2, 3], 4);
    const leader = elect(harness);
    harness.propose('x');
    harness.run(5);
    const follower = [1, 2, 3].find((id) => id !== leader)!;
    const raft = harness.get(follower).raft;
    raft.leaderId = 0;
    raft.step({ type: 'RequestVoteRequest', from: 7, to: follower, rpcId: 5, term: raft.currentTerm + 1, candidate: leader, lastLogIndex: 1, lastLogTerm: 1, leadershipTransfer: false }, harness.nowMs);
    expect(raft.takeOutput().messages).toMatchObject([{ granted: false, term: raft.currentTerm }]);
  });
});

describe('5.3 log replication', () => {
  it('commands commit on a quorum and every server applies them in order', () => {
    const harness = new CoreHarness([1, 2, 3, 4, 5], 5);
    elect(harness);
    for (let i = 0; i < 100; i++) harness.propose(`put ${i}`);
    harness.runUntil(() => [...harness.servers.values()].every((s) => appliedCommands(s).length === 100), 200, 'all applied');
    const expected = Array.from({ length: 100 }, (_, i) => `put ${i}`);
    for (const server of harness.servers.values()) expect(appliedCommands(server)).toEqual(expected);
  });

  it('a follower cut off rejoins and is repaired: its conflicting suffix is replaced', () => {
    const harness = new CoreHarness([1, 2, 3], 6);
    const first = elect(harness);
    harness.run(5);
    harness.isolate(first);
    // The old leader appends entries nobody else will hold.
    const stale = harness.get(first).raft.apply(new TextEncoder().encode('lost'), harness.nowMs);
    expect(stale.ok).toBe(true);
    harness.collect(harness.get(first));
    harness.runUntil(() => harness.leader() !== null && harness.leader() !== first, 300, 'a new leader');
    harness.propose('kept');
    harness.run(10);
    harness.heal();
    harness.runUntil(() => [...harness.servers.values()].every((s) => appliedCommands(s).includes('kept')), 300, 'repaired');
    for (const server of harness.servers.values()) expect(appliedCommands(server)).toEqual(['kept']);
  });
});

describe('hashicorp leader lease', () => {
  it('a leader that hears from no quorum within LeaderLeaseTimeout steps down', () => {
    const harness = new CoreHarness([1, 2, 3], 7);
    const leader = elect(harness);
    harness.run(3);
    harness.isolate(leader);
    const raft = harness.get(leader).raft;
    const isolatedAt = harness.nowMs;
    harness.runUntil(() => raft.role !== RaftRole.Leader, 100, 'step down');
    const lease = fastRaftConfig.leaderLeaseTimeoutMs!;
    // Contact is at most one step old when cut; the check runs at most a lease later.
    expect(harness.nowMs - isolatedAt).toBeLessThanOrEqual(2 * lease + 2 * harness.stepMs);
    expect(raft.role).toBe(RaftRole.Follower);
    expect(raft.takeOutput().events.concat(harness.get(leader).events)).toContainEqual({ kind: 'leadershipLost', term: raft.currentTerm });
  });

  it('heartbeats alone keep the lease when nothing is replicated', () => {
    const harness = new CoreHarness([1, 2, 3], 8);
    const leader = elect(harness);
    const term = harness.get(leader).raft.currentTerm;
    harness.run(200);
    expect(harness.leader()).toBe(leader);
    expect(harness.get(leader).raft.currentTerm).toBe(term);
  });
});

describe('7 log compaction', () => {
  it('a server behind the leader\'s compacted log gets an InstallSnapshot', () => {
    const harness = new CoreHarness([1, 2, 3], 9);
    const leader = elect(harness);
    harness.run(3);
    const lagging = [1, 2, 3].find((id) => id !== leader)!;
    harness.isolate(lagging);
    for (let i = 0; i < 20; i++) harness.propose(`put ${i}`);
    harness.run(10);
    const raft = harness.get(leader).raft;
    const config = raft.snapshotConfiguration();
    if (!config.ok) throw new Error(config.error);
    const index = raft.lastApplied;
    const meta = { index, term: raft.log.get(index)!.term, configuration: config.value.configuration, configurationIndex: config.value.index, size: 4 };
    raft.snapshotSaved(meta, new Uint8Array([1, 2, 3, 4]));
    const compaction = raft.takeOutput().writes;
    expect(compaction).toEqual([{ kind: 'deleteLogsThrough', index: raft.log.lastStoredIndex - 4 }]);
    harness.heal();
    harness.runUntil(() => harness.get(lagging).restoredAt === index, 300, 'snapshot installed');
    harness.propose('after');
    harness.runUntil(() => appliedCommands(harness.get(lagging)).includes('after'), 100, 'caught up after the snapshot');
    expect(harness.get(lagging).raft.log.lastSnapshotIndex).toBe(index);
  });
});
