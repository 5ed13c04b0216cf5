// The shareable URL: seed, nodes, nemesis, the run options (time, reads, bug), the user's
// interventions (inject, in intervention-text.ts's form), the position t (events processed) and
// the build's version v reproduce the same run at the same point in a new page. Bad values are reported,
// not guessed at: the page opens on the defaults and says which parameter it ignored.
import { faultKinds, type FaultKind } from '../../sim/nemesis/plan';
import type { NemesisChoice, RunConfig, RunConfigOptions } from '../model/app-run';
import { readModes, type ReadMode } from '../../sim/process/kv-node';
import {
  formatIntervention,
  parseIntervention,
  type Intervention,
} from '../model/intervention-text';
import { nodeCountMax } from '../../sim/run';
import { bugNames, isBugName } from '../../sim/bugs';
import { defaultRunConfig } from './app-store';
import { buildVersion } from '../model/build-version';
import { builtInScenarios, runConfigOf, scenarioById } from '../scenarios/catalog';
import { datadrivenScenarioById, datadrivenScenarios } from '../scenarios/datadriven-scenarios';
import { durableScenarios } from '../scenarios/durable-scenarios';

export interface UrlState {
  config: RunConfig;
  /** Events processed; null: the start. */
  position: number | null;
  interventions: Intervention[];
  /** One sentence per parameter that was ignored. */
  problems: string[];
  /** Set when the link names another build (`v`): the run is tried, but may not be the same. */
  versionNotice: string | null;
  /** `scenario` names a built-in datadriven scenario: the page opens it in the datadriven panel. */
  datadrivenScenario: string | null;
}

/** What to tell a person who opens a link made by another build (null: same build, or none). */
export function versionNoticeOf(linkVersion: string | null, build: string): string | null {
  if (linkVersion === null || linkVersion === build) return null;
  return (
    `This link was made by raftlab ${linkVersion}; this is ${build}. The run is tried as the ` +
    'link describes it, but another build may run it differently.'
  );
}

export function formatNemesis(nemesis: NemesisChoice): string {
  if (nemesis === 'seed') return 'seed';
  return nemesis.length === 0 ? 'none' : nemesis.join(',');
}

export type NemesisParse = { ok: true; nemesis: NemesisChoice } | { ok: false; error: string };

export function parseNemesis(text: string): NemesisParse {
  if (text === 'seed') return { ok: true, nemesis: 'seed' };
  if (text === 'none') return { ok: true, nemesis: [] };
  if (text === 'all') return { ok: true, nemesis: [...faultKinds] };
  const kinds = text.split(',');
  const unknown = kinds.filter((kind) => !(faultKinds as readonly string[]).includes(kind));
  if (unknown.length > 0)
    return {
      ok: false,
      error: `unknown fault ${unknown.join(',')} (known: ${faultKinds.join(',')}, all, none, seed)`,
    };
  return { ok: true, nemesis: kinds as FaultKind[] };
}

export function parseUrl(search: string, build: string = buildVersion): UrlState {
  const parameters = new URLSearchParams(search);
  const problems: string[] = [];
  const config: RunConfig = { ...defaultRunConfig };
  const integer = (name: string, min: number, max: number): number | null => {
    const text = parameters.get(name);
    if (text === null) return null;
    const value = Number(text);
    if (/^-?\d{1,15}$/.test(text) && value >= min && value <= max) return value;
    problems.push(`${name}=${text} ignored: expected an integer in ${min}..${max}`);
    return null;
  };
  const seed = integer('seed', -1e15, 1e15);
  config.seed = seed ?? config.seed;
  config.nodeCount = integer('nodes', 1, nodeCountMax) ?? config.nodeCount;
  const nemesisText = parameters.get('nemesis');
  if (nemesisText !== null) {
    const parsed = parseNemesis(nemesisText);
    if (parsed.ok) config.nemesis = parsed.nemesis;
    else problems.push(`nemesis=${nemesisText} ignored: ${parsed.error}`);
  }
  const scenarioText = parameters.get('scenario');
  let datadrivenScenario: string | null = null;
  if (scenarioText !== null) {
    const scenario = scenarioById(scenarioText);
    // A scenario fixes the node count and the faults; the seed may still be varied.
    if (scenario !== undefined)
      Object.assign(config, runConfigOf(scenario), { seed: seed ?? scenario.seed });
    else if (datadrivenScenarioById(scenarioText) !== undefined) datadrivenScenario = scenarioText;
    else {
      const known = [...builtInScenarios, ...datadrivenScenarios, ...durableScenarios];
      problems.push(
        `scenario=${scenarioText} ignored: known scenarios are ${known.map((s) => s.id).join(', ')}`,
      );
    }
  }
  parseRunOptions(parameters, config, problems, integer);
  const interventions: Intervention[] = [];
  for (const text of (parameters.get('inject') ?? '').split('~').filter(Boolean)) {
    const intervention = parseIntervention(text);
    if (intervention === null) problems.push(`inject item "${text}" ignored`);
    else interventions.push(intervention);
  }
  interventions.sort((a, b) => a.afterEvent - b.afterEvent);
  const versionNotice = versionNoticeOf(parameters.get('v'), build);
  const position = integer('t', 0, 1e9);
  return { config, position, interventions, problems, versionNotice, datadrivenScenario };
}

/**
 * `time` (safety-phase ms), `reads` (index|lease|log) and `bug` (switches, comma-separated, or
 * `none`; `bugs` is read too, as older links wrote it): the options `raftlab run` takes as
 * `--time`, `--reads` and `--bug`.
 */
function parseRunOptions(
  parameters: URLSearchParams,
  config: RunConfig,
  problems: string[],
  integer: (name: string, min: number, max: number) => number | null,
): void {
  const options: RunConfigOptions = {};
  const timeMs = integer('time', 1, 1e9);
  if (timeMs !== null) options.timeMs = timeMs;
  const readsText = parameters.get('reads');
  if (readsText !== null) {
    if ((readModes as readonly string[]).includes(readsText)) options.reads = readsText as ReadMode;
    else problems.push(`reads=${readsText} ignored: expected one of ${readModes.join(', ')}`);
  }
  const bugName = parameters.has('bug') ? 'bug' : 'bugs';
  const bugsText = parameters.get(bugName);
  if (bugsText !== null) {
    const bugs = bugsText === 'none' ? [] : bugsText.split(',').filter(Boolean);
    const unknown = bugs.filter((name) => !isBugName(name));
    if (unknown.length > 0)
      problems.push(`${bugName}=${bugsText} ignored: known bugs are ${bugNames.join(', ')}`);
    else options.bugs = bugs.filter(isBugName);
  }
  if (Object.keys(options).length > 0) config.options = options;
}

export function formatUrl(state: {
  config: RunConfig;
  position: number;
  interventions: readonly Intervention[];
}): string {
  const parameters = new URLSearchParams();
  parameters.set('seed', String(state.config.seed));
  parameters.set('nodes', String(state.config.nodeCount));
  parameters.set('nemesis', formatNemesis(state.config.nemesis));
  if (state.config.scenario !== undefined) parameters.set('scenario', state.config.scenario.id);
  const options = state.config.options;
  if (options?.timeMs !== undefined) parameters.set('time', String(options.timeMs));
  if (options?.reads !== undefined) parameters.set('reads', options.reads);
  if (options?.bugs !== undefined)
    parameters.set('bug', options.bugs.length === 0 ? 'none' : options.bugs.join(','));
  const injected = state.interventions.map(formatIntervention).filter((text) => text !== null);
  if (injected.length > 0) parameters.set('inject', injected.join('~'));
  parameters.set('t', String(state.position));
  parameters.set('v', buildVersion);
  return `?${parameters.toString()}`;
}
