// The built-in scenarios: every file is valid, and each one, run to its end, shows what its
// captions say: every caption fires, in order, and the run breaks exactly the invariant (or
// gives exactly the linearizability verdict) the scenario expects.
import { describe, expect, it } from 'vitest';
import { AppRun } from '../model/app-run';
import { activeCaptionIndex, captionFirings } from './captions';
import { builtInScenarios, loadScenarios, runConfigOf, scenarioById } from './catalog';
import { parseScenarioFile } from './scenario-file';
import firstElection from './first-election.json';

const eventsMax = 200_000;

describe('built-in scenario files', () => {
  it('loads every scenario, each with a unique id', () => {
    expect(builtInScenarios.length).toBeGreaterThanOrEqual(9);
    expect(new Set(builtInScenarios.map((scenario) => scenario.id)).size).toBe(
      builtInScenarios.length,
    );
    expect(scenarioById('split-vote')?.nodeCount).toBe(4);
  });

  it('names the file and the field of each error', () => {
    const broken = structuredClone(firstElection) as Record<string, unknown>;
    const captions = broken.captions as Record<string, unknown>[];
    captions[1] = { when: { role: 'boss' }, text: 'x' };
    expect(parseScenarioFile(broken, 'first-election')).toEqual({
      ok: false,
      error:
        'first-election.json: captions[1].when.role: expected follower | pre-candidate | candidate | leader | learner | down, got "boss"',
    });
    const badRun = { ...firstElection, run: { ...firstElection.run, nodes: 12 } };
    expect(parseScenarioFile(badRun, 'first-election')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^first-election\.json: run: nodes: expected an integer in 1\.\.9/),
    });
    expect(parseScenarioFile(firstElection, 'other-name')).toMatchObject({
      ok: false,
      error: expect.stringContaining('id: expected the file\'s name "other-name"'),
    });
    expect(() => loadScenarios([['x', { version: 2 }]])).toThrow(/x\.json: version: expected 1/);
  });
});

describe('each scenario shows what its captions say', () => {
  for (const scenario of builtInScenarios) {
    it(`${scenario.id}: every caption fires in order and the outcome is as expected`, () => {
      const run = new AppRun(runConfigOf(scenario));
      for (let i = 0; i < eventsMax && run.step(); i++) {
        // Run to the end.
      }
      expect(run.done, `${scenario.id} did not end within ${eventsMax} events`).toBe(true);
      const firings = captionFirings(scenario.captions, {
        trace: run.trace,
        violationEvent: run.violation?.eventCount ?? null,
        endEvent: run.eventCount,
      });
      expect(firings.map((firing) => firing.text)).toHaveLength(scenario.captions.length);
      for (const [index, firing] of firings.entries()) {
        expect(firing.text).not.toMatch(/\{node\}|\{term\}/);
        expect(activeCaptionIndex(firings, firing.eventCount)).toBeGreaterThanOrEqual(index);
      }
      expect(run.violation?.invariant ?? null).toBe(scenario.expect.violation);
      if (scenario.expect.linearizability !== null)
        expect(run.checkHistory().verdict).toBe(scenario.expect.linearizability);
    });
  }
});
