// The built-in scenarios, in the order the picker lists them (digits 1..9 choose the first nine).
// Each file is validated when this module loads; a bad file stops the app with the file and the
// field named, rather than playing a scenario that says something untrue.
import type { RunConfig } from '../model/app-run';
import figure8 from './figure-8.json';
import firstElection from './first-election.json';
import leaderCrash from './leader-crash.json';
import leaseReadClockSkew from './lease-read-clock-skew.json';
import logReplication from './log-replication.json';
import partitionHeal from './partition-heal.json';
import prevoteCheckquorum from './prevote-checkquorum.json';
import readIndexClockSkew from './read-index-clock-skew.json';
import splitVote from './split-vote.json';
import { parseScenarioFile, type BuiltInScenario } from './scenario-file';

const files: [string, unknown][] = [
  ['first-election', firstElection],
  ['split-vote', splitVote],
  ['log-replication', logReplication],
  ['leader-crash', leaderCrash],
  ['partition-heal', partitionHeal],
  ['prevote-checkquorum', prevoteCheckquorum],
  ['figure-8', figure8],
  ['lease-read-clock-skew', leaseReadClockSkew],
  ['read-index-clock-skew', readIndexClockSkew],
];

/** Validates every file; throws one error listing every problem. */
export function loadScenarios(entries: readonly [string, unknown][]): BuiltInScenario[] {
  const scenarios: BuiltInScenario[] = [];
  const errors: string[] = [];
  for (const [name, json] of entries) {
    const result = parseScenarioFile(json, name);
    if (result.ok) scenarios.push(result.scenario);
    else errors.push(result.error);
  }
  if (errors.length > 0) throw new Error(`built-in scenarios are invalid:\n${errors.join('\n')}`);
  return scenarios;
}

export const builtInScenarios: readonly BuiltInScenario[] = loadScenarios(files);

export function scenarioById(id: string): BuiltInScenario | undefined {
  return builtInScenarios.find((scenario) => scenario.id === id);
}

/** The run a scenario plays: its seed, its node count and its fixed plan and options. */
export function runConfigOf(scenario: BuiltInScenario): RunConfig {
  return {
    seed: scenario.seed,
    nodeCount: scenario.nodeCount,
    nemesis: scenario.options.plan?.faults ?? [],
    scenario: { id: scenario.id, options: scenario.options },
  };
}
