// The migration page's address: `?view=migration&scenario=<id>&seed=<n>&step=<frame>` (a shared
// step is the same recorded state, since a seed always records the same frames) and
// `?view=engines&seed=<n>&nemesis=<faults>&t=<ms>` for the two engines side by side under a seed's
// faults, or `?view=engines&scenario=<membership scenario>&seed=<n>&t=<ms>&steps=<added steps>`
// for a membership scenario (membership-scenarios.ts; steps as `1200-addLearner-5,...`).
import { faultKinds, type FaultKind } from '../../sim/nemesis/plan';
import { isMigrationScenarioId, type MigrationScenarioId } from './migration-catalog';
import { formatScriptSteps, isMembershipScenarioId, parseScriptSteps, type ScriptStep } from './membership-scenarios';

export type MigrationPageView = 'migration' | 'engines';

export interface MigrationUrlState {
  view: MigrationPageView;
  scenario: MigrationScenarioId;
  seed: number;
  /** The frame to show; null for the first. */
  step: number | null;
  nemesis: FaultKind[];
  /** Simulated ms the side-by-side view starts at. */
  timeMs: number;
  /** The side by side's membership scenario; null for the seed's faults. */
  enginesScenario: string | null;
  /** Membership steps a person added to the scenario. */
  steps: ScriptStep[];
  problems: string[];
}

export const defaultMigrationSeed = 1;
export const defaultEnginesNemesis: FaultKind[] = ['partition', 'crash'];
export const seedMax = 2 ** 31 - 1;
/** The side-by-side view's safety phase, ms; its time control stops at the end of the run. */
export const enginesTimeMsMax = 20_000;

export function isMigrationUrl(search: string): boolean {
  const view = new URLSearchParams(search).get('view');
  return view === 'migration' || view === 'engines';
}

function parseCount(text: string | null, name: string, max: number, problems: string[]): number | null {
  if (text === null) return null;
  if (/^[0-9]{1,10}$/.test(text) && Number(text) <= max) return Number(text);
  problems.push(`${name}=${text} ignored: a whole number from 0 to ${max}`);
  return null;
}

export function parseMigrationUrl(search: string): MigrationUrlState {
  const parameters = new URLSearchParams(search);
  const problems: string[] = [];
  const view: MigrationPageView = parameters.get('view') === 'engines' ? 'engines' : 'migration';
  const scenarioText = parameters.get('scenario');
  let scenario: MigrationScenarioId = 'migration';
  let enginesScenario: string | null = null;
  if (scenarioText !== null && view === 'engines') {
    if (isMembershipScenarioId(scenarioText)) enginesScenario = scenarioText;
    else problems.push(`scenario=${scenarioText} ignored: not a membership scenario`);
  } else if (scenarioText !== null) {
    if (isMigrationScenarioId(scenarioText)) scenario = scenarioText;
    else problems.push(`scenario=${scenarioText} ignored: not a migration scenario`);
  }
  const seed = parseCount(parameters.get('seed'), 'seed', seedMax, problems) ?? defaultMigrationSeed;
  const step = parseCount(parameters.get('step'), 'step', 1_000_000, problems);
  const timeMs = parseCount(parameters.get('t'), 't', enginesTimeMsMax, problems) ?? 0;
  let nemesis = defaultEnginesNemesis;
  const nemesisText = parameters.get('nemesis');
  if (nemesisText !== null) {
    const names = nemesisText === 'none' ? [] : nemesisText.split(',');
    const unknown = names.filter((name) => !(faultKinds as readonly string[]).includes(name));
    if (unknown.length > 0) problems.push(`nemesis=${nemesisText} ignored: unknown ${unknown.join(', ')} (known: ${faultKinds.join(', ')})`);
    else nemesis = faultKinds.filter((kind) => names.includes(kind));
  }
  let steps: ScriptStep[] = [];
  const stepsText = parameters.get('steps');
  if (stepsText !== null) {
    const parsed = parseScriptSteps(stepsText);
    if (parsed.ok) steps = parsed.steps;
    else problems.push(`steps=${stepsText} ignored: ${parsed.error}`);
  }
  return { view, scenario, seed, step, nemesis, timeMs, enginesScenario, steps, problems };
}

export function formatMigrationUrl(state: { scenario: MigrationScenarioId; seed: number; step: number }): string {
  return `?view=migration&scenario=${state.scenario}&seed=${state.seed}&step=${state.step}`;
}

export function formatEnginesUrl(state: { seed: number; nemesis: readonly FaultKind[]; timeMs: number; scenario?: string | null; steps?: readonly ScriptStep[] }): string {
  if (state.scenario !== undefined && state.scenario !== null) {
    const steps = state.steps === undefined || state.steps.length === 0 ? '' : `&steps=${formatScriptSteps(state.steps)}`;
    return `?view=engines&scenario=${state.scenario}&seed=${state.seed}&t=${state.timeMs}${steps}`;
  }
  const nemesis = state.nemesis.length === 0 ? 'none' : state.nemesis.join(',');
  return `?view=engines&seed=${state.seed}&nemesis=${nemesis}&t=${state.timeMs}`;
}
