// Shrinking the Figure 8 failure (the figure8 bug switch): a sweep finds a failing seed, and the
// shrinker cuts its nemesis schedule while the run still breaks Leader Completeness; the scenario
// it writes replays on its own and fails the same way.
import { describe, expect, it } from 'vitest';
import { bugSearchOptions, searchBug } from './bug-search';
import { runScenario, shrink } from './shrink';

describe('shrinking the Figure 8 failure (Raft §5.4.2)', () => {
  it('a sweep finds it, and the shrinker keeps it with about half the nemesis steps', () => {
    const found = searchBug('figure8', { first: 270, last: 300, bugOn: true });
    expect(found.seed, 'no figure8 failure in seeds 270..300').not.toBeNull();
    const result = shrink(
      { ...bugSearchOptions.figure8, seed: found.seed!, bugs: ['figure8'] },
      { runsMax: 1_000, seedsPerCandidate: 16 },
    );
    expect(result.kind).toBe('leader-completeness');
    // Not yet the handful of steps the issue asks for: see BENCHMARKS.md / ARCHITECTURE.md.
    expect(result.scenario.steps.length).toBeLessThanOrEqual(result.originalSteps / 1.5);
    const replay = runScenario(result.scenario);
    expect(replay.simulation.violation?.invariant).toBe('leader-completeness');
    expect(replay.simulation.transcriptHash).toBe(result.report.simulation.transcriptHash);
  }, 120_000);
});
