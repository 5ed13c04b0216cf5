import { describe, expect, it } from 'vitest';
import { formatEnginesUrl, formatMigrationUrl, isMigrationUrl, parseMigrationUrl } from './migration-url';

describe('the migration page URL', () => {
  it('round-trips scenario, seed and step', () => {
    const search = formatMigrationUrl({ scenario: 'bug-no-peers-file', seed: 12, step: 40 });
    expect(isMigrationUrl(search)).toBe(true);
    expect(parseMigrationUrl(search)).toMatchObject({ view: 'migration', scenario: 'bug-no-peers-file', seed: 12, step: 40, problems: [] });
  });

  it('round-trips the side-by-side seed, faults and time', () => {
    const search = formatEnginesUrl({ seed: 3, nemesis: ['loss', 'crash'], timeMs: 1500 });
    expect(parseMigrationUrl(search)).toMatchObject({ view: 'engines', seed: 3, nemesis: ['crash', 'loss'], timeMs: 1500, problems: [] });
    expect(parseMigrationUrl('?view=engines&nemesis=none').nemesis).toEqual([]);
  });

  it('says what it ignored', () => {
    const parsed = parseMigrationUrl('?view=migration&scenario=nope&seed=-1&step=x&nemesis=flood');
    expect(parsed).toMatchObject({ scenario: 'migration', seed: 1, step: null, nemesis: ['partition', 'crash'] });
    expect(parsed.problems).toEqual([
      'scenario=nope ignored: not a migration scenario',
      'seed=-1 ignored: a whole number from 0 to 2147483647',
      'step=x ignored: a whole number from 0 to 1000000',
      'nemesis=flood ignored: unknown flood (known: partition, crash, pause, loss, duplicate, reorder, latency, clock)',
    ]);
    expect(isMigrationUrl('?seed=3')).toBe(false);
  });
});
