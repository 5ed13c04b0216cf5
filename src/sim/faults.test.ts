// One focused story per fault, told with the scenario builder (`inject`) on a quiet network.
import { describe, expect, it } from 'vitest';
import type { NodeView } from '../checker/invariants/node-view';
import type { NemesisPlan } from './nemesis/plan';
import { quietLinks, type LinkFaults } from './network/faulty-network';
import type { ReadMode } from './process/kv-node';
import { createSimulation, runSimulation } from './run';
import type { Simulation } from './simulation';

function quietPlan(nodeCount: number, overrides: Partial<NemesisPlan> = {}): NemesisPlan {
  const driftPpm: Record<number, number> = {};
  for (let id = 1; id <= nodeCount; id++) driftPpm[id] = 0;
  return {
    faults: [],
    source: 'scenario',
    links: quietLinks,
    driftPpm,
    steps: [],
    parameters: [],
    ...overrides,
  };
}

function simulation(
  nodeCount: number,
  options: { plan?: NemesisPlan; reads?: ReadMode; seed?: number } = {},
): Simulation {
  return createSimulation({
    seed: options.seed ?? 1,
    nodeCount,
    timeMs: 20_000,
    reads: options.reads ?? 'index',
    plan: options.plan ?? quietPlan(nodeCount),
    transcriptLinesKeptMax: 200_000,
  });
}

function leaderOf(sim: Simulation): NodeView {
  const leaders = sim.nodeViews().filter((view) => view.up && view.role === 'leader');
  const top = leaders.reduce<NodeView | undefined>(
    (best, view) => (best === undefined || view.term > best.term ? view : best),
    undefined,
  );
  if (top === undefined) throw new Error(`no leader at ${sim.now} ms`);
  return top;
}

function viewOf(sim: Simulation, id: number): NodeView {
  return sim.nodeViews().find((view) => view.id === id)!;
}

/** Runs on and asserts no invariant broke on the way. */
function advance(sim: Simulation, byMs: number): void {
  sim.runUntil(sim.now + byMs);
  expect(sim.violationFound?.explanation ?? null).toBeNull();
}

function finish(sim: Simulation) {
  const result = sim.run();
  expect(result.violation, result.violation?.explanation).toBeNull();
  expect(result.liveness?.converged, JSON.stringify(result.liveness)).toBe(true);
  return result;
}

describe('process faults', () => {
  it('crash keeps exactly the persisted state; restart rebuilds the node from it and catches up', () => {
    const sim = simulation(3);
    advance(sim, 2_000);
    const leader = leaderOf(sim);
    const before = viewOf(sim, leader.id);
    sim.inject({ kind: 'crash', node: leader.id });
    const down = viewOf(sim, leader.id);
    expect(down.up).toBe(false);
    expect(down.durable).toEqual(before.durable);
    expect(down.lastIndex).toBe(before.lastIndex);
    advance(sim, 2_000);
    const next = leaderOf(sim);
    expect(next.id).not.toBe(leader.id);
    expect(next.term).toBeGreaterThan(before.term);
    expect(next.commit).toBeGreaterThan(before.commit);
    sim.inject({ kind: 'restart', node: leader.id });
    advance(sim, 2_000);
    const restarted = viewOf(sim, leader.id);
    expect(restarted.up).toBe(true);
    expect(restarted.role).toBe('follower');
    expect(restarted.applied).toBeGreaterThanOrEqual(next.commit);
    for (const key of ['k0', 'k1', 'k2']) {
      const current = leaderOf(sim);
      if (viewOf(sim, leader.id).applied === current.applied)
        expect(sim.valueAt(leader.id, key)).toBe(sim.valueAt(current.id, key));
    }
    const lines = sim.result().transcriptLines;
    expect(lines.some((line) => / lost:down$/.test(line))).toBe(true);
  });

  it('pause (a long GC): the node neither ticks nor handles messages, then resumes and steps down', () => {
    const sim = simulation(3);
    advance(sim, 2_000);
    const leader = leaderOf(sim);
    const before = viewOf(sim, leader.id);
    sim.inject({ kind: 'pause', node: leader.id, durationMs: 1_500 });
    advance(sim, 1_400);
    const frozen = viewOf(sim, leader.id);
    expect(frozen.role).toBe('leader');
    expect(frozen.commit).toBe(before.commit);
    expect(frozen.term).toBe(before.term);
    const next = leaderOf(sim);
    expect(next.id).not.toBe(leader.id);
    advance(sim, 1_000);
    const resumed = viewOf(sim, leader.id);
    expect(resumed.role).toBe('follower');
    expect(resumed.term).toBe(next.term);
    const lines = sim.result().transcriptLines;
    expect(lines.some((line) => line.includes(`tick ${leader.id} paused`))).toBe(true);
    expect(lines.some((line) => line.endsWith('deferred:paused'))).toBe(true);
  });
});

describe('partitions', () => {
  it('isolating the leader: the majority elects a new one and keeps committing', () => {
    const sim = simulation(5);
    advance(sim, 2_000);
    const old = leaderOf(sim);
    sim.inject({ kind: 'partition', shape: { kind: 'isolate', node: old.id } });
    advance(sim, 2_000);
    const next = leaderOf(sim);
    expect(next.id).not.toBe(old.id);
    const stale = viewOf(sim, old.id);
    // CheckQuorum makes the isolated leader step down; it cannot commit anything new.
    expect(stale.role).not.toBe('leader');
    expect(stale.commit).toBeLessThan(next.commit);
    finish(sim);
  });

  it('majority/minority: the minority side commits nothing', () => {
    const sim = simulation(5);
    advance(sim, 2_000);
    const leader = leaderOf(sim);
    const majority = [1, 2, 3, 4, 5].filter((id) => id !== leader.id).slice(0, 3);
    const minority = [1, 2, 3, 4, 5].filter((id) => !majority.includes(id));
    sim.inject({ kind: 'partition', shape: { kind: 'majority-minority', majority } });
    advance(sim, 300);
    const commits = minority.map((id) => viewOf(sim, id).commit);
    advance(sim, 2_000);
    expect(minority.map((id) => viewOf(sim, id).commit)).toEqual(commits);
    expect(majority).toContain(leaderOf(sim).id);
    finish(sim);
  });

  it('one-way: a leader that can hear but not speak is replaced', () => {
    const sim = simulation(3);
    advance(sim, 2_000);
    const old = leaderOf(sim);
    const others = [1, 2, 3].filter((id) => id !== old.id);
    sim.inject({ kind: 'partition', shape: { kind: 'one-way', from: [old.id], to: others } });
    advance(sim, 2_000);
    expect(leaderOf(sim).id).not.toBe(old.id);
    expect(viewOf(sim, old.id).role).not.toBe('leader');
    finish(sim);
  });

  it('bridge: two sides joined only through one node still make progress', () => {
    const sim = simulation(5);
    advance(sim, 2_000);
    sim.inject({
      kind: 'partition',
      shape: {
        kind: 'bridge',
        bridge: 3,
        sides: [
          [1, 2],
          [4, 5],
        ],
      },
    });
    const commit = leaderOf(sim).commit;
    advance(sim, 4_000);
    expect(leaderOf(sim).commit).toBeGreaterThan(commit);
    finish(sim);
  });

  it('symmetric split and heal: the sides rejoin one leader', () => {
    const sim = simulation(5);
    advance(sim, 1_000);
    sim.inject({
      kind: 'partition',
      shape: {
        kind: 'symmetric',
        sides: [
          [1, 2],
          [3, 4, 5],
        ],
      },
    });
    advance(sim, 2_000);
    sim.inject({ kind: 'heal' });
    advance(sim, 2_000);
    const leader = leaderOf(sim);
    for (const view of sim.nodeViews())
      if (view.id !== leader.id) expect(view.lead).toBe(leader.id);
  });
});

describe('link faults and clocks', () => {
  const withLinks = (links: Partial<LinkFaults>, timeMs = 4_000) =>
    runSimulation({
      seed: 2,
      nodeCount: 3,
      timeMs,
      reads: 'log',
      plan: quietPlan(3, { links: { ...quietLinks, ...links } }),
      transcriptLinesKeptMax: 100_000,
    });

  it('total loss: no leader in the safety phase, then the liveness phase converges', () => {
    const report = withLinks({ lossRatio: { numerator: 1, denominator: 1 } });
    expect(report.simulation.leaderChanges).toBe(1);
    expect(
      report.simulation.transcriptLines.filter(
        (line) => / deliver /.test(line) && Number(line.split(' ')[0]) < 4_000,
      ),
    ).toEqual([]);
    expect(report.simulation.liveness?.converged).toBe(true);
    expect(report.failed).toBe(false);
  });

  it('duplication, reordering and loss together keep every invariant and linearizability', () => {
    const report = withLinks(
      {
        lossRatio: { numerator: 1, denominator: 10 },
        duplicateRatio: { numerator: 1, denominator: 3 },
        reorderRatio: { numerator: 1, denominator: 3 },
        reorderDelayMsMax: 40,
        latencyMsMax: 30,
        jitterMs: 10,
      },
      8_000,
    );
    const sends = report.simulation.transcriptLines.join('\n');
    expect(sends).toMatch(/@\d+,@\d+/);
    expect(report.counts.ok).toBeGreaterThan(100);
    expect(report.failed, report.linearizability?.text).toBe(false);
    expect(report.linearizability?.verdict).toBe('linearizable');
  });

  it('clock drift: a node at +50% ticks two thirds as often', () => {
    const plan = quietPlan(3, { driftPpm: { 1: 500_000, 2: 0, 3: 0 } });
    const report = runSimulation({
      seed: 4,
      nodeCount: 3,
      timeMs: 3_000,
      reads: 'log',
      plan,
      transcriptLinesKeptMax: 200_000,
    });
    const ticks = (id: number) =>
      report.simulation.transcriptLines.filter(
        (line) => line.includes(` tick ${id}`) && Number(line.split(' ')[0]) < 3_000,
      ).length;
    expect(ticks(2)).toBeGreaterThanOrEqual(299);
    expect(ticks(1)).toBeGreaterThanOrEqual(199);
    expect(ticks(1)).toBeLessThanOrEqual(201);
  });
});

describe('reads', () => {
  for (const reads of ['index', 'lease', 'log'] as const) {
    it(`serve linearizable gets through ${reads} reads under crashes and partitions`, () => {
      const report = runSimulation({
        seed: 21,
        nodeCount: 3,
        timeMs: 8_000,
        reads,
        nemesis: ['crash', 'partition', 'pause'],
      });
      expect(report.options.reads).toBe(reads);
      expect(report.failed, report.linearizability?.text).toBe(false);
      expect(
        report.history.some(
          (event) => event.f === 'get' && event.type === 'ok' && event.value !== null,
        ),
      ).toBe(true);
    });
  }
});
