// Random runs of the core under message loss and shifting partitions: at most one leader per term
// (5.2, checked by the harness on every step), applied logs never disagree (5.4.3 State Machine
// Safety), and after healing every server applies the same commands.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../raft/random';
import { appliedCommands, CoreHarness } from './core-harness';
import { LogType, RaftRole } from './types';

function expectPrefixes(harness: CoreHarness): void {
  const logs = [...harness.servers.values()].map((server) => server.applied.map((e) => `${e.index}/${e.term}/${e.type}`));
  for (const a of logs) {
    for (const b of logs) {
      const shorter = a.length <= b.length ? a : b;
      const longer = a.length <= b.length ? b : a;
      expect(longer.slice(0, shorter.length)).toEqual(shorter);
    }
  }
}

function runScenario(seed: number, size: 3 | 5): void {
  const ids = size === 3 ? [1, 2, 3] : [1, 2, 3, 4, 5];
  const harness = new CoreHarness(ids, seed);
  const random = seededRandom(seed);
  harness.dropPercent = 10;
  let proposed = 0;
  for (let round = 0; round < 60; round++) {
    if (random.intn(4) === 0) {
      harness.heal();
      if (random.intn(2) === 0) harness.isolate(ids[random.intn(ids.length)]);
    }
    for (let i = 0; i < 3; i++) {
      const leader = harness.leader();
      if (leader !== null && harness.get(leader).raft.role === RaftRole.Leader) {
        const result = harness.get(leader).raft.apply(new TextEncoder().encode(`c${proposed++}`), harness.nowMs);
        harness.collect(harness.get(leader));
        expect(result.ok || result.error === 'ErrTooManyInflight').toBe(true);
      }
    }
    harness.run(5);
    expectPrefixes(harness);
  }
  harness.heal();
  harness.dropPercent = 0;
  // A command may be lost with a leader that steps down at once: the client retries.
  const converged = () => [...harness.servers.values()].every((s) => appliedCommands(s).includes('final'));
  for (let attempt = 0; attempt < 5 && !converged(); attempt++) {
    harness.runUntil(() => harness.leader() !== null, 400, 'a leader after healing');
    harness.propose('final');
    for (let i = 0; i < 100 && !converged(); i++) harness.step();
  }
  expect(converged(), `convergence (seed ${seed})`).toBe(true);
  expectPrefixes(harness);
  const reference = appliedCommands(harness.get(ids[0]));
  for (const server of harness.servers.values()) expect(appliedCommands(server)).toEqual(reference);
  // Every applied entry is one the log still holds at that index and term on every server.
  for (const server of harness.servers.values()) {
    for (const entry of server.applied) {
      const held = server.raft.log.get(entry.index);
      if (held !== undefined) expect([held.term, held.type]).toEqual([entry.term, entry.type]);
    }
    expect(server.applied.filter((e) => e.type === LogType.Noop).length).toBeGreaterThan(0);
  }
}

describe('core safety under loss and partitions', () => {
  it('3 servers', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => runScenario(seed, 3)), { numRuns: 40 });
  });

  it('5 servers', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => runScenario(seed, 5)), { numRuns: 40 });
  });
});
