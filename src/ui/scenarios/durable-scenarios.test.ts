// The HashiCorp durable scenario plays as its caption says (transcript line n is event n): the
// leader isolated at event 231 steps down by its lease at event 254 with no message from anyone,
// and node 3 wins term 5 at event 418; the picker's URL names the engine.
import { describe, expect, it } from 'vitest';
import { runDurableSimulation } from '../../sim/durable/durable-run';
import { isDurableUrl } from '../durable/durable-page';
import { durableScenarioById, durableScenarioUrl } from './durable-scenarios';

describe('hashicorp-lease-step-down', () => {
  const scenario = durableScenarioById('hashicorp-lease-step-down')!;

  it('opens durable mode on the HashiCorp engine', () => {
    expect(durableScenarioUrl(scenario)).toBe(
      '?durable=1&scenario=hashicorp-lease-step-down&engine=hashicorp&seed=18&nodes=3&nemesis=partition',
    );
    expect(isDurableUrl(durableScenarioUrl(scenario))).toBe(true);
  });

  it('the isolated leader steps down when its lease runs out', async () => {
    const report = await runDurableSimulation({
      seed: scenario.seed,
      nodeCount: scenario.nodeCount,
      nemesis: scenario.nemesis,
      diskFaults: scenario.diskFaults,
      engine: scenario.engine,
      transcriptLinesKeptMax: 500,
    });
    const lines = report.simulation.transcriptLines;
    expect(lines[230]).toBe('254 nemesis partition isolate 1');
    expect(lines[253]).toMatch(
      /^291 tick 1 \| .*warn: 1: failed to contact quorum of nodes, stepping down$/,
    );
    expect(lines.slice(231, 253).some((line) => /^\d+ deliver \d->1 /.test(line))).toBe(false);
    expect(lines[417]).toMatch(/^645 deliver 2->3 #\d+ RequestVoteResponse term=5 granted=true/);
    expect(report.failed).toBe(false);
  });
});
