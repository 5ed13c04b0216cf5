// Durable mode in the browser: `?durable=1` runs each node in its own Web Worker with its disk
// in an IndexedDB database named by the run id (`run`), the seed and the node id, so runs never
// mix and a reload of the same URL finds the same disks. window.raftlabDurable is the handle
// browser tests drive it by (they wait on the promises it returns, never on sleeps).
import { diskDatabaseName } from '../../storage/fs/indexeddb-backend';
import { browserWorkerDrivers } from '../../worker/browser-worker-driver';
import { appStore, type AppState } from '../store/app-store';
import { parseUrl, formatNemesis } from '../store/url';
import {
  durableIdle,
  inspectStorage,
  pauseDurable,
  playDurable,
  startDurableRun,
  stepDurable,
  stepDurableUntil,
} from './durable-actions';
import { diskName, type DurableRunConfig, type InspectableDrivers } from './durable-app-run';

export function isDurableUrl(search: string): boolean {
  return new URLSearchParams(search).get('durable') === '1';
}

function newRunId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return `r${[...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

function browserDrivers(config: DurableRunConfig): InspectableDrivers {
  return (made) => browserWorkerDrivers((id) => diskName(config, id), made);
}

export function formatDurableUrl(config: DurableRunConfig): string {
  const parameters = new URLSearchParams();
  parameters.set('durable', '1');
  parameters.set('run', config.runId);
  parameters.set('seed', String(config.seed));
  parameters.set('nodes', String(config.nodeCount));
  parameters.set('nemesis', formatNemesis(config.nemesis));
  return `?${parameters.toString()}`;
}

/** Starts durable mode from the URL; returns the problems with its parameters. */
export function startDurablePage(search: string): string[] {
  const parsed = parseUrl(search);
  const parameters = new URLSearchParams(search);
  const runText = parameters.get('run');
  const runValid = runText !== null && /^[A-Za-z0-9_-]{1,40}$/.test(runText);
  const problems = parsed.problems.filter((text) => !text.startsWith('scenario='));
  if (runText !== null && !runValid) problems.push(`run=${runText} ignored: letters, digits, - and _ only`);
  const config: DurableRunConfig = {
    seed: Math.abs(parsed.config.seed),
    nodeCount: parameters.get('nodes') === null ? 3 : parsed.config.nodeCount,
    nemesis: parsed.config.nemesis,
    runId: runValid ? runText : newRunId(),
  };
  window.history.replaceState(null, '', formatDurableUrl(config));
  installDurableHandle();
  void startDurableRun(config, browserDrivers(config));
  return problems;
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
    request.onblocked = () => resolve();
  });
}

/** A new run with a new run id (new, empty disks); the old run's disks are deleted. */
export async function restartDurableOnNewDisks(seed: number, nodeCount: number): Promise<void> {
  const old = appStore.getState().durable;
  const config: DurableRunConfig = { seed, nodeCount, nemesis: appStore.getState().config.nemesis, runId: newRunId() };
  window.history.replaceState(null, '', formatDurableUrl(config));
  await startDurableRun(config, browserDrivers(config));
  if (old === null) return;
  const oldConfig = { ...config, runId: old.runId, seed: old.seed };
  for (let id = 1; id <= old.nodeCount; id++) await deleteDatabase(diskDatabaseName(diskName(oldConfig, id)));
}

export interface RaftlabDurableHandle {
  state(): AppState;
  step(count?: number): Promise<void>;
  /** Steps until some node leads with a commit index of at least `commit` (or eventsMax pass). */
  stepUntilCommitted(commit: number, eventsMax: number): Promise<boolean>;
  inspect(): Promise<void>;
  play(): void;
  pause(): void;
  /** Resolves once every queued step and inspection has run. */
  idle(): Promise<void>;
}

declare global {
  interface Window {
    raftlabDurable?: RaftlabDurableHandle;
  }
}

function installDurableHandle(): void {
  window.raftlabDurable = {
    state: () => appStore.getState(),
    step: (count) => stepDurable(count),
    stepUntilCommitted: (commit, eventsMax) =>
      stepDurableUntil((nodes) => nodes.some((node) => node.role === 'leader' && node.commit >= commit), eventsMax),
    inspect: () => inspectStorage(),
    play: playDurable,
    pause: pauseDurable,
    idle: durableIdle,
  };
}
