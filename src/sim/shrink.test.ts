// Shrinking the Figure 8 failure (the figure8 bug switch): a sweep finds a failing seed, and the
// shrinker cuts its nemesis schedule while the run still breaks Leader Completeness; the scenario
// it writes replays on its own and fails the same way.
import { describe, expect, it } from 'vitest';
import { bugSearchOptions, searchBug } from './bug-search';
import { anchorsOf } from './shrink-anchored';
import { noOpSteps } from './shrink-candidates';
import type { Moment } from './shrink-observe';
import { runScenario, scenarioOf, shrink, type StepJson } from './shrink';
import { synthesize } from './shrink-synthesis';

describe('shrinking the Figure 8 failure (Raft §5.4.2)', () => {
  it('a sweep finds it, and the shrinker turns it into a handful of steps', () => {
    const found = searchBug('figure8', { first: 270, last: 300, bugOn: true });
    expect(found.seed, 'no figure8 failure in seeds 270..300').not.toBeNull();
    const result = shrink(
      { ...bugSearchOptions.figure8, seed: found.seed!, bugs: ['figure8'] },
      { runsMax: 1_000, seedsPerCandidate: 16 },
    );
    expect(result.kind).toBe('leader-completeness');
    expect(result.originalSteps).toBe(35);
    // Every step counted (a restart or a heal would count on its own): 35 -> 3 today, three
    // isolations that Figure 8's three leaderships hang on.
    expect(result.scenario.steps.length).toBeLessThanOrEqual(6);
    expect(result.scenario.bugs).toEqual(['figure8']);
    const replay = runScenario(result.scenario);
    expect(replay.simulation.violation?.invariant).toBe('leader-completeness');
    expect(replay.simulation.transcriptHash).toBe(result.report.simulation.transcriptHash);
  }, 120_000);
});

describe('shrinking a vote answered before it is persisted', () => {
  it('ends at one short crash of the voter between its answer and its next tick', () => {
    const result = shrink({
      ...bugSearchOptions['vote-before-persist'],
      seed: 21,
      bugs: ['vote-before-persist'],
    });
    expect(result.kind).toBe('election-safety');
    expect(result.scenario.steps.map((step) => step.action)).toEqual(['crash', 'restart']);
    expect(result.scenario.electionTicks).toBe(5);
    const replay = runScenario(result.scenario);
    expect(replay.simulation.transcriptHash).toBe(result.report.simulation.transcriptHash);
  }, 120_000);
});

describe('shrink candidates', () => {
  it('steps that change nothing are known from the steps alone', () => {
    const steps: StepJson[] = [
      { atMs: 0, action: 'heal' },
      { atMs: 1, action: 'restart', node: 1 },
      { atMs: 2, action: 'crash', node: 2 },
      { atMs: 3, action: 'pause', node: 2, durationMs: 5 },
      { atMs: 4, action: 'crash', node: 2 },
      { atMs: 5, action: 'partition', shape: { kind: 'isolate', node: 1 } },
      { atMs: 6, action: 'partition', shape: { kind: 'isolate', node: 1 } },
      { atMs: 7, action: 'restart', node: 2 },
      { atMs: 8, action: 'heal' },
    ];
    expect([...noOpSteps(steps)]).toEqual([0, 1, 3, 4, 6]);
  });
});

describe('anchors and synthesis', () => {
  it('a step is anchored to the last moment after the step before it, else to that step', () => {
    const steps: StepJson[] = [
      { atMs: 100, action: 'crash', node: 1 },
      { atMs: 180, action: 'restart', node: 1 },
      { atMs: 400, action: 'partition', shape: { kind: 'isolate', node: 2 } },
    ];
    const moments: Moment[] = [
      { atMs: 50, node: 2, kind: 'leader' },
      { atMs: 150, node: 3, kind: 'candidate' },
      { atMs: 200, node: 2, kind: 'commit' },
      { atMs: 300, node: 2, kind: 'commit' },
    ];
    expect(anchorsOf(steps, moments)).toEqual([
      { moment: { kind: 'leader', node: 2 }, ordinal: 0, offsetMs: 50 },
      { moment: { kind: 'candidate', node: 3 }, ordinal: 0, offsetMs: 30 },
      { moment: { kind: 'commit', node: 2 }, ordinal: 1, offsetMs: 100 },
    ]);
    expect(anchorsOf([{ atMs: 20, action: 'heal' }], moments)).toEqual([
      { moment: null, ordinal: 0, offsetMs: 20 },
    ]);
  });

  it('synthesis finds the Figure 8 failure in three isolations, the same way every time', () => {
    const base = {
      ...scenarioOf({ ...bugSearchOptions.figure8, seed: 275, bugs: ['figure8'] }),
      steps: [],
    };
    const search = (): { found: ReturnType<typeof synthesize>; runs: number } => {
      let runs = 0;
      const spendRun = (): boolean => ++runs <= 100;
      const found = synthesize({ base, invariant: 'leader-completeness', stepsMax: 3, spendRun });
      return { found, runs };
    };
    const first = search();
    expect(first.found?.steps.map((step) => step.action)).toEqual([
      'partition',
      'partition',
      'partition',
    ]);
    expect(search()).toEqual(first);
    const replay = runScenario(first.found!);
    expect(replay.simulation.violation?.invariant).toBe('leader-completeness');
  }, 60_000);
});
