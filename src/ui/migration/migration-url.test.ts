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

  it('round-trips a membership scenario with added steps', () => {
    const steps = [{ atMs: 1200, action: { kind: 'addLearner', node: 5 } }, { atMs: 1500, action: { kind: 'remove', node: 'leader' } }] as const;
    const search = formatEnginesUrl({ seed: 4, nemesis: [], timeMs: 800, scenario: 'replace-server', steps: [...steps] });
    expect(search).toBe('?view=engines&scenario=replace-server&seed=4&t=800&steps=1200-addLearner-5,1500-remove-leader');
    expect(parseMigrationUrl(search)).toMatchObject({ view: 'engines', enginesScenario: 'replace-server', seed: 4, timeMs: 800, steps, problems: [] });
    expect(parseMigrationUrl('?view=engines&scenario=migration&steps=1-x').problems).toEqual([
      'scenario=migration ignored: not a membership scenario',
      'steps=1-x ignored: step 1-x: expected <ms>-<addVoter|addLearner|promote|demote|remove|crash|restart|isolate|heal>-<node>',
    ]);
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
