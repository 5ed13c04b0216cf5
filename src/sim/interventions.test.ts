import { describe, expect, it } from 'vitest';
import { createSimulation } from './run';
import type { Simulation } from './simulation';
import type { SimEventRecord } from './simulation-events';

/** A quiet 3-node cluster (no faults, no workload to speak of) with a leader. */
function quietCluster(): Simulation {
  const simulation = createSimulation({
    seed: 3,
    nodeCount: 3,
    timeMs: 30_000,
    nemesis: [],
    workload: { opsPerSecond: 1, clientCount: 1 },
  });
  stepUntil(simulation, () => leaderOf(simulation) !== null);
  return simulation;
}

function leaderOf(simulation: Simulation): number | null {
  return simulation.nodeIds.find((id) => simulation.nodeSummary(id).role === 'leader') ?? null;
}

function stepUntil(simulation: Simulation, done: () => boolean, eventsMax = 20_000): void {
  for (let i = 0; i < eventsMax; i++) {
    if (done()) return;
    if (!simulation.step()) break;
  }
  if (!done()) throw new Error('condition not reached');
}

describe('interventions', () => {
  it('campaign: the node starts an election at once (a pre-candidate: PreVote is on)', () => {
    const simulation = quietCluster();
    const follower = simulation.nodeIds.find((id) => id !== leaderOf(simulation))!;
    const line = simulation.inject({ kind: 'campaign', node: follower });
    expect(line).toMatch(new RegExp(`inject campaign ${follower} \\| MsgPreVote ${follower}>`));
    expect(simulation.nodeSummary(follower).role).toBe('pre-candidate');
  });

  it('transfer-leadership: the target becomes leader', () => {
    const simulation = quietCluster();
    const target = simulation.nodeIds.find((id) => id !== leaderOf(simulation))!;
    simulation.inject({ kind: 'transfer-leadership', to: target });
    stepUntil(simulation, () => leaderOf(simulation) === target);
    expect(simulation.nodeDetail(target).role).toBe('leader');
  });

  it('membership: remove, make a learner, add back — each applied once committed', () => {
    const simulation = quietCluster();
    const leader = leaderOf(simulation)!;
    const other = simulation.nodeIds.find((id) => id !== leader)!;
    const voters = (): number[] => simulation.nodeDetail(leader).configuration.voters;
    simulation.inject({ kind: 'membership', node: other, change: 'remove' });
    stepUntil(simulation, () => !voters().includes(other));
    const entries = simulation.nodeDetail(leader).log;
    expect(
      entries.some((entry) => entry.type !== 'normal' && entry.text.includes(`r${other}`)),
    ).toBe(true);
    simulation.inject({ kind: 'membership', node: other, change: 'add-learner' });
    stepUntil(simulation, () =>
      simulation.nodeDetail(leader).configuration.learners.includes(other),
    );
    stepUntil(simulation, () => simulation.nodeSummary(other).role === 'learner');
    simulation.inject({ kind: 'membership', node: other, change: 'add-voter' });
    stepUntil(
      simulation,
      () => voters().includes(other) && simulation.nodeSummary(other).role === 'follower',
    );
  });

  it('drop-message and duplicate-message act on one message in flight', () => {
    const simulation = quietCluster();
    const records: SimEventRecord[] = [];
    simulation.onEvent((record) => records.push(record));
    stepUntil(simulation, () => simulation.inFlight().length >= 2);
    const [dropped, doubled] = simulation.inFlight();
    expect(simulation.inject({ kind: 'drop-message', flightId: dropped.flightId })).toMatch(
      /drop-message f\d+$/,
    );
    expect(simulation.inFlight().map((flight) => flight.flightId)).not.toContain(dropped.flightId);
    const line = simulation.inject({
      kind: 'duplicate-message',
      flightId: doubled.flightId,
      delayMs: 3,
    });
    const copyId = Number(/as f(\d+)/.exec(line)![1]);
    const copy = simulation.inFlight().find((flight) => flight.flightId === copyId)!;
    expect(copy.deliverAtMs).toBe(doubled.deliverAtMs + 3);
    expect(copy.message).toEqual(doubled.message);
    simulation.runUntil(copy.deliverAtMs);
    const delivered = records.flatMap((record) =>
      record.delivered === null ? [] : [record.delivered.flightId],
    );
    expect(delivered).not.toContain(dropped.flightId);
    expect(delivered).toContain(doubled.flightId);
    expect(delivered).toContain(copyId);
    expect(simulation.inject({ kind: 'drop-message', flightId: dropped.flightId })).toMatch(
      /\(not in flight\)$/,
    );
  });

  it('cut-link cuts one direction only; link-faults add latency and loss; restore-link heals', () => {
    const simulation = quietCluster();
    const leader = leaderOf(simulation)!;
    const [a, b] = simulation.nodeIds.filter((id) => id !== leader);
    const records: SimEventRecord[] = [];
    simulation.onEvent((record) => records.push(record));
    simulation.inject({ kind: 'cut-link', from: leader, to: a });
    simulation.inject({
      kind: 'link-faults',
      from: leader,
      to: b,
      extraLatencyMs: 40,
      lossRatio: { numerator: 0, denominator: 1 },
    });
    expect(simulation.cutLinks()).toEqual([{ from: leader, to: a, because: 'cut' }]);
    simulation.runUntil(simulation.now + 200);
    const sent = records.flatMap((record) => record.sent);
    const toA = sent.filter((item) => item.message.from === leader && item.message.to === a);
    const fromA = sent.filter((item) => item.message.from === a && item.message.to === leader);
    expect(toA.length).toBeGreaterThan(0);
    expect(toA.every((item) => item.lostBecause === 'cut')).toBe(true);
    expect(fromA.every((item) => item.lostBecause === null)).toBe(true);
    const toB = records
      .flatMap((record) => record.sent.map((item) => ({ item, at: record.timeMs })))
      .filter(({ item }) => item.message.from === leader && item.message.to === b);
    expect(toB.length).toBeGreaterThan(0);
    expect(toB.every(({ item, at }) => item.deliverAtMs.every((t) => t - at >= 41))).toBe(true);
    simulation.inject({
      kind: 'link-faults',
      from: leader,
      to: b,
      extraLatencyMs: 0,
      lossRatio: { numerator: 1, denominator: 1 },
    });
    simulation.inject({ kind: 'restore-link', from: leader, to: a });
    records.length = 0;
    simulation.runUntil(simulation.now + 200);
    const after = records
      .flatMap((record) => record.sent)
      .filter((item) => item.message.from === leader);
    expect(
      after.filter((item) => item.message.to === b).every((item) => item.lostBecause === 'loss'),
    ).toBe(true);
    expect(
      after.filter((item) => item.message.to === a).every((item) => item.lostBecause === null),
    ).toBe(true);
    expect(simulation.linkState().overrides).toEqual([
      {
        from: leader,
        to: b,
        override: { cut: false, extraLatencyMs: 0, lossRatio: { numerator: 1, denominator: 1 } },
      },
    ]);
  });

  it('client operations by hand go into the history and take effect', () => {
    const simulation = quietCluster();
    simulation.inject({ kind: 'client', command: { f: 'put', key: 'hand', value: 'v1' } });
    const handClient = simulation.history().at(-1)!.process;
    expect(simulation.history().at(-1)).toMatchObject({
      type: 'invoke',
      f: 'put',
      key: 'hand',
      value: 'v1',
    });
    stepUntil(simulation, () =>
      simulation.history().some((event) => event.process === handClient && event.type === 'ok'),
    );
    simulation.inject({ kind: 'client', command: { f: 'cas', key: 'hand', from: 'v1', to: 'v2' } });
    stepUntil(
      simulation,
      () =>
        simulation.history().filter((event) => event.process === handClient && event.type === 'ok')
          .length === 2,
    );
    const leader = leaderOf(simulation)!;
    stepUntil(simulation, () => simulation.valueAt(leader, 'hand') === 'v2');
    expect(() => simulation.inject({ kind: 'client', command: { f: 'get', key: '' } })).toThrow(
      /needs a key/,
    );
  });
});
