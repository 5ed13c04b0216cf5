// Linearizable reads without log entries (Ongaro's thesis, section 6.4): ReadIndex confirmed by a
// heartbeat round (ReadOnlySafe), lease-based reads (6.4.1, ReadOnlyLeaseBased), forwarding from
// followers, and the ReadStates a Ready hands to the host.
import { describe, expect, it } from 'vitest';
import { TestCluster } from './testing/test-cluster';
import { ReadOnlyOption } from './config';
import { StateType } from './ready';
import { RawNode } from './rawnode';
import { MemoryStorage } from './log/log-storage';
import { RaftError } from './errors';
import { utf8Decode, utf8Encode } from './bytes';
import { MessageType, type Message } from './types';

const readsOf = (cluster: TestCluster, id: number) =>
  cluster.node(id).readStates.map((state) => ({
    index: state.index,
    context: utf8Decode(state.requestCtx),
  }));

const contextOf = (m: Message) => (m.context === null ? '' : utf8Decode(m.context));

function electLeader(cluster: TestCluster, id: number): void {
  cluster.node(id).rawNode.campaign();
  cluster.stabilize();
  expect(cluster.node(id).rawNode.raft.state).toBe(StateType.StateLeader);
}

/** A three-voter cluster with node 1 leading and two entries committed after its own. */
function clusterWithLeader(options: { readOnlyOption?: ReadOnlyOption } = {}): TestCluster {
  const leaseBased = options.readOnlyOption === ReadOnlyOption.ReadOnlyLeaseBased;
  const cluster = new TestCluster({
    ids: [1, 2, 3],
    config: { readOnlyOption: options.readOnlyOption, checkQuorum: leaseBased },
  });
  electLeader(cluster, 1);
  cluster.node(1).rawNode.propose(utf8Encode('x=1'));
  cluster.node(1).rawNode.propose(utf8Encode('x=2'));
  cluster.stabilize();
  expect(cluster.node(1).rawNode.raft.raftLog.committed).toBe(3);
  return cluster;
}

describe('6.4 Processing read-only queries more efficiently', () => {
  it('6.4 a leader answers a read only after confirming its leadership with a quorum (ReadOnlySafe)', () => {
    const cluster = clusterWithLeader();
    const leader = cluster.node(1);
    cluster.sent.length = 0;
    leader.rawNode.readIndex(utf8Encode('r1'));
    cluster.processReadies();
    // The read waits: the leader sends a heartbeat round that carries the read's context.
    expect(readsOf(cluster, 1)).toEqual([]);
    const heartbeats = cluster.sent.filter((m) => m.type === MessageType.MsgHeartbeat);
    expect(heartbeats.map((m) => [m.to, contextOf(m)])).toEqual([
      [2, 'r1'],
      [3, 'r1'],
    ]);
    // One follower's answer makes a quorum with the leader itself: the read index is the
    // commit index at the time of the request.
    cluster.dropFilter = (m) => m.from === 3 || m.to === 3;
    cluster.deliverAll();
    cluster.processReadies();
    cluster.deliverAll();
    expect(readsOf(cluster, 1)).toEqual([]);
    cluster.processReadies();
    expect(readsOf(cluster, 1)).toEqual([{ index: 3, context: 'r1' }]);
  });

  it('6.4 a leader without a quorum of answers does not answer the read', () => {
    const cluster = clusterWithLeader();
    cluster.dropFilter = (m) => m.type === MessageType.MsgHeartbeatResp;
    cluster.node(1).rawNode.readIndex(utf8Encode('r1'));
    cluster.stabilize();
    expect(readsOf(cluster, 1)).toEqual([]);
    expect(cluster.node(1).rawNode.raft.readOnly.pendingCount()).toBe(1);
  });

  it('6.4 a new leader defers reads until it has committed an entry of its term', () => {
    const cluster = clusterWithLeader();
    // Node 2 takes over at term 2, but its empty entry cannot commit: appends are lost.
    cluster.dropFilter = (m) => m.type === MessageType.MsgApp;
    electLeader(cluster, 2);
    const leader = cluster.node(2).rawNode.raft;
    expect(leader.raftLog.committed).toBe(3);
    expect(leader.raftLog.lastIndex()).toBe(4);
    cluster.sent.length = 0;
    cluster.node(2).rawNode.readIndex(utf8Encode('early'));
    cluster.stabilize();
    // Commit index 3 might not be the latest (an old leader may have committed more), so the
    // read is held and no heartbeat round starts for it.
    expect(readsOf(cluster, 2)).toEqual([]);
    expect(leader.pendingReadIndexMessages.length).toBe(1);
    expect(cluster.sent.filter((m) => contextOf(m) === 'early')).toEqual([]);
    // Once its term's entry (index 4) commits, the held read is confirmed at that commit index.
    cluster.dropFilter = () => false;
    cluster.tickAll(1);
    cluster.stabilize();
    expect(leader.raftLog.committed).toBe(4);
    expect(readsOf(cluster, 2)).toEqual([{ index: 4, context: 'early' }]);
  });

  it('6.4 a follower forwards ReadIndex to the leader and receives the read state', () => {
    const cluster = clusterWithLeader();
    cluster.sent.length = 0;
    cluster.node(3).rawNode.readIndex(utf8Encode('from-3'));
    cluster.stabilize();
    const kinds = cluster.sent
      .filter((m) => m.type === MessageType.MsgReadIndex || m.type === MessageType.MsgReadIndexResp)
      .map((m) => [m.from, m.to, m.type, m.index]);
    expect(kinds).toEqual([
      [3, 1, MessageType.MsgReadIndex, 0],
      [1, 3, MessageType.MsgReadIndexResp, 3],
    ]);
    // The follower serves the read once it has applied up to the read index.
    expect(readsOf(cluster, 3)).toEqual([{ index: 3, context: 'from-3' }]);
    expect(readsOf(cluster, 1)).toEqual([]);
    expect(cluster.node(3).applied.at(-1)?.index).toBeGreaterThanOrEqual(3);
  });

  it('6.4 a follower without a leader drops the read', () => {
    const cluster = new TestCluster({ ids: [1, 2, 3] });
    cluster.node(2).rawNode.readIndex(utf8Encode('lost'));
    cluster.stabilize();
    expect(cluster.sent).toEqual([]);
    expect(readsOf(cluster, 2)).toEqual([]);
  });

  it('6.4.1 lease-based reads answer without a round trip and require CheckQuorum', () => {
    expect(
      () =>
        new RawNode({
          id: 1,
          electionTick: 10,
          heartbeatTick: 1,
          storage: new MemoryStorage(),
          maxInflightMsgs: 256,
          readOnlyOption: ReadOnlyOption.ReadOnlyLeaseBased,
          checkQuorum: false,
        }),
    ).toThrow(
      new RaftError('CheckQuorum must be enabled when ReadOnlyOption is ReadOnlyLeaseBased'),
    );

    const cluster = clusterWithLeader({ readOnlyOption: ReadOnlyOption.ReadOnlyLeaseBased });
    const leader = cluster.node(1).rawNode;
    leader.readIndex(utf8Encode('lease'));
    const rd = leader.ready();
    expect(rd.readStates.map((state) => [state.index, utf8Decode(state.requestCtx)])).toEqual([
      [3, 'lease'],
    ]);
    expect(rd.messages).toEqual([]);
    leader.advance(rd);

    // A follower's read costs one round trip to the leader and no heartbeat round.
    cluster.sent.length = 0;
    cluster.node(2).rawNode.readIndex(utf8Encode('lease-2'));
    cluster.stabilize();
    expect(cluster.sent.map((m) => m.type)).toEqual([
      MessageType.MsgReadIndex,
      MessageType.MsgReadIndexResp,
    ]);
    expect(readsOf(cluster, 2)).toEqual([{ index: 3, context: 'lease-2' }]);
  });

  it('a partitioned old leader cannot serve a safe read', () => {
    const cluster = clusterWithLeader();
    cluster.isolate(1);
    electLeader(cluster, 2);
    cluster.node(2).rawNode.propose(utf8Encode('x=3'));
    cluster.stabilize();
    expect(cluster.node(2).rawNode.raft.raftLog.committed).toBe(5);
    // Node 1 still believes it leads term 1; its read would miss x=3, and it is never answered.
    const old = cluster.node(1).rawNode;
    expect(old.raft.state).toBe(StateType.StateLeader);
    old.readIndex(utf8Encode('stale'));
    for (let i = 0; i < 5; i++) {
      old.tick();
      cluster.stabilize();
    }
    expect(readsOf(cluster, 1)).toEqual([]);
    // When the partition heals, the heartbeats meet the new term and the old leader steps down,
    // still without answering.
    cluster.heal();
    old.readIndex(utf8Encode('stale-2'));
    cluster.stabilize();
    cluster.tickAll(1);
    cluster.stabilize();
    expect(old.raft.state).toBe(StateType.StateFollower);
    expect(old.raft.term).toBe(2);
    expect(readsOf(cluster, 1)).toEqual([]);
  });

  it('reads with the same context are de-duplicated', () => {
    const cluster = clusterWithLeader();
    const leader = cluster.node(1).rawNode;
    leader.readIndex(utf8Encode('same'));
    leader.readIndex(utf8Encode('same'));
    expect(leader.raft.readOnly.pendingCount()).toBe(1);
    leader.readIndex(utf8Encode('other'));
    cluster.stabilize();
    expect(readsOf(cluster, 1)).toEqual([
      { index: 3, context: 'same' },
      { index: 3, context: 'other' },
    ]);
    expect(leader.raft.readOnly.pendingCount()).toBe(0);
  });

  it('a singleton leader answers at once', () => {
    const cluster = new TestCluster({ ids: [1] });
    electLeader(cluster, 1);
    const leader = cluster.node(1).rawNode;
    leader.propose(utf8Encode('x=1'));
    cluster.stabilize();
    expect(leader.raft.raftLog.committed).toBe(2);
    leader.readIndex(utf8Encode('solo'));
    const rd = leader.ready();
    expect(rd.readStates.map((state) => [state.index, utf8Decode(state.requestCtx)])).toEqual([
      [2, 'solo'],
    ]);
    expect(rd.messages).toEqual([]);
    leader.advance(rd);
    // The ReadState is handed out once.
    expect(leader.hasReady()).toBe(false);
  });
});
