// A person's interventions beyond crash and restart (campaign, leader transfer, conf changes,
// messages and links tampered with, client operations): recorded in the trace, replayed
// exactly on seek, and reproduced from their text form in a fresh run.
import { describe, expect, it } from 'vitest';
import type { InterventionAction } from '../../sim/interventions';
import { AppRun } from './app-run';
import { formatIntervention, parseIntervention } from './intervention-text';
import { parseUrl, formatUrl } from '../store/url';

const config = { seed: 7, nodeCount: 5, nemesis: [] as const };

function leaderOf(run: AppRun): number {
  const leader = run.nodeStates().find((node) => node.role === 'leader');
  if (leader === undefined) throw new Error('no leader');
  return leader.id;
}

describe('AppRun interventions', () => {
  it('transfers leadership (Raft thesis §3.10) and keeps the transfer across a rewind', () => {
    const run = new AppRun({ ...config, nemesis: [] });
    run.seek(400);
    const before = leaderOf(run);
    const target = before === 1 ? 2 : 1;
    const line = run.intervene({ kind: 'transfer-leadership', to: target });
    expect(line).toContain(`transfer-leadership to ${target}`);
    // The leader's catch-up append is a flight the trace records, with its in-flight id.
    expect(run.trace.flights.at(-1)).toMatchObject({ sentEvent: 400, from: before });
    run.seek(900);
    expect(leaderOf(run)).toBe(target);
    const states = run.nodeStates();
    run.seek(10);
    run.seek(900);
    expect(run.nodeStates()).toEqual(states);
  });

  it('drops a message in flight: its flight ends lost from that event on, not before', () => {
    const run = new AppRun({ ...config, nemesis: [] });
    run.seek(300);
    const flight = [...run.trace.flights]
      .reverse()
      .find(
        (item) =>
          item.flightId !== null &&
          item.sentEvent < 300 &&
          item.arriveMs !== null &&
          item.arriveMs > run.nowMs,
      )!;
    run.intervene({ kind: 'drop-message', flightId: flight.flightId! });
    expect(flight.droppedAt).toEqual({ eventCount: 300, timeMs: run.nowMs });
    run.intervene({ kind: 'drop-message', flightId: flight.flightId! });
    expect(run.trace.faults.at(-1)!.text).toContain('(not in flight)');
    // A fork before the drop (but after the sending) forgets the drop and keeps the flight.
    expect(flight.sentEvent).toBeLessThan(300);
    run.seek(flight.sentEvent);
    run.intervene({ kind: 'campaign', node: 3 });
    expect(run.trace.flights).toContain(flight);
    expect(flight.droppedAt).toBeNull();
  });

  it('replays every kind of intervention from its text in a fresh run, to the same state', () => {
    const run = new AppRun({ ...config, nemesis: [] });
    run.seek(300);
    const flight = [...run.trace.flights]
      .reverse()
      .find(
        (item) => item.flightId !== null && item.arriveMs !== null && item.arriveMs > run.nowMs,
      )!;
    const actions: InterventionAction[] = [
      { kind: 'duplicate-message', flightId: flight.flightId!, delayMs: 5 },
      { kind: 'cut-link', from: 1, to: 3 },
      {
        kind: 'link-faults',
        from: 2,
        to: 4,
        extraLatencyMs: 50,
        lossRatio: { numerator: 1, denominator: 3 },
      },
      { kind: 'client', command: { f: 'put', key: 'k:~1', value: 'a b' } },
      { kind: 'client', command: { f: 'cas', key: 'k', from: null, to: 'x' } },
      { kind: 'membership', node: 5, change: 'remove' },
      { kind: 'campaign', node: 4 },
    ];
    for (const action of actions) run.intervene(action);
    run.seek(1_500);
    const texts = run.interventionList.map((item) => formatIntervention(item)!);
    const url = formatUrl({
      config: run.config,
      position: 1_500,
      interventions: run.interventionList,
    });
    const shared = parseUrl(url);
    expect(shared.problems).toEqual([]);
    expect(shared.interventions).toEqual(texts.map((text) => parseIntervention(text)));
    const other = new AppRun(shared.config, shared.interventions);
    other.seek(1_500);
    expect(other.nodeStates()).toEqual(run.nodeStates());
    expect(other.trace.events.map((event) => event.line)).toEqual(
      run.trace.events.slice(0, 1_500).map((event) => event.line),
    );
    expect(other.history()).toEqual(run.history());
    expect(other.cutLinks()).toEqual(run.cutLinks());
  });

  it('records the engines’ log lines at their events', () => {
    const run = new AppRun({ ...config, nemesis: [] });
    run.seek(400);
    const leader = leaderOf(run);
    expect(
      run.trace.engineLog.some(
        (line) => line.node === leader && line.text === `${leader} became leader at term 1`,
      ),
    ).toBe(true);
  });
});

describe('intervention text', () => {
  it('refuses malformed items instead of guessing', () => {
    for (const text of [
      'x:crash:1',
      '5:crash',
      '5:member:2:demote',
      '5:link:1:2:0:3/2',
      '5:client:cas:k:x:y',
      '5:dup:1:999999',
    ])
      expect(parseIntervention(text), text).toBeNull();
  });
});
