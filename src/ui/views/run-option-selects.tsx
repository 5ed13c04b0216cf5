// The read mode and the bug switch in the main controls: the options `raftlab run` takes as
// `--reads` and `--bug`. Each change starts the run again with the option (a scenario keeps its
// plan; the choice overrides its own), and the URL and an exported trace carry it.
import { bugDescriptions, bugNames, isBugName, type BugName } from '../../sim/bugs';
import { readModes, type ReadMode } from '../../sim/process/kv-node';
import { useMemo } from 'react';
import { readModeOf, type RunConfig } from '../model/app-run';
import { newRun } from '../store/run-actions';
import { useAppStore } from './use-app-store';

/** The config with `reads` chosen ('seed': the seed picks, as without `--reads`). */
export function withReads(config: RunConfig, reads: ReadMode | 'seed'): RunConfig {
  const { reads: _old, ...rest } = config.options ?? {};
  const options = reads === 'seed' ? rest : { ...rest, reads };
  return { ...config, options: Object.keys(options).length === 0 ? undefined : options };
}

/**
 * The config with one bug switched on (or several, comma-separated, as a URL may name them), or
 * none ('none' overrides a scenario's bugs too).
 */
export function withBug(config: RunConfig, bug: string): RunConfig {
  const { bugs: _old, ...rest } = config.options ?? {};
  const scenarioBugs = config.scenario?.options.bugs ?? [];
  const chosen = bug.split(',').filter(isBugName);
  const options =
    bug !== 'none' && chosen.length > 0
      ? { ...rest, bugs: chosen }
      : scenarioBugs.length > 0
        ? { ...rest, bugs: [] }
        : rest;
  return { ...config, options: Object.keys(options).length === 0 ? undefined : options };
}

/** The bugs switched on: the chosen ones, else the scenario's. */
export function bugsOf(config: RunConfig): readonly BugName[] {
  return config.options?.bugs ?? config.scenario?.options.bugs ?? [];
}

export function RunOptionSelects() {
  const config = useAppStore((state) => state.config);
  // What the seed would pick, for the label of the 'seed' choice.
  const seedReads = useMemo(() => readModeOf(withReads(config, 'seed')), [config]);
  const chosenReads = config.options?.reads ?? config.scenario?.options.reads ?? 'seed';
  const bugs = bugsOf(config);
  const bug = bugs.length === 0 ? 'none' : bugs.join(',');
  return (
    <>
      <label title="How reads are served (raftlab run --reads)">
        Reads
        <select
          data-testid="reads-input"
          value={chosenReads}
          onChange={(event) => newRun(withReads(config, event.target.value as ReadMode | 'seed'))}
        >
          <option value="seed">seed: {seedReads}</option>
          {readModes.map((mode) => (
            <option key={mode} value={mode}>
              {mode}
            </option>
          ))}
        </select>
      </label>
      <label title="A deliberate Raft mistake to switch on (raftlab run --bug)">
        Bug
        <select
          data-testid="bug-input"
          value={bug}
          onChange={(event) => newRun(withBug(config, event.target.value))}
        >
          <option value="none">none</option>
          {(bugs.length > 1 ? [bug, ...bugNames] : bugNames).map((name) => (
            <option key={name} value={name} title={bugDescriptions[name as BugName] ?? name}>
              {name}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
