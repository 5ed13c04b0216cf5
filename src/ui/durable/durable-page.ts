// Durable mode in the browser: `?durable=1` runs each node in its own Web Worker with its disk
// in an IndexedDB database named by the run id (`run`), the branch (`branch`: a rewind replays
// the run into a new one), the engine, the seed and the node id, so runs never mix and a reload
// of the same URL finds the same disks. `engine=hashicorp` runs the HashiCorp-style host on every
// node (etcd's when absent); `time=`, `reads=` and `bug=` act as `raftlab run --time`, `--reads`
// and `--bug` do (durable-url.ts writes the URL). A branch left by a rewind is deleted once the
// new one stands at the target. window.raftlabDurable is the handle browser tests drive it by
// (they wait on the promises it returns, never on sleeps).
import { diskDatabaseName } from '../../storage/fs/indexeddb-backend';
import { browserWorkerEngineDrivers } from '../../worker/browser-worker-driver';
import { appStore, type AppState } from '../store/app-store';
import { parseUrl } from '../store/url';
import type { DurableInjection } from '../../sim/durable/durable-simulation';
import {
  currentDurableSession,
  durableIdle,
  inspectStorage,
  interveneDurable,
  pauseDurable,
  playDurable,
  seekDurable,
  startDurableRun,
  stepDurable,
  stepDurableUntil,
} from './durable-actions';
import { baseDiskName, diskName, type DurableRunConfig } from './durable-app-run';
import { engineOfParameter, type DurableEngine } from './durable-engine';
import { copyDatabase, deleteDatabase } from './disk-copy';
import {
  durableInjection,
  type DurableIntervention,
  type DurableSessionHooks,
} from './durable-session';
import { formatDurableUrl, newRunId } from './durable-url';
import { isDiskFaultKind, type DiskFaultKind } from '../../sim/durable/disk-faults';
import { durableBugsRefusal } from '../../sim/durable/durable-run';
import type { BugName } from '../../sim/bugs';
import type { ReadMode } from '../../sim/process/kv-node';
import { durableScenarioOf, durableScenarioUrl } from '../scenarios/durable-scenarios';
import { buildVersion } from '../model/build-version';
import { download } from '../store/trace-file-actions';
import { durableTraceUrl, formatDurableTraceFile } from './durable-trace-file';

/** `?durable=1`, or `?scenario=<id>` naming a built-in durable scenario. */
export function isDurableUrl(search: string): boolean {
  return (
    new URLSearchParams(search).get('durable') === '1' || durableScenarioOf(search) !== undefined
  );
}

/**
 * Splits the disk faults (torn-writes, ...) off the nemesis list, as `raftlab run --durable`
 * takes them in one --nemesis; a durable scenario supplies seed, nodes and faults not given.
 */
function durableSearch(search: string): { search: string; diskFaults: DiskFaultKind[] } {
  const parameters = new URLSearchParams(search);
  const scenario = durableScenarioOf(search);
  if (scenario !== undefined) {
    const defaults = new URLSearchParams(durableScenarioUrl(scenario));
    for (const name of ['seed', 'nodes', 'nemesis'])
      if (!parameters.has(name)) parameters.set(name, defaults.get(name)!);
    parameters.delete('scenario');
  }
  const kinds = (parameters.get('nemesis') ?? '').split(',');
  const diskFaults = kinds.filter(isDiskFaultKind);
  if (diskFaults.length > 0) {
    const rest = kinds.filter((kind) => !isDiskFaultKind(kind));
    parameters.set('nemesis', rest.length === 0 ? 'none' : rest.join(','));
  }
  return { search: `?${parameters.toString()}`, diskFaults };
}

/** Deletes a branch's disks (its Workers must have ended, or the deletion waits for them). */
async function deleteDisks(config: DurableRunConfig): Promise<void> {
  for (let id = 1; id <= config.nodeCount; id++)
    await deleteDatabase(diskDatabaseName(diskName(config, id)));
}

/** Copies every node's disk from one naming to another (the base and a branch). */
async function copyDisks(
  config: DurableRunConfig,
  from: (id: number) => string,
  to: (id: number) => string,
): Promise<void> {
  for (let id = 1; id <= config.nodeCount; id++) {
    await copyDatabase(diskDatabaseName(from(id)), diskDatabaseName(to(id)));
  }
}

/** The disk faults the page's URL switched on; a new run keeps them, as it keeps the nemesis. */
let pageDiskFaults: readonly DiskFaultKind[] = [];

const browserHooks: DurableSessionHooks = {
  drivers: (config) => (made) =>
    browserWorkerEngineDrivers(config.engine ?? 'etcd', (id) => diskName(config, id), made),
  retire: deleteDisks,
  keepBase: (config) =>
    copyDisks(
      config,
      (id) => diskName(config, id),
      (id) => baseDiskName(config, id),
    ),
  restoreBase: (config) =>
    copyDisks(
      config,
      (id) => baseDiskName(config, id),
      (id) => diskName(config, id),
    ),
};

/**
 * Keeps the address bar naming the branch on screen (so a reload finds its disks), the
 * interventions and the position (so the URL shared reproduces the run on fresh disks), whenever
 * the run stands still.
 */
function followBranch(config: DurableRunConfig): void {
  appStore.subscribe((state, previous) => {
    const durable = state.durable;
    if (durable === null || state.playing || durable.seeking !== null) return;
    const moved =
      durable.branch !== previous.durable?.branch ||
      state.interventionCount !== previous.interventionCount ||
      state.eventCount !== previous.eventCount ||
      previous.playing ||
      previous.durable?.seeking !== null;
    if (!moved) return;
    const shown = {
      ...config,
      runId: durable.runId,
      seed: durable.seed,
      nodeCount: durable.nodeCount,
      branch: durable.branch,
    };
    const interventions = currentDurableSession()?.interventionList ?? [];
    const search = formatDurableUrl(shown, interventions, state.eventCount);
    if (search !== window.location.search) window.history.replaceState(null, '', search);
  });
}

/** Starts durable mode from the URL; returns the problems with its parameters. */
export function startDurablePage(pageSearch: string): string[] {
  const { search, diskFaults } = durableSearch(pageSearch);
  const scenario = durableScenarioOf(pageSearch);
  const parsed = parseUrl(search);
  const parameters = new URLSearchParams(search);
  const runText = parameters.get('run');
  const runValid = runText !== null && /^[A-Za-z0-9_-]{1,40}$/.test(runText);
  const problems = parsed.problems.filter((text) => !text.startsWith('scenario='));
  if (runText !== null && !runValid)
    problems.push(`run=${runText} ignored: letters, digits, - and _ only`);
  const branchText = parameters.get('branch') ?? '0';
  const branchValid = runValid && /^\d{1,6}$/.test(branchText);
  if (!branchValid && parameters.get('branch') !== null)
    problems.push(`branch=${branchText} ignored`);
  const engine = engineOfParameter(parameters.get('engine') ?? scenario?.engine ?? null);
  if (engine === null)
    problems.push(`engine=${parameters.get('engine')} ignored: etcd or hashicorp`);
  const timeMs = parsed.config.options?.timeMs;
  const { reads, bugs } = durableReadsAndBugs(parsed.config.options, engine ?? 'etcd', problems);
  const config: DurableRunConfig = {
    seed: Math.abs(parsed.config.seed),
    nodeCount: parameters.get('nodes') === null ? 3 : parsed.config.nodeCount,
    engine: engine ?? 'etcd',
    ...(timeMs === undefined ? {} : { timeMs }),
    ...(reads === undefined ? {} : { reads }),
    ...(bugs.length === 0 ? {} : { bugs }),
    nemesis: parsed.config.nemesis,
    runId: runValid ? runText : newRunId(),
    branch: branchValid ? Number(branchText) : 0,
    diskFaults,
    ...(scenario === undefined ? {} : { scenario: scenario.id }),
  };
  pageDiskFaults = diskFaults;
  pageTimeMs = timeMs;
  pageReads = reads;
  pageBugs = bugs;
  const interventions: DurableIntervention[] = [];
  for (const { afterEvent, action } of parsed.interventions) {
    const durable = durableInjection(action);
    // The nodes boot in the first step, so an action comes after event nodeCount + 1 at the earliest.
    if (durable !== null && afterEvent > config.nodeCount)
      interventions.push({ afterEvent, action: durable });
    else
      problems.push(
        `inject ${afterEvent}:${action.kind} ignored: not available in durable mode here`,
      );
  }
  window.history.replaceState(
    null,
    '',
    formatDurableUrl(config, interventions, parsed.position ?? 0),
  );
  installDurableHandle();
  followBranch(config);
  void startDurableRun(config, browserHooks, interventions).then(() => {
    // A shared position is replayed on fresh disks; disks an earlier page left stand where they are.
    const position = parsed.position ?? 0;
    if (position > 0 && appStore.getState().durable?.resumedFromDisk === false) {
      seekDurable(position).catch(() => undefined);
    }
  });
  return problems;
}

/** The page's safety phase (`time=`); a new run keeps it, as it keeps the nemesis. */
let pageTimeMs: number | undefined;
/** The page's read mode (`reads=`) and bug switches (`bug=`); a new run keeps them too. */
let pageReads: ReadMode | undefined;
let pageBugs: readonly BugName[] = [];

/**
 * `reads=` and `bug=` for a durable run: the switches the engine's host does not take, and
 * lease-no-clock-bound without lease reads, are dropped with a problem saying why.
 */
function durableReadsAndBugs(
  options: { reads?: ReadMode; bugs?: readonly BugName[] } | undefined,
  engine: DurableEngine,
  problems: string[],
): { reads: ReadMode | undefined; bugs: BugName[] } {
  const reads = options?.reads;
  const bugs: BugName[] = [];
  for (const bug of options?.bugs ?? []) {
    const refused = durableBugsRefusal(engine, [bug]);
    if (refused !== null) problems.push(`bug=${bug} ignored: ${refused}`);
    else if (bug === 'lease-no-clock-bound' && reads !== 'lease')
      problems.push('bug=lease-no-clock-bound ignored: it needs reads=lease');
    else bugs.push(bug);
  }
  return { reads, bugs };
}

/**
 * A new run with a new run id (new, empty disks), on `engine` (the run's own when not given);
 * the old run's disks are deleted.
 */
export async function restartDurableOnNewDisks(
  seed: number,
  nodeCount: number,
  engine?: DurableEngine,
): Promise<void> {
  const old = appStore.getState().durable;
  const runEngine = engine ?? old?.engine ?? 'etcd';
  // The page's bug switches go along unless the other engine's host lacks one.
  const bugs = durableBugsRefusal(runEngine, pageBugs) === null ? pageBugs : [];
  const config: DurableRunConfig = {
    seed,
    nodeCount,
    engine: runEngine,
    nemesis: appStore.getState().config.nemesis,
    runId: newRunId(),
    diskFaults: pageDiskFaults,
    ...(pageTimeMs === undefined ? {} : { timeMs: pageTimeMs }),
    ...(pageReads === undefined ? {} : { reads: pageReads }),
    ...(bugs.length === 0 ? {} : { bugs }),
  };
  window.history.replaceState(null, '', formatDurableUrl(config));
  await startDurableRun(config, browserHooks);
  if (old === null) return;
  const oldConfig: DurableRunConfig = {
    ...config,
    engine: old.engine,
    runId: old.runId,
    seed: old.seed,
    nodeCount: old.nodeCount,
    branch: old.branch,
  };
  await deleteDisks(oldConfig);
  for (let id = 1; id <= old.nodeCount; id++) {
    await deleteDatabase(diskDatabaseName(baseDiskName(oldConfig, id)));
  }
}

/**
 * The run on screen as a trace file: its options as `raftlab run --trace` writes them, the
 * interventions and the position; with the transcript hash once the run is over untouched.
 */
export function durableTraceText(): string {
  const session = currentDurableSession();
  const state = appStore.getState();
  if (session === null || state.durable === null) throw new Error('no durable run');
  return formatDurableTraceFile({
    config: session.config,
    interventions: session.interventionList,
    position: state.eventCount,
    buildVersion,
    transcriptHash: state.durable.transcriptHash,
  });
}

export function downloadDurableTrace(): void {
  const state = appStore.getState();
  const engine = state.durable?.engine ?? 'etcd';
  download(
    `raftlab-durable-${engine}-seed${state.durable?.seed}-t${state.eventCount}.trace.json`,
    new Blob([durableTraceText()], { type: 'application/json' }),
  );
}

/** Opens a trace file's run in this page (a new page load on new disks), or says why not. */
export function openDurableTrace(text: string, fileName: string): void {
  const opened = durableTraceUrl(text, buildVersion);
  if (!opened.ok) {
    const durable = appStore.getState().durable;
    if (durable !== null)
      appStore.setState({ durable: { ...durable, error: `${fileName} refused: ${opened.error}` } });
    return;
  }
  window.location.assign(opened.search);
}

export interface RaftlabDurableHandle {
  state(): AppState;
  step(count?: number): Promise<void>;
  /** Steps until some node leads with a commit index of at least `commit` (or eventsMax pass). */
  stepUntilCommitted(commit: number, eventsMax: number): Promise<boolean>;
  inspect(): Promise<void>;
  /** Moves to just after event `eventCount` (behind: replays into a new branch of disks). */
  seek(eventCount: number): Promise<void>;
  /** A person's action now: crash, restart, isolate (a partition), heal, pause. */
  intervene(action: DurableInjection): Promise<string>;
  play(): void;
  pause(): void;
  /** Resolves once every queued step and inspection has run. */
  idle(): Promise<void>;
  /** The run on screen as trace file text. */
  traceText(): string;
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
      stepDurableUntil(
        (nodes) => nodes.some((node) => node.role === 'leader' && node.commit >= commit),
        eventsMax,
      ),
    inspect: () => inspectStorage(),
    seek: (eventCount) => seekDurable(eventCount),
    intervene: (action) => interveneDurable(action),
    play: playDurable,
    pause: pauseDurable,
    idle: durableIdle,
    traceText: durableTraceText,
  };
}

export { formatDurableUrl };
