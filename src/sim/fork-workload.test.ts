// The fork-workload intervention: from the point it is injected the clients draw from a new
// stream seeded by its salt, so the run's future changes while its past stays; the same salt at
// the same point gives the same future (it replays exactly), another salt another one.
import { describe, expect, it } from 'vitest';
import { createSimulation } from './run';
import type { Simulation } from './simulation';

const stepsAfter = 2_000;

function linesAfter(simulation: Simulation, salt: number | null): string[] {
  const lines: string[] = [];
  simulation.onEvent((record) => lines.push(...record.lines));
  if (salt !== null) simulation.inject({ kind: 'fork-workload', salt });
  for (let i = 0; i < stepsAfter && simulation.step(); i++) {
    // Each step adds its lines.
  }
  return lines;
}

describe('fork-workload: a new future for the clients from a past point', () => {
  it('changes what follows, replays exactly with the same salt, and keeps the checks green', () => {
    const base = createSimulation({ seed: 9, nodeCount: 3, nemesis: [] });
    for (let i = 0; i < 1_500; i++) base.step();
    const unforked = linesAfter(base.clone(), null);
    const forked = linesAfter(base.clone(), 2);
    const again = linesAfter(base.clone(), 2);
    const other = linesAfter(base.clone(), 3);
    expect(forked[0]).toMatch(/^\d+ inject fork-workload 2$/);
    expect(again).toEqual(forked);
    expect(forked.slice(1)).not.toEqual(unforked);
    expect(other.slice(1)).not.toEqual(forked.slice(1));
    expect(base.violationFound).toBeNull();
  });

  it('refuses a salt that is not a non-negative integer', () => {
    const simulation = createSimulation({ seed: 9, nodeCount: 3, nemesis: [] });
    expect(() => simulation.inject({ kind: 'fork-workload', salt: -1 })).toThrow(/salt must be/);
  });
});
