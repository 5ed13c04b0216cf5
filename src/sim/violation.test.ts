// The violation path end to end: corrupt one node's persisted log behind the engine's back and
// check that the run stops at the next event with the event, the nodes and an explanation.
import { describe, expect, it } from 'vitest';
import type { MemoryStorage } from '../raft/log/log-storage';
import { createSimulation } from './run';
import type { Simulation } from './simulation';

function storageOf(sim: Simulation, id: number): MemoryStorage {
  // Test-only access to a node's disk: no public API may corrupt a node.
  const nodes = (sim as unknown as { nodes: Map<number, { storage: MemoryStorage }> }).nodes;
  return nodes.get(id)!.storage;
}

describe('a violated invariant stops the run', () => {
  it('reports the event, every node and a short explanation', () => {
    const sim = createSimulation({
      seed: 8,
      nodeCount: 3,
      timeMs: 5_000,
      nemesis: [],
      reads: 'log',
    });
    sim.runUntil(2_000);
    const follower = sim.nodeViews().find((view) => view.role === 'follower')!;
    expect(follower.commit).toBeGreaterThan(5);
    // Rewrite a committed entry's term on the follower's disk: the next commit it learns,
    // or the next leader it becomes, disagrees with the cluster's committed log.
    const storage = storageOf(sim, follower.id);
    const entries = (storage as unknown as { ents: { index: number; term: number }[] }).ents;
    const victim = entries.find((entry) => entry.index === follower.commit)!;
    victim.term += 100;
    sim.inject({ kind: 'crash', node: follower.id });
    sim.inject({ kind: 'restart', node: follower.id });
    const result = sim.run();
    const violation = result.violation!;
    expect(violation).not.toBeNull();
    expect(violation.nodeIds).toContain(follower.id);
    expect(violation.explanation).toMatch(new RegExp(`index ${victim.index}`));
    expect(violation.nodes.map((node) => node.id)).toEqual([1, 2, 3]);
    expect(violation.event).toMatch(/^\d+ /);
    expect(result.liveness).toBeNull();
    expect(result.endMs).toBeLessThan(5_000);
  });
});
