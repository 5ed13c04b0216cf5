import { describe, expect, it } from 'vitest';
import { MessageType, type Message } from '../raft/types';
import { createCluster, type Cluster, type ClusterOptions, type EventRecord } from './cluster';
import { textData, type NodeSnapshot } from './node-snapshot';

function describeEvent(record: EventRecord): string {
  const { event } = record;
  const what =
    event.kind === 'deliver'
      ? `deliver ${describeSent(event.message)}`
      : event.kind === 'tick'
        ? `tick ${event.nodeId}`
        : `propose ${event.nodeId} accepted=${record.accepted}`;
  return `${record.timeMs}ms #${record.eventCount} ${what} => [${record.sent.map(describeSent).join(', ')}]`;
}

function describeSent(message: Message): string {
  return `${message.from}->${message.to} ${MessageType[message.type]} t${message.term} i${message.index} c${message.commit} n${message.entries.length}`;
}

/** Runs a cluster for durationMs with a proposal to the leader every 50 ms; returns its transcript. */
function transcript(options: ClusterOptions, durationMs: number): string[] {
  const lines: string[] = [];
  const cluster = createCluster({
    ...options,
    onEvent: (record) => lines.push(describeEvent(record)),
  });
  for (let timeMs = 50, n = 0; timeMs <= durationMs; timeMs += 50, n++) {
    cluster.runUntil(timeMs);
    const leader = leaderOf(cluster);
    if (leader !== undefined) cluster.propose(leader.id, textData(`v${n}`));
  }
  return lines;
}

function leaderOf(cluster: Cluster): NodeSnapshot | undefined {
  return cluster.snapshot({ logEntriesMax: 0 }).nodes.find((node) => node.role === 'leader');
}

function runUntilLeader(cluster: Cluster, timeMsMax: number): NodeSnapshot {
  while (cluster.now <= timeMsMax) {
    cluster.step();
    const leader = leaderOf(cluster);
    if (leader !== undefined) return leader;
  }
  throw new Error(`seed ${cluster.seed}: no leader by ${timeMsMax} ms`);
}

describe('deterministic cluster', () => {
  it('repeats the same transcript for the same seed', () => {
    const first = transcript({ nodeCount: 3, seed: 42 }, 2_000);
    const second = transcript({ nodeCount: 3, seed: 42 }, 2_000);
    expect(first.length).toBeGreaterThan(500);
    expect(second).toEqual(first);
  });

  it('gives a different transcript for a different seed', () => {
    expect(transcript({ nodeCount: 3, seed: 43 }, 1_000)).not.toEqual(
      transcript({ nodeCount: 3, seed: 42 }, 1_000),
    );
  });

  it('elects a leader within 1 s of simulated time (Raft §5.2), for many seeds', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const cluster = createCluster({ nodeCount: 3, seed });
      const leader = runUntilLeader(cluster, 1_000);
      expect(leader.term, `seed ${seed}`).toBeGreaterThan(0);
    }
  });

  it('never has two leaders in one term (Election Safety, Raft §5.2) across many elections', () => {
    for (const seed of [1, 2, 3]) {
      const leaderByTerm = new Map<number, number>();
      const cluster = createCluster({
        nodeCount: 5,
        seed,
        network: {
          latencyMsMin: 1,
          latencyMsMax: 30,
          dropRatio: { numerator: 1, denominator: 10 },
        },
        onEvent: () => {
          for (const node of cluster.snapshot({ logEntriesMax: 0 }).nodes) {
            if (node.role !== 'leader') continue;
            const known = leaderByTerm.get(node.term);
            if (known !== undefined && known !== node.id) {
              throw new Error(
                `seed ${seed}: nodes ${known} and ${node.id} both lead term ${node.term}`,
              );
            }
            leaderByTerm.set(node.term, node.id);
          }
        },
      });
      // Every second, cut the current leader off with one follower for half a second: the
      // majority elects a new leader while the old one still believes it leads (until CheckQuorum).
      for (let timeMs = 1_000; timeMs <= 20_000; timeMs += 1_000) {
        cluster.runUntil(timeMs);
        const leader = leaderOf(cluster);
        if (leader !== undefined) {
          const buddy = (leader.id % 5) + 1;
          cluster.partition([
            [leader.id, buddy],
            cluster.nodeIds.filter((id) => id !== leader.id && id !== buddy),
          ]);
        }
        cluster.runUntil(timeMs + 500);
        cluster.heal();
      }
      // The run must really change leaders, or it proves little.
      expect(leaderByTerm.size, `seed ${seed}`).toBeGreaterThan(10);
    }
  });

  it('commits proposals on every node, in the same order (Log Matching, Raft §5.3)', () => {
    const cluster = createCluster({ nodeCount: 3, seed: 7 });
    const leader = runUntilLeader(cluster, 1_000);
    const values = Array.from({ length: 10 }, (_, i) => `value-${i}`);
    for (const value of values) expect(cluster.propose(leader.id, textData(value))).toBe(true);
    cluster.runUntil(cluster.now + 500);
    const nodes = cluster.snapshot().nodes;
    for (const node of nodes) {
      const committed = node.log.filter(
        (entry) => entry.index <= node.applied && entry.dataText !== '',
      );
      expect(
        committed.map((entry) => entry.dataText),
        `node ${node.id}`,
      ).toEqual(values);
      expect(node.commit).toBe(node.lastIndex);
      expect(node.applied).toBe(node.commit);
    }
    expect(nodes[1].log).toEqual(nodes[0].log);
    expect(nodes[2].log).toEqual(nodes[0].log);
  });

  it('drops a proposal at a node that knows no leader', () => {
    const cluster = createCluster({ nodeCount: 3, seed: 1 });
    expect(cluster.propose(1, textData('too early'))).toBe(false);
  });
});
