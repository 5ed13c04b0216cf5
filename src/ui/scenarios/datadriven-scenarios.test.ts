// The built-in datadriven and durable scenarios: each datadriven one names a reviewed file of
// testdata/interaction, plays it to the end with the output the file records (what its caption
// describes is what the harness does), and opens from the picker or `?scenario=<id>` in the
// datadriven panel; the torn-write seed really tears a WAL write and the node recovers from it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DatadrivenPlayback } from '../model/datadriven-playback';
import { appStore } from '../store/app-store';
import { parseUrl } from '../store/url';
import { isDurableUrl } from '../durable/durable-page';
import { runDurableSimulation } from '../../sim/durable/durable-run';
import { builtInScenarios } from './catalog';
import { datadrivenScenarioById, datadrivenScenarios } from './datadriven-scenarios';
import { durableScenarioById, durableScenarioOf, durableScenarios, durableScenarioUrl } from './durable-scenarios';
import {
  leaveDatadrivenScenario,
  openDatadrivenScenario,
  shownDatadrivenScenarioId,
} from './open-datadriven-scenario';

const interactionFolder = new URL('../../../testdata/interaction/', import.meta.url);
const captionLengthMax = 400;

describe('built-in datadriven scenarios', () => {
  it('have ids unique among every built-in scenario and short captions', () => {
    const ids = [...builtInScenarios, ...datadrivenScenarios, ...durableScenarios].map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(datadrivenScenarios.map((s) => s.id)).toEqual([
      'snapshot-catch-up',
      'joint-consensus',
      'learner-promotion',
      'leader-transfer',
    ]);
    for (const scenario of [...datadrivenScenarios, ...durableScenarios])
      expect(scenario.caption.length, scenario.id).toBeLessThanOrEqual(captionLengthMax);
  });

  it.each(datadrivenScenarios.map((s) => [s.id, s] as const))(
    '%s loads its reviewed file and plays it to the end as the file records',
    async (_id, scenario) => {
      const text = await scenario.load();
      expect(text).toBe(readFileSync(new URL(scenario.fileName, interactionFolder), 'utf8'));
      const opened = DatadrivenPlayback.open(text, scenario.fileName);
      if (!opened.ok) throw new Error(opened.error);
      const playback = opened.playback;
      while (playback.runNext() !== null) {
        // One command at a time, as the panel's Next does.
      }
      expect(playback.stopped).toBe(false);
      expect(playback.results).toHaveLength(playback.commands.length);
      const differing = playback.results.flatMap((result, index) =>
        result.matchesFile ? [] : [playback.commands[index].pos],
      );
      expect(differing).toEqual([]);
    },
  );

  it('each one says what its file shows: MsgSnap, a joint config, a learner, MsgTimeoutNow', async () => {
    const expected: Record<string, RegExp> = {
      'snapshot-catch-up': /MsgSnap/,
      'joint-consensus': /voters=\(1 4 5\)&&\(1 2 3\)/,
      'learner-promotion': /learners_next/,
      'leader-transfer': /MsgTimeoutNow/,
    };
    for (const scenario of datadrivenScenarios) {
      expect(scenario.caption, scenario.id).toMatch(expected[scenario.id]);
      expect(await scenario.load(), scenario.id).toMatch(expected[scenario.id]);
    }
  });

  it('opens in the datadriven panel, which the picker then shows, until left', async () => {
    await openDatadrivenScenario('joint-consensus');
    const state = appStore.getState().datadriven;
    expect(state).toMatchObject({
      panelOpen: true,
      fileName: 'joint_double_auto_leave.txt',
      scenarioId: 'joint-consensus',
      position: -1,
    });
    expect(state.commands.map((command) => command.directive)).toContain('propose-conf-change 1');
    expect(shownDatadrivenScenarioId(state)).toBe('joint-consensus');
    expect(shownDatadrivenScenarioId({ ...state, panelOpen: false })).toBeNull();
    leaveDatadrivenScenario();
    expect(appStore.getState().datadriven.scenarioId).toBeNull();
    await expect(openDatadrivenScenario('nope')).rejects.toThrow(/known: snapshot-catch-up/);
  });

  it('a later open overtakes a slower earlier one', async () => {
    const first = openDatadrivenScenario('snapshot-catch-up');
    const second = openDatadrivenScenario('leader-transfer');
    await Promise.all([first, second]);
    expect(appStore.getState().datadriven.scenarioId).toBe('leader-transfer');
    expect(appStore.getState().datadriven.fileName).toBe('leader_transfer_caught_up.txt');
  });

  it('is reachable by URL: ?scenario=<id> names it, with no problem reported', () => {
    const parsed = parseUrl('?scenario=snapshot-catch-up');
    expect(parsed.problems).toEqual([]);
    expect(parsed.datadrivenScenario).toBe('snapshot-catch-up');
    expect(parsed.config.scenario).toBeUndefined();
    expect(parseUrl('?scenario=first-election').datadrivenScenario).toBeNull();
    expect(parseUrl('?scenario=nope').problems[0]).toMatch(
      /known scenarios are .*split-vote.*snapshot-catch-up.*leader-transfer, torn-write, hashicorp-lease-step-down$/,
    );
    expect(datadrivenScenarioById('leader-transfer')?.title).toBe('Leader transfer');
  });
});

describe('built-in durable scenarios', () => {
  it('open durable mode by id, or by the URL the picker holds', () => {
    const tornWrite = durableScenarioById('torn-write')!;
    expect(durableScenarioUrl(tornWrite)).toBe(
      '?durable=1&scenario=torn-write&seed=6&nodes=3&nemesis=crash%2Ctorn-writes',
    );
    expect(isDurableUrl('?scenario=torn-write')).toBe(true);
    expect(isDurableUrl(durableScenarioUrl(tornWrite))).toBe(true);
    expect(isDurableUrl('?scenario=first-election')).toBe(false);
    expect(durableScenarioOf('?scenario=torn-write')).toBe(tornWrite);
    expect(parseUrl('?scenario=torn-write').datadrivenScenario).toBeNull();
  });

  it('torn-write: node 1 crashes mid-write with 13 bytes on disk, and recovery drops them', async () => {
    const scenario = durableScenarioById('torn-write')!;
    const report = await runDurableSimulation({
      seed: scenario.seed,
      nodeCount: scenario.nodeCount,
      nemesis: scenario.nemesis,
      diskFaults: scenario.diskFaults,
      transcriptLinesKeptMax: 3_000,
    });
    const lines = report.simulation.transcriptLines;
    // Transcript line n is event n (the caption names events 1506 and 2218).
    expect(lines[1505]).toMatch(/^915 .* \| down: simulated crash after 13 bytes of a write$/);
    expect(lines[2217]).toMatch(
      /^2056 nemesis restart 1 \| warn: wal: torn record at the tail of .* dropping 13 bytes of an incomplete write$/,
    );
    expect(report.failed).toBe(false);
  });
});
