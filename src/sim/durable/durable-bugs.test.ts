// The bug switches on the durable engines: each is a real mistake in that engine's own code path
// (the HashiCorp-style engine's in src/engines/hashicorp; etcd's core through the etcd host, and
// the etcd host's own Ready loop for apply-before-commit), and a sweep of at most 1,000 seeds
// with the bug's search options catches it. A sweep from seed 1
// found each bug's first failing seed offline (durable-bug-search.ts); here a few seeds ending at
// it must fail with the bug on, and the same seeds must all pass with it off.
import { describe, expect, it } from 'vitest';
import { bugNames, type BugName } from '../bugs';
import { durableBugSearches, sweepDurableBug } from './durable-bug-search';
import { durableBugs, durableBugsRefusal, prepareDurableRun, type DurableEngine } from './durable-run';

const seedsMax = 1_000;
/** Seeds each test runs, ending at the first failing one. */
const seedsRun = 3;

describe('durable bug switches: a seed sweep catches each mistake on each engine', () => {
  for (const engine of ['hashicorp', 'etcd'] as const satisfies readonly DurableEngine[]) {
    for (const [bug, search] of Object.entries(durableBugSearches[engine]) as [BugName, { firstFailingSeed: number }][]) {
      it(`${engine} ${bug}: found by seed ${search.firstFailingSeed} (<= ${seedsMax}), absent with the bug off`, async () => {
        expect(search.firstFailingSeed).toBeLessThanOrEqual(seedsMax);
        const first = Math.max(1, search.firstFailingSeed - seedsRun + 1);
        const last = search.firstFailingSeed;
        const on = await sweepDurableBug(engine, bug, { first, last, bugOn: true });
        expect(on.seed, `no failure for ${bug} on ${engine} in seeds ${first}..${last}`).toBe(last);
        const off = await sweepDurableBug(engine, bug, { first, last, bugOn: false });
        expect(off.failure, `bug off, seed ${off.seed} failed`).toBeNull();
      }, 60_000);
    }
  }

  it('every bug a durable engine implements has a search, and both engines implement every bug', () => {
    for (const engine of ['hashicorp', 'etcd'] as const) {
      expect(Object.keys(durableBugSearches[engine]).sort()).toEqual([...durableBugs[engine]].sort());
      expect(durableBugsRefusal(engine, bugNames)).toBeNull();
    }
    // A name a host does not implement (none today) is refused, not ignored.
    expect(durableBugsRefusal('etcd', ['no-such-bug' as BugName])).toMatch(
      /^bug no-such-bug is not available on the durable etcd host \(available: [a-z0-9-]+(, [a-z0-9-]+)*\)$/,
    );
    expect(() => prepareDurableRun({ seed: 1, engine: 'hashicorp', bugs: ['lease-no-clock-bound'] })).toThrow(
      'lease-no-clock-bound needs --reads lease',
    );
  });
});
