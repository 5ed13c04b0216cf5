// Tests named after the sections of the Raft paper (Ongaro & Ousterhout, 2014) whose rules they
// check, run against the engine through RawNodes and an in-memory cluster.
import { describe, expect, it } from 'vitest';
import { TestCluster, entry } from './testing/test-cluster';
import { StateType } from './ready';
import { MessageType, makeMessage, type Message } from './types';
import { errProposalDropped } from './errors';

const text = (bytes: Uint8Array | null) => (bytes === null ? '' : new TextDecoder().decode(bytes));

function electLeader(cluster: TestCluster, id: number): void {
  cluster.node(id).rawNode.campaign();
  cluster.stabilize();
  expect(cluster.node(id).rawNode.raft.state).toBe(StateType.StateLeader);
}

describe('5.2 Leader election', () => {
  it('a follower that hears nothing for an election timeout becomes candidate and asks every voter', () => {
    const cluster = new TestCluster({ ids: [1, 2, 3] });
    const r = cluster.node(1).rawNode.raft;
    for (let i = 0; i < 2 * r.electionTimeout && r.state === StateType.StateFollower; i++) {
      cluster.node(1).rawNode.tick();
    }
    expect(r.state).toBe(StateType.StateCandidate);
    expect(r.term).toBe(1);
    expect(r.vote).toBe(1);
    const rd = cluster.node(1).rawNode.ready();
    const votes = rd.messages.filter((m) => m.type === MessageType.MsgVote);
    expect(votes.map((m) => m.to).sort()).toEqual([2, 3]);
    expect(votes.every((m) => m.term === 1)).toBe(true);
  });

  it('the election timeout is randomized within [electionTimeout, 2 * electionTimeout)', () => {
    const seen = new Set<number>();
    for (let seed = 1; seed <= 40; seed++) {
      const cluster = new TestCluster({ ids: [1, 2, 3], seed });
      const r = cluster.node(1).rawNode.raft;
      expect(r.randomizedElectionTimeout).toBeGreaterThanOrEqual(r.electionTimeout);
      expect(r.randomizedElectionTimeout).toBeLessThan(2 * r.electionTimeout);
      seen.add(r.randomizedElectionTimeout);
    }
    expect(seen.size).toBeGreaterThan(3);
  });

  it('a candidate that wins a majority becomes leader and announces itself with an entry', () => {
    const cluster = new TestCluster({ ids: [1, 2, 3, 4, 5] });
    cluster.isolate(4);
    cluster.isolate(5);
    electLeader(cluster, 1);
    expect(cluster.node(1).rawNode.raft.raftLog.lastIndex()).toBe(1);
    expect(cluster.node(2).rawNode.raft.lead).toBe(1);
  });

  it('a candidate without a majority does not become leader', () => {
    const cluster = new TestCluster({ ids: [1, 2, 3, 4, 5] });
    cluster.isolate(3);
    cluster.isolate(4);
    cluster.isolate(5);
    cluster.node(1).rawNode.campaign();
    cluster.stabilize();
    expect(cluster.node(1).rawNode.raft.state).toBe(StateType.StateCandidate);
  });

  it('each server votes for at most one candidate per term, first come first served', () => {
    const cluster = new TestCluster({ ids: [1, 2, 3] });
    const voter = cluster.node(3).rawNode;
    const request = (from: number): Message =>
      makeMessage({ type: MessageType.MsgVote, from, to: 3, term: 1, logTerm: 0, index: 0 });
    voter.step(request(1));
    voter.step(request(2));
    const responses = voter.ready().messages.filter((m) => m.type === MessageType.MsgVoteResp);
    expect(responses.map((m) => [m.to, m.reject])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(voter.raft.vote).toBe(1);
  });

  it('a candidate that hears from a leader of its term returns to follower', () => {
    const cluster = new TestCluster({ ids: [1, 2, 3] });
    const candidate = cluster.node(2).rawNode;
    candidate.campaign();
    expect(candidate.raft.state).toBe(StateType.StateCandidate);
    candidate.step(
      makeMessage({ type: MessageType.MsgApp, from: 1, to: 2, term: candidate.raft.term }),
    );
    expect(candidate.raft.state).toBe(StateType.StateFollower);
    expect(candidate.raft.lead).toBe(1);
  });

  it('a node that sees a higher term steps down to follower at that term', () => {
    const cluster = new TestCluster({ ids: [1, 2, 3] });
    electLeader(cluster, 1);
    const leader = cluster.node(1).rawNode;
    leader.step(makeMessage({ type: MessageType.MsgHeartbeatResp, from: 2, to: 1, term: 5 }));
    expect(leader.raft.state).toBe(StateType.StateFollower);
    expect(leader.raft.term).toBe(5);
  });
});

describe('5.3 Log replication', () => {
  it('the leader appends a proposal, replicates it, commits it on a majority, and all apply it', () => {
    const cluster = new TestCluster({ ids: [1, 2, 3] });
    electLeader(cluster, 1);
    cluster.node(1).rawNode.propose(new TextEncoder().encode('x=1'));
    cluster.stabilize();
    for (const id of [1, 2, 3]) {
      const node = cluster.node(id);
      expect(node.rawNode.raft.raftLog.committed).toBe(2);
      expect(node.applied.map((e) => text(e.data))).toContain('x=1');
    }
  });

  it('an entry is committed once a majority stores it, even with a follower down', () => {
    const cluster = new TestCluster({ ids: [1, 2, 3] });
    electLeader(cluster, 1);
    cluster.isolate(3);
    cluster.node(1).rawNode.propose(new TextEncoder().encode('a'));
    cluster.stabilize();
    expect(cluster.node(1).rawNode.raft.raftLog.committed).toBe(2);
    expect(cluster.node(3).rawNode.raft.raftLog.lastIndex()).toBe(1);
  });

  it('without a majority nothing new commits', () => {
    const cluster = new TestCluster({ ids: [1, 2, 3] });
    electLeader(cluster, 1);
    cluster.isolate(2);
    cluster.isolate(3);
    cluster.node(1).rawNode.propose(new TextEncoder().encode('a'));
    cluster.stabilize();
    expect(cluster.node(1).rawNode.raft.raftLog.committed).toBe(1);
  });

  it("a follower's conflicting entries are overwritten with the leader's", () => {
    // Node 3 holds an uncommitted entry from term 2 that the term-3 leader never had.
    const cluster = new TestCluster({
      ids: [1, 2, 3],
      initialLogs: {
        1: { entries: [entry(1, 1)], hardState: { term: 2, vote: 0, commit: 1 } },
        2: { entries: [entry(1, 1)], hardState: { term: 2, vote: 0, commit: 1 } },
        3: { entries: [entry(1, 1), entry(2, 2, 'stale')], hardState: { term: 2, vote: 3, commit: 1 } },
      },
    });
    cluster.isolate(3);
    electLeader(cluster, 1);
    cluster.heal();
    cluster.node(1).rawNode.propose(new TextEncoder().encode('fresh'));
    // The probe to node 3 was lost while it was cut off; a heartbeat round resumes probing.
    cluster.node(1).rawNode.tick();
    cluster.stabilize();
    const followerLog = cluster.node(3).rawNode.raft.raftLog.allEntries();
    expect(followerLog.map((e) => [e.index, e.term])).toEqual([
      [1, 1],
      [2, 3],
      [3, 3],
    ]);
    expect(followerLog.some((e) => text(e.data) === 'stale')).toBe(false);
  });

  it('a follower drops proposals when it knows no leader', () => {
    const cluster = new TestCluster({ ids: [1, 2, 3] });
    expect(() => cluster.node(2).rawNode.propose(new Uint8Array([1]))).toThrow(errProposalDropped);
  });
});

describe('5.4.1 Election restriction', () => {
  const logs = {
    // Node 1's last entry has term 2; node 2's log is longer but ends in term 1.
    1: { entries: [entry(1, 1), entry(2, 2)], hardState: { term: 2, vote: 0, commit: 1 } },
    2: { entries: [entry(1, 1), entry(2, 1), entry(3, 1)], hardState: { term: 2, vote: 0, commit: 1 } },
    3: { entries: [entry(1, 1)], hardState: { term: 2, vote: 0, commit: 1 } },
  };

  it('a voter rejects a candidate whose last term is lower, even with a longer log', () => {
    const cluster = new TestCluster({ ids: [1, 2, 3], initialLogs: logs });
    cluster.isolate(3);
    cluster.node(2).rawNode.campaign();
    cluster.stabilize();
    expect(cluster.node(2).rawNode.raft.state).not.toBe(StateType.StateLeader);
    expect(cluster.sent.some((m) => m.type === MessageType.MsgVoteResp && m.from === 1 && m.reject)).toBe(
      true,
    );
  });

  it('a voter grants a candidate whose log is at least as up to date', () => {
    const cluster = new TestCluster({ ids: [1, 2, 3], initialLogs: logs });
    cluster.isolate(3);
    electLeader(cluster, 1);
  });

  it('with equal last terms the longer log is more up to date', () => {
    const cluster = new TestCluster({ ids: [1, 2, 3], initialLogs: logs });
    cluster.isolate(1);
    cluster.node(3).rawNode.campaign();
    cluster.stabilize();
    // Node 2's log (last term 1, index 3) is longer than node 3's (last term 1, index 1).
    expect(cluster.node(3).rawNode.raft.state).not.toBe(StateType.StateLeader);
    electLeader(cluster, 2);
  });
});

describe('5.4.2 Committing entries from previous terms (Figure 8)', () => {
  it('a leader never commits an entry of an earlier term by counting replicas', () => {
    // Entry 2 (term 2) is on nodes 1 and 2, a majority, but was never committed.
    const logs = {
      1: { entries: [entry(1, 1), entry(2, 2, 'old')], hardState: { term: 2, vote: 1, commit: 1 } },
      2: { entries: [entry(1, 1), entry(2, 2, 'old')], hardState: { term: 2, vote: 1, commit: 1 } },
      3: { entries: [entry(1, 1)], hardState: { term: 2, vote: 1, commit: 1 } },
    };
    const cluster = new TestCluster({ ids: [1, 2, 3], initialLogs: logs });
    // Let the election through but hold back every append that carries the new term's entry.
    cluster.dropFilter = (m) => m.type === MessageType.MsgApp && m.entries.some((e) => e.term === 3);
    electLeader(cluster, 1);
    const leader = cluster.node(1).rawNode.raft;
    expect(leader.term).toBe(3);
    // Node 2 acknowledges index 2, which is stored on a majority; it must still not commit.
    leader.trk.progress.get(2)!.maybeUpdate(2);
    expect(leader.maybeCommit()).toBe(false);
    expect(leader.raftLog.committed).toBe(1);

    // Once the term-3 entry reaches a majority, it and everything before it commit.
    cluster.dropFilter = () => false;
    cluster.tickAll(2);
    cluster.stabilize();
    expect(leader.raftLog.committed).toBe(3);
    expect(cluster.node(3).rawNode.raft.raftLog.committed).toBe(3);
  });
});
