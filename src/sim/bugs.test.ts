// Each bug switch is a real Raft mistake; a sweep of at most 1,000 seeds with the bug's search
// options must find a failure (an invariant violation or a non-linearizable history), and the
// same sweep over a shorter range, and the failing seed itself, must pass with the bug off.
import { describe, expect, it } from 'vitest';
import { searchBug } from './bug-search';
import { bugNames, describeBugList, isBugName } from './bugs';

const seedsMax = 1_000;
const cleanSeeds = 120;

describe('bug switches: a seed sweep catches each mistake', () => {
  it('lists every bug with a description', () => {
    const list = describeBugList();
    for (const name of bugNames) expect(list).toMatch(new RegExp(`^${name} +\\S`, 'm'));
    expect(isBugName('figure8')).toBe(true);
    expect(isBugName('figure9')).toBe(false);
  });

  for (const bug of bugNames) {
    it(`${bug}: found within ${seedsMax} seeds, and absent with the bug off`, () => {
      const found = searchBug(bug, { first: 1, last: seedsMax, bugOn: true });
      expect(found.seed, `no failure for ${bug} in seeds 1..${seedsMax}`).not.toBeNull();
      const clean = searchBug(bug, { first: 1, last: cleanSeeds, bugOn: false });
      expect(clean.failure, `bug off, seed ${clean.seed} failed`).toBeNull();
      // The very seed that fails with the bug passes without it: the bug made the difference.
      const same = searchBug(bug, { first: found.seed!, last: found.seed!, bugOn: false });
      expect(same.failure, `bug off, seed ${found.seed} failed`).toBeNull();
    });
  }
});
