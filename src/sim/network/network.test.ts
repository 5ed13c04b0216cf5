import { describe, expect, it } from 'vitest';
import { MessageType, makeMessage } from '../../raft/types';
import { createRandomStreams } from '../random-streams';
import { FaultyNetwork, quietLinks, type LinkFaults } from './faulty-network';
import { Partitions, cutLinks, describePartition, type PartitionShape } from './partitions';

const ids = [1, 2, 3, 4, 5];
const message = (from: number, to: number) =>
  makeMessage({ type: MessageType.MsgHeartbeat, from, to });

function reachable(shape: PartitionShape): string[] {
  const partitions = new Partitions(ids);
  partitions.apply(shape);
  const links: string[] = [];
  for (const from of ids)
    for (const to of ids)
      if (from !== to && partitions.connected(from, to)) links.push(`${from}>${to}`);
  return links;
}

describe('partitions', () => {
  it('symmetric: nodes talk only within their side; a node on no side is alone', () => {
    expect(
      reachable({
        kind: 'symmetric',
        sides: [
          [1, 2],
          [3, 4],
        ],
      }),
    ).toEqual(['1>2', '2>1', '3>4', '4>3']);
  });

  it('one-way: the cut direction only', () => {
    const links = reachable({ kind: 'one-way', from: [1], to: [2, 3] });
    expect(links).not.toContain('1>2');
    expect(links).not.toContain('1>3');
    expect(links).toContain('2>1');
    expect(links).toContain('1>4');
  });

  it('isolate: one node hears nobody and nobody hears it', () => {
    const links = reachable({ kind: 'isolate', node: 3 });
    expect(links.filter((link) => link.includes('3'))).toEqual([]);
    expect(links).toHaveLength(12);
  });

  it('majority-minority: the minority still talks among itself', () => {
    const links = reachable({ kind: 'majority-minority', majority: [1, 2, 3] });
    expect(links).toContain('4>5');
    expect(links).not.toContain('3>4');
    expect(links).toContain('1>3');
  });

  it('bridge: the bridge talks to both sides, the sides not to each other', () => {
    const links = reachable({
      kind: 'bridge',
      bridge: 3,
      sides: [
        [1, 2],
        [4, 5],
      ],
    });
    for (const other of [1, 2, 4, 5]) expect(links).toContain(`3>${other}`);
    expect(links).not.toContain('1>4');
    expect(links).not.toContain('5>2');
    expect(
      describePartition({
        kind: 'bridge',
        bridge: 3,
        sides: [
          [1, 2],
          [4, 5],
        ],
      }),
    ).toBe('bridge 3 {1,2}|{4,5}');
  });

  it('heal reconnects everything; bad shapes are refused', () => {
    const partitions = new Partitions(ids);
    partitions.apply({ kind: 'isolate', node: 1 });
    partitions.heal();
    expect(partitions.connected(1, 2)).toBe(true);
    expect(() => partitions.apply({ kind: 'isolate', node: 9 })).toThrow(/node 9/);
    expect(() => partitions.apply({ kind: 'symmetric', sides: [[1], [1, 2]] })).toThrow(/twice/);
    expect(cutLinks({ kind: 'symmetric', sides: [ids] }, ids)).toEqual([]);
  });
});

function network(faults: Partial<LinkFaults>, seed = 1): FaultyNetwork {
  return new FaultyNetwork(createRandomStreams(seed).stream('network'), ids, {
    ...quietLinks,
    ...faults,
  });
}

describe('faulty network', () => {
  it('keeps every latency within [min, max] around a per-link base', () => {
    const net = network({ latencyMsMin: 10, latencyMsMax: 40, jitterMs: 5 });
    for (let i = 0; i < 500; i++) {
      const [at] = net.route(message(1, 2), 1_000).deliverAtMs;
      expect(at - 1_000).toBeGreaterThanOrEqual(Math.max(10, net.baseLatencyOf(1, 2) - 5));
      expect(at - 1_000).toBeLessThanOrEqual(Math.min(40, net.baseLatencyOf(1, 2) + 5));
    }
  });

  it('loses, duplicates and holds back messages at integer-ratio rates', () => {
    const all = { numerator: 1, denominator: 1 };
    expect(network({ lossRatio: all }).route(message(1, 2), 0)).toEqual({
      deliverAtMs: [],
      lostBecause: 'loss',
    });
    expect(network({ duplicateRatio: all }).route(message(1, 2), 0).deliverAtMs).toHaveLength(2);
    const net = network({ lossRatio: { numerator: 1, denominator: 4 } });
    let lost = 0;
    for (let i = 0; i < 4_000; i++)
      if (net.route(message(1, 2), 0).deliverAtMs.length === 0) lost++;
    expect(lost).toBeGreaterThan(850);
    expect(lost).toBeLessThan(1_150);
  });

  it('reorders: a held-back message arrives after one sent later', () => {
    const net = network({
      reorderRatio: { numerator: 1, denominator: 2 },
      reorderDelayMsMax: 50,
      jitterMs: 0,
    });
    let overtaken = 0;
    for (let t = 0; t < 200; t++) {
      const [first] = net.route(message(1, 2), t).deliverAtMs;
      const [second] = net.route(message(1, 2), t + 1).deliverAtMs;
      if (second < first) overtaken++;
    }
    expect(overtaken).toBeGreaterThan(20);
  });

  it('cuts messages across a partition at send time', () => {
    const net = network({});
    net.partitions.apply({ kind: 'one-way', from: [1], to: [2] });
    expect(net.route(message(1, 2), 0).lostBecause).toBe('partition');
    expect(net.route(message(2, 1), 0).deliverAtMs).toHaveLength(1);
  });

  it('draws the same stream whatever the ratios, so one fault does not reshuffle another', () => {
    const quiet = network({ latencyMsMax: 30, jitterMs: 3 }, 9);
    const lossy = network(
      { latencyMsMax: 30, jitterMs: 3, lossRatio: { numerator: 1, denominator: 2 } },
      9,
    );
    const times = (net: FaultyNetwork) =>
      Array.from({ length: 50 }, () => net.route(message(2, 3), 0).deliverAtMs[0] ?? null);
    const a = times(quiet);
    const b = times(lossy);
    b.forEach((time, i) => {
      if (time !== null) expect(time).toBe(a[i]);
    });
    expect(b.filter((time) => time === null).length).toBeGreaterThan(10);
  });
});
