import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runSimulation } from '../run';
import { parseScenario } from './scenario';

const valid = {
  version: 1,
  nodes: 3,
  timeMs: 5_000,
  reads: 'lease',
  links: { latencyMsMax: 20, loss: [1, 10] },
  driftPpm: { '2': 20_000 },
  steps: [
    { atMs: 500, action: 'partition', shape: { kind: 'isolate', node: 1 } },
    { atMs: 1_500, action: 'heal' },
    { atMs: 2_000, action: 'crash', node: 2 },
    { atMs: 2_500, action: 'restart', node: 2 },
    { atMs: 3_000, action: 'pause', node: 3, durationMs: 400 },
    { atMs: 3_500, action: 'partition', shape: { kind: 'bridge', bridge: 2, sides: [[1], [3]] } },
  ],
};

function errorOf(scenario: unknown): string {
  const result = parseScenario(JSON.stringify(scenario));
  if (result.ok) throw new Error('expected an error');
  return result.error;
}

describe('scenario files', () => {
  it('parse into a plan with the faults they use', () => {
    const result = parseScenario(JSON.stringify(valid));
    if (!result.ok) throw new Error(result.error);
    const { scenario } = result;
    expect(scenario.nodeCount).toBe(3);
    expect(scenario.reads).toBe('lease');
    expect(scenario.plan.faults).toEqual([
      'partition',
      'crash',
      'pause',
      'loss',
      'latency',
      'clock',
    ]);
    expect(scenario.plan.links.lossRatio).toEqual({ numerator: 1, denominator: 10 });
    expect(scenario.plan.driftPpm).toEqual({ 1: 0, 2: 20_000, 3: 0 });
    expect(scenario.plan.steps[4]).toEqual({
      atMs: 3_000,
      action: { kind: 'pause', node: 3, durationMs: 400 },
    });
  });

  it('name the field in every error', () => {
    expect(parseScenario('{')).toMatchObject({ ok: false });
    expect(errorOf({ ...valid, version: 2 })).toBe('version: expected 1, got 2');
    expect(errorOf({ ...valid, nodes: 12 })).toBe('nodes: expected an integer in 1..9, got 12');
    expect(errorOf({ ...valid, colour: 'red' })).toMatch(/^scenario\.colour: unknown field/);
    expect(errorOf({ ...valid, reads: 'quorum' })).toBe(
      'reads: expected index | lease | log, got "quorum"',
    );
    expect(errorOf({ ...valid, links: { loss: [3, 2] } })).toBe(
      'links.loss[0]: expected an integer in 0..2, got 3',
    );
    const steps = [...valid.steps];
    steps[2] = { atMs: 2_000, action: 'crash', node: 7 };
    expect(errorOf({ ...valid, steps })).toBe('steps[2].node: expected an integer in 1..3, got 7');
    steps[2] = { atMs: 2_000, action: 'explode', node: 1 };
    expect(errorOf({ ...valid, steps })).toBe(
      'steps[2].action: expected partition | heal | crash | restart | pause, got "explode"',
    );
    steps[2] = { atMs: 100, action: 'crash', node: 1 };
    expect(errorOf({ ...valid, steps })).toBe(
      'steps[2].atMs: expected >= 1500 (steps in time order), got 100',
    );
    steps[2] = {
      atMs: 2_000,
      action: 'partition',
      shape: { kind: 'bridge', bridge: 1, sides: [[2]] },
    } as never;
    expect(errorOf({ ...valid, steps })).toBe('steps[2].shape.sides: expected 2 sides, got [[2]]');
    expect(errorOf({ ...valid, steps: [{ atMs: 6_000, action: 'heal' }] })).toBe(
      'steps[0].atMs: expected below timeMs 5000, got 6000',
    );
  });

  it('fix the run a shrunk scenario needs: seed, bugs, message size, engine ticks, workload', () => {
    const fixed = {
      ...valid,
      seed: 21,
      bugs: ['vote-before-persist'],
      maxSizePerMsg: 0,
      heartbeatTicks: 1,
      electionTicks: 5,
      workload: { clientCount: 2 },
    };
    const result = parseScenario(JSON.stringify(fixed));
    if (!result.ok) throw new Error(result.error);
    expect(result.scenario).toMatchObject({
      seed: 21,
      bugs: ['vote-before-persist'],
      maxSizePerMsg: 0,
      heartbeatTicks: 1,
      electionTicks: 5,
      workload: { clientCount: 2 },
    });
    expect(errorOf({ ...valid, electionTicks: 0 })).toBe(
      'electionTicks: expected an integer in 1..10000, got 0',
    );
  });

  it('replays the project scenario testdata/scenarios/five-faults.json cleanly', () => {
    const path = fileURLToPath(
      new URL('../../../testdata/scenarios/five-faults.json', import.meta.url),
    );
    const result = parseScenario(readFileSync(path, 'utf8'));
    if (!result.ok) throw new Error(result.error);
    const { nodeCount, timeMs, reads, plan } = result.scenario;
    expect(plan.faults).toHaveLength(8);
    const report = runSimulation({ seed: 1, nodeCount, timeMs, reads, plan });
    expect(
      report.failed,
      report.simulation.violation?.explanation ?? report.linearizability?.text,
    ).toBe(false);
    expect(report.simulation.leaderChanges).toBeGreaterThan(2);
  });
});
