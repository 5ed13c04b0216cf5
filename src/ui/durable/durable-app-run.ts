// One durable run as the app drives it: DurableSimulation (src/sim/durable) with every node an
// engine's host (etcd's, or the HashiCorp-style one) on its own disk, behind a NodeDriver that can also inspect its data dir (a browser
// Web Worker on IndexedDB in the app, in-process in tests). Stepping is async: one awaited
// lockstep batch per event. The app reads each node from the status its last batch returned,
// never from a second copy of the cluster. One DurableAppRun only moves forward (its disks do);
// a rewind (durable-session.ts) replays the run into a new branch of disks.
import type { BatchObservation, NodeStatus, PersistedRecord } from '../../engines/etcd/batch';
import type { DurableEngine } from '../../sim/durable/durable-run';
import type { NodeId } from '../../raft/types';
import { prepareDurableRun } from '../../sim/durable/durable-run';
import type { DurableInjection, DurableSimulation } from '../../sim/durable/durable-simulation';
import type { NodeDriverFactory, WireMessage } from '../../sim/durable/node-driver';
import type { DiskFaultKind } from '../../sim/durable/disk-faults';
import type { FaultKind } from '../../sim/nemesis/plan';
import type { BugName } from '../../sim/bugs';
import type { ReadMode } from '../../sim/process/kv-node';
import type { ViolationReport } from '../../sim/simulation';
import type { HistoryEvent } from '../../sim/workload/history';
import type { InspectableDriver } from '../../worker/browser-worker-driver';
import type { DataDirInspection } from '../../worker/inspection';
import type { LogCell, NodeState } from '../model/node-state';
import { durableEngineUi } from './durable-engine';

export interface DurableRunConfig {
  seed: number;
  nodeCount: number;
  /** The node host every node runs: etcd's when absent, or the HashiCorp-style one. */
  engine?: DurableEngine;
  /** The safety phase's length (`raftlab run --time`); the simulator's default when absent. */
  timeMs?: number;
  /** 'seed' lets the seed choose the nemesis's faults; a list switches those on. */
  nemesis: 'seed' | readonly FaultKind[];
  /** The disk faults switched on (torn-writes, ...), as `raftlab run --durable` takes them; none if absent. */
  diskFaults?: readonly DiskFaultKind[];
  /** How clients read (`raftlab run --reads`); the seed picks when absent, as in the CLI. */
  reads?: ReadMode;
  /** Bug switches the engine's host takes (`raftlab run --bug`); none when absent. */
  bugs?: readonly BugName[];
  /** The built-in durable scenario this run plays (src/ui/scenarios/durable-scenarios.ts), if any. */
  scenario?: string;
  /** Names this run's disks (with the seed), so runs never share a disk. */
  runId: string;
  /** Which replay of the run the disks hold: a rewind replays into a new branch (0: the first). */
  branch?: number;
}

/** Makes the drivers; each is handed to `made` as the simulation creates it. */
export type InspectableDrivers = (
  made: (driver: InspectableDriver<WireMessage>) => void,
) => NodeDriverFactory<WireMessage>;

/** Log cells per node the views get (as for in-memory runs). */
const logCellsMax = 64;

/** What the node's last batch said about it: its status and the log's term runs. */
interface LastReport {
  status: NodeStatus;
  termRuns: [number, number][];
  durableLastIndex: number;
  /** The last status while up (a down node keeps showing its numbers). */
  upStatus: NodeStatus | null;
}

export function diskName(config: DurableRunConfig, id: NodeId): string {
  const branch = config.branch ?? 0;
  return `${config.runId}${branch === 0 ? '' : `-b${branch}`}${engineInfix(config)}-seed${config.seed}-node${id}`;
}

/**
 * The copy of the disks a page resumed from (durable-page.ts keeps it): a rewind of a resumed
 * run starts its new branch from it, as the first branch started from empty disks.
 */
export function baseDiskName(config: DurableRunConfig, id: NodeId): string {
  return `${config.runId}-base${engineInfix(config)}-seed${config.seed}-node${id}`;
}

/** Disks of a HashiCorp run are named apart: a data dir refuses to open as the other engine's. */
function engineInfix(config: DurableRunConfig): string {
  return (config.engine ?? 'etcd') === 'etcd' ? '' : `-${config.engine}`;
}

/** A batch's durable writes (one per Ready), at the simulated time of its event. */
export interface LastWrite {
  atMs: number;
  records: readonly PersistedRecord[];
}

/** Told of every batch a node answered, as soon as it returns. */
export type BatchListener = (
  id: NodeId,
  result: { messages: BatchResultMessages; logLines: BatchResultLogLines },
) => void;
type BatchResult = Awaited<ReturnType<InspectableDriver<WireMessage>['handleBatch']>>;
type BatchResultMessages = BatchResult['messages'];
type BatchResultLogLines = BatchResult['logLines'];

export class DurableAppRun {
  readonly simulation: DurableSimulation;
  private readonly drivers = new Map<NodeId, InspectableDriver<WireMessage>>();
  private readonly reports = new Map<NodeId, LastReport>();
  private steps = 0;
  private readonly batchListeners: BatchListener[] = [];
  private readonly lastWrites = new Map<NodeId, LastWrite>();
  done = false;

  constructor(
    readonly config: DurableRunConfig,
    drivers: InspectableDrivers,
  ) {
    const factory = drivers((driver) => this.drivers.set(driver.nodeId, this.observed(driver)));
    const { simulation } = prepareDurableRun({
      seed: config.seed,
      nodeCount: config.nodeCount,
      engine: config.engine ?? 'etcd',
      ...(config.timeMs === undefined ? {} : { timeMs: config.timeMs }),
      nemesis: config.nemesis === 'seed' ? undefined : config.nemesis,
      diskFaults: config.diskFaults ?? [],
      ...(config.reads === undefined ? {} : { reads: config.reads }),
      ...(config.bugs === undefined || config.bugs.length === 0 ? {} : { bugs: [...config.bugs] }),
      drivers: (init) => {
        factory(init);
        return this.drivers.get(init.id)!;
      },
    });
    this.simulation = simulation;
  }

  get nodeIds(): readonly NodeId[] {
    return this.simulation.nodeIds;
  }

  get nowMs(): number {
    return this.simulation.now;
  }

  /** Events processed: the boots (one per node, in the first step), then one per step. */
  get eventCount(): number {
    if (this.steps === 0) return 0;
    return this.done ? this.simulation.result().eventCount : this.nodeIds.length + this.steps;
  }

  /** Processes one event (one awaited batch at one node); false once the run is over. */
  async step(): Promise<boolean> {
    if (this.done) return false;
    const more = await this.simulation.step();
    if (more) this.steps++;
    else {
      this.steps = Math.max(this.steps, 1);
      this.done = true;
    }
    return more;
  }

  /** A person's action between events (crash, restart, pause, isolate, heal, campaign): its `inject` line. */
  inject(action: DurableInjection): Promise<string> {
    if (this.done) throw new Error('the run is over');
    return this.simulation.inject(action);
  }

  onBatch(listener: BatchListener): void {
    this.batchListeners.push(listener);
  }

  get violation(): ViolationReport | null {
    return this.simulation.violationFound;
  }

  history(): readonly HistoryEvent[] {
    return this.simulation.history();
  }

  /** The node's data dir as its process reads it (between batches only). */
  inspect(id: NodeId): Promise<DataDirInspection> {
    const driver = this.drivers.get(id);
    if (driver === undefined) throw new Error(`no node ${id}`);
    return driver.inspect();
  }

  async terminate(): Promise<void> {
    await this.simulation.terminate();
  }

  /** The node's last reported status, or null before its first batch. */
  status(id: NodeId): NodeStatus | null {
    const report = this.reports.get(id);
    return report === undefined ? null : (report.upStatus ?? report.status);
  }

  /** The node's last batch that made anything durable: its Readies' writes, each fsynced. */
  lastWrite(id: NodeId): LastWrite | null {
    return this.lastWrites.get(id) ?? null;
  }

  /** Whether the node is up now (its last batch left it running). */
  isUp(id: NodeId): boolean {
    const role = this.reports.get(id)?.status.role;
    return role !== undefined && role.startsWith('State');
  }

  nodeStates(): NodeState[] {
    const entryText = durableEngineUi(this.config.engine).entryText;
    return this.nodeIds.map((id) => nodeStateOfReport(id, this.reports.get(id), entryText));
  }

  /** The transcript's sha256 once the run is over (what `raftlab run` prints), else null. */
  get transcriptHash(): string | null {
    return this.done ? this.simulation.result().transcriptHash : null;
  }

  /** Wraps a driver so every batch result's status and observation are kept. */
  private observed(driver: InspectableDriver<WireMessage>): InspectableDriver<WireMessage> {
    return {
      nodeId: driver.nodeId,
      inspect: () => driver.inspect(),
      terminate: () => driver.terminate(),
      handleBatch: async (batch) => {
        const result = await driver.handleBatch(batch);
        this.remember(driver.nodeId, result.status, result.observation);
        if (result.persisted.length > 0) {
          this.lastWrites.set(driver.nodeId, {
            atMs: this.simulation.now,
            records: result.persisted,
          });
        }
        for (const listener of this.batchListeners) listener(driver.nodeId, result);
        return result;
      },
    };
  }

  private remember(
    id: NodeId,
    status: NodeStatus,
    observation: BatchObservation | undefined,
  ): void {
    const before = this.reports.get(id);
    const up = status.role.startsWith('State');
    this.reports.set(id, {
      status,
      termRuns: up ? (observation?.termRuns ?? []) : (before?.termRuns ?? []),
      durableLastIndex: observation?.durable?.lastIndex ?? before?.durableLastIndex ?? 0,
      upStatus: up ? status : (before?.upStatus ?? null),
    });
  }
}

const roles: Record<string, NodeState['role']> = {
  StateLeader: 'leader',
  StateCandidate: 'candidate',
  StatePreCandidate: 'pre-candidate',
  StateFollower: 'follower',
};

/** A node as the views draw it, from its last batch's status (down: its last numbers). */
export function nodeStateOfReport(
  id: NodeId,
  report: LastReport | undefined,
  entryText = durableEngineUi('etcd').entryText,
): NodeState {
  const status = report?.upStatus ?? report?.status ?? null;
  const live = report?.status;
  let role: NodeState['role'] = live === undefined ? 'down' : (roles[live.role] ?? 'down');
  if (role === 'follower' && live!.learners.includes(id)) role = 'learner';
  const lastIndex = status?.lastIndex ?? 0;
  return {
    id,
    role,
    paused: false,
    term: status?.term ?? 0,
    vote: status?.vote ?? 0,
    lead: role === 'down' ? 0 : (status?.lead ?? 0),
    commit: status?.commit ?? 0,
    applied: status?.applied ?? 0,
    snapshotIndex: status?.snapshotIndex ?? 0,
    stableIndex: Math.min(lastIndex, report?.durableLastIndex ?? 0),
    lastIndex,
    electionElapsed: 0,
    electionTimeout: 0,
    log: status === null ? [] : logCells(status, report!.termRuns, entryText),
  };
}

/** The last entries from the term runs; conf changes marked from the status's log tail. */
function logCells(
  status: NodeStatus,
  runs: readonly [number, number][],
  entryText: string,
): LogCell[] {
  // etcd's tail names entries `/normal`, hashicorp's `/command` and `/noop`: the rest are configurations.
  const confIndexes = new Set(
    status.logTail
      .filter((text) => !/\/(normal|command|noop)$/.test(text))
      .map((text) => Number(text.split('/')[0])),
  );
  const cells: LogCell[] = [];
  const from = Math.max(status.firstIndex, status.lastIndex - logCellsMax + 1);
  let run = 0;
  for (let index = from; index <= status.lastIndex; index++) {
    while (run + 1 < runs.length && runs[run + 1][0] <= index) run++;
    const term = runs.length === 0 ? 0 : runs[run][1];
    // The status carries no payloads: the storage view's records show them.
    const confChange = confIndexes.has(index);
    cells.push({ index, term, confChange, text: confChange ? 'conf change' : entryText });
  }
  return cells;
}
