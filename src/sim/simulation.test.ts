import { describe, expect, it } from 'vitest';
import { faultKinds } from './nemesis/plan';
import { createSimulation, resolveRunOptions, runSimulation } from './run';
import type { NodeView } from '../checker/invariants/node-view';

const allFaults = [...faultKinds];

describe('simulation determinism', () => {
  it('gives the same transcript hash for the same seed and options, run twice', () => {
    const options = { seed: 11, nodeCount: 5, timeMs: 5_000, nemesis: allFaults } as const;
    const first = runSimulation(options);
    const second = runSimulation(options);
    expect(first.simulation.eventCount).toBeGreaterThan(5_000);
    expect(second.simulation.transcriptHash).toBe(first.simulation.transcriptHash);
    expect(second.history).toEqual(first.history);
    expect(runSimulation({ ...options, seed: 12 }).simulation.transcriptHash).not.toBe(
      first.simulation.transcriptHash,
    );
  });

  it('keeps the named streams apart: the read path does not change the nemesis plan', () => {
    const index = resolveRunOptions({ seed: 5, nodeCount: 3, timeMs: 10_000, reads: 'index' });
    const log = resolveRunOptions({ seed: 5, nodeCount: 3, timeMs: 10_000, reads: 'log' });
    expect(log.plan).toEqual(index.plan);
    // Nor does the workload's rate: it draws from its own stream.
    const busier = resolveRunOptions({
      seed: 5,
      nodeCount: 3,
      timeMs: 10_000,
      reads: 'index',
      workload: { opsPerSecond: 400 },
    });
    expect(busier.plan).toEqual(index.plan);
  });

  it('prints every parameter the seed chose', () => {
    const plan = resolveRunOptions({
      seed: 3,
      nodeCount: 3,
      timeMs: 10_000,
      nemesis: allFaults,
    }).plan;
    const names = plan.parameters.map(([name]) => name);
    for (const name of [
      'latency',
      'loss',
      'duplicate',
      'reorder',
      'clock drift',
      'partition gap mean',
      'crash gap mean',
      'pause gap mean',
    ]) {
      expect(names).toContain(name);
    }
  });
});

describe('swarm sweep (safety phase with every fault, then liveness)', () => {
  it('20 seeds, 3-5 nodes, 10 s each: no invariant violation, linearizable, liveness converges', () => {
    const failures: string[] = [];
    let ok = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const report = runSimulation({
        seed,
        nodeCount: 3 + (seed % 3),
        timeMs: 10_000,
        nemesis: allFaults,
      });
      ok += report.counts.ok;
      const { violation, liveness } = report.simulation;
      if (violation !== null)
        failures.push(`seed ${seed}: ${violation.invariant}: ${violation.explanation}`);
      if (liveness?.converged !== true)
        failures.push(`seed ${seed}: liveness: ${JSON.stringify(liveness)}`);
      if (report.linearizability?.verdict !== 'linearizable')
        failures.push(`seed ${seed}: ${report.linearizability?.text}`);
    }
    expect(
      failures,
      'reproduce with: npx raftlab run --seed N --nodes 3+N%3 --time 10s --nemesis all',
    ).toEqual([]);
    // The runs must do real work, or they prove little.
    expect(ok).toBeGreaterThan(20 * 50);
  }, 60_000);

  it('checks a node that handled no Ready against its last view, which is still how it is', () => {
    // The invariants skip a node whose event produced no Ready (most ticks): its view must be
    // exactly what a fresh one would say, after every event of a run with every fault.
    const simulation = createSimulation({
      seed: 3,
      nodeCount: 5,
      timeMs: 4_000,
      nemesis: allFaults,
    });
    const plain = (view: NodeView): object => ({ ...view, termAt: undefined });
    while (simulation.step()) {
      const checked = (simulation as unknown as { lastViews: NodeView[] }).lastViews;
      const fresh = simulation.nodeViews();
      for (let i = 0; i < fresh.length; i++) expect(plain(checked[i])).toEqual(plain(fresh[i]));
    }
    expect(simulation.processedEventCount).toBeGreaterThan(4_000);
  });
});
