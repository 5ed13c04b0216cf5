import { describe, expect, it } from 'vitest';
import { describeMessage } from '../raft/describe';
import type { Message } from '../raft/types';
import { createCluster, type Cluster, type ClusterOptions } from './cluster';
import { eventLogEntriesMax, type EventLogEntry } from './event-log';

function leaderOf(cluster: Cluster) {
  return cluster.snapshot({ logEntriesMax: 0 }).nodes.find((node) => node.role === 'leader');
}

/** Runs seed 1 until a leader exists; returns the cluster and the messages each event sent. */
function runToLeader(options: Partial<ClusterOptions> = {}) {
  const sentByEvent = new Map<number, Message[]>();
  const cluster = createCluster({
    nodeCount: 3,
    seed: 1,
    ...options,
    onEvent: (record) => sentByEvent.set(record.eventCount, record.sent),
  });
  while (leaderOf(cluster) === undefined) {
    if (cluster.now > 1_000) throw new Error('seed 1: no leader by 1 s');
    cluster.step();
  }
  return { cluster, leader: leaderOf(cluster)!, sentByEvent };
}

const logLines = (entries: EventLogEntry[]) => entries.filter((entry) => entry.kind === 'log');

describe('the event log', () => {
  it("captures the engine's log lines in etcd's wording, with node, time and level", () => {
    const { cluster, leader } = runToLeader();
    const entries = cluster.eventLog.entries();
    const lines = logLines(entries);
    // Node construction logs etcd's newRaft line before any event.
    expect(lines[0]).toMatchObject({ nodeId: 1, timeMs: 0, eventCount: 0, level: 'INFO' });
    expect(lines.map((line) => line.text)).toContain(
      'newRaft 2 [peers: [1,2,3], term: 0, commit: 1, applied: 1, lastindex: 1, lastterm: 1]',
    );
    const becameLeader = lines.filter((line) => line.text.includes('became leader at term'));
    expect(becameLeader).toHaveLength(1);
    expect(becameLeader[0]).toMatchObject({
      nodeId: leader.id,
      level: 'INFO',
      text: `${leader.id} became leader at term ${leader.term}`,
      timeMs: cluster.now,
      eventCount: cluster.eventCount,
    });
    // PreVote is on: the leader went through etcd's pre-candidate and candidate lines first.
    const leaderTexts = lines.filter((line) => line.nodeId === leader.id).map((l) => l.text);
    expect(leaderTexts).toContain(`${leader.id} became pre-candidate at term ${leader.term - 1}`);
    expect(leaderTexts).toContain(`${leader.id} became candidate at term ${leader.term}`);
  });

  it('describes every message sent with describeMessage, in the order the event sent them', () => {
    const { cluster, sentByEvent } = runToLeader({ eventLogEntriesMax: 100_000 });
    cluster.runUntil(cluster.now + 50);
    const messages = cluster.eventLog.entries().filter((entry) => entry.kind === 'message');
    for (const [eventCount, sent] of sentByEvent) {
      const logged = messages.filter(
        (entry) => entry.eventCount === eventCount && entry.fate !== 'delivered',
      );
      expect(logged.map((entry) => entry.text)).toEqual(sent.map((m) => describeMessage(m)));
      for (const [i, entry] of logged.entries()) expect(entry.nodeId).toBe(sent[i].from);
    }
    for (const entry of messages) {
      expect(entry.text).toMatch(/^[0-9a-f]+->[0-9a-f]+ Msg\w+ Term:\d+ Log:\d+\/\d+/);
    }
    // The leader's first append carries its empty entry, in etcd's format.
    const leader = leaderOf(cluster)!;
    const firstApp = messages.find((entry) => entry.text.includes(' MsgApp '))!;
    expect(firstApp.text).toMatch(
      new RegExp(
        `^${leader.id}->\\d MsgApp Term:${leader.term} Log:1/1 Commit:1 Entries:\\[${leader.term}/2 EntryNormal ""\\]$`,
      ),
    );
    // A delivery is logged at the receiver, before the lines its step produces.
    const delivered = messages.filter((entry) => entry.fate === 'delivered');
    expect(delivered.length).toBeGreaterThan(0);
    for (const entry of delivered) {
      expect(entry.text.split(' ')[0].split('->')[1]).toBe(entry.nodeId.toString(16));
    }
  });

  it('keeps only the newest eventLogEntriesMax entries, in order', () => {
    const full = runToLeader({ eventLogEntriesMax: 100_000 }).cluster;
    full.runUntil(4_000);
    const bounded = runToLeader({ eventLogEntriesMax: 50 }).cluster;
    bounded.runUntil(4_000);
    const all = full.eventLog.entries();
    expect(all.length).toBeGreaterThan(eventLogEntriesMax);
    expect(bounded.eventLog.appendedCount).toBe(all.length);
    expect(bounded.eventLog.entries()).toEqual(all.slice(-50));
    const times = all.map((entry) => entry.timeMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(all.map((entry) => entry.sequence)).toEqual(all.map((_, i) => i));
    const byDefault = createCluster({ nodeCount: 3, seed: 1 });
    byDefault.runUntil(4_000);
    expect(byDefault.eventLog.entries()).toEqual(all.slice(-eventLogEntriesMax));
  });

  it('records nothing at eventLogEntriesMax 0, and recording does not change the run', () => {
    const off = runToLeader({ eventLogEntriesMax: 0 }).cluster;
    const on = runToLeader().cluster;
    off.runUntil(1_000);
    on.runUntil(1_000);
    expect(off.eventLog.entries()).toEqual([]);
    expect(off.eventLog.appendedCount).toBe(0);
    expect(off.snapshot()).toEqual(on.snapshot());
  });
});
