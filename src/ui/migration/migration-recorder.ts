// Records the migration as a sequence of observable states (frames), so the app can step through
// it and rewind by seeking into the list: nothing is recomputed on a seek. A frame is taken at
// each orchestrator event, after each change the orchestrator makes to a data dir (when the
// listing shows it), after each stop and start, and at each client operation. The recorder sits
// between the orchestrator and the simulated cluster as a NodeControl, so the orchestrator runs
// unchanged; it also plays a client that keeps writing across the downtime.
//
// Simulated time is the cluster's rounds (one tick of every running node each, roundMs). The
// simulator gives file work no duration of its own, so the recorder charges one round to each
// change the orchestrator makes while every node is stopped, and one to each stop: the downtime
// then includes the conversion, not only the restart.
import type { RaftEngineType } from '../../storage/datadir/engine-marker';
import { raftEngineMarkerFile } from '../../storage/datadir/engine-marker';
import type { FileSystem } from '../../storage/fs/file-system';
import { joinPath } from '../../storage/fs/path';
import { utf8Decode } from '../../raft/bytes';
import type { NodeSpec } from '../../engines/migration/arguments';
import type { LeaderInfo, NodeControl } from '../../engines/migration/node-control';
import { describeMigrationEvent, type MigrationEvent, type MigrationStep } from '../../engines/migration/orchestrator';
import type { MigrationSimCluster } from '../../engines/migration/sim-cluster';
import { failure, success, type Result } from '../../storage/result';
import { RecordingDisk, type DiskChange } from './recording-disk';

export const migrationStages = ['load', 'plan', 'stop', 'convert', 'restart', 'validate', 'rollback', 'check'] as const;
export type MigrationStage = (typeof migrationStages)[number];
export type StageStatus = 'pending' | 'active' | 'ok' | 'fail';

/** One round of the simulated cluster: every running node ticks once (the hosts' tick). */
export const roundMs = 10;
/** How often the client tries an operation, in simulated ms. */
export const clientIntervalMs = 50;
/** Rounds a client operation may wait for its answer before it counts as failed. */
export const clientWaitRoundsMax = 30;
/** Entries listed per folder of a data dir; the rest are counted. */
export const listedEntriesMax = 8;
export const framesMax = 5_000;
const clientRequestIdBase = 1_000_000;

export interface NodeFrame {
  id: string;
  /** The engine its process runs, or null when stopped. */
  engine: RaftEngineType | null;
  /** The raft-engine marker's content, or null when there is none. */
  marker: string | null;
  role: string;
  term: number;
  commit: number;
  applied: number;
  voters: number[];
  /** The data dir two levels deep: `name`, `dir/`, `dir/name` (a `…` line counts the rest). */
  files: string[];
}

export type FrameKind = 'event' | 'file' | 'node' | 'client' | 'note';

export interface MigrationFrame {
  index: number;
  timeMs: number;
  kind: FrameKind;
  stage: MigrationStage;
  stages: Record<MigrationStage, StageStatus>;
  /** The node the frame is about, if one. */
  focus: string | null;
  caption: string;
  nodes: NodeFrame[];
  /** Paths (node:path) that appeared since the previous frame. */
  added: string[];
  /** Paths (node:path) that went away since the previous frame. */
  removed: string[];
  /** How many client operations and orchestrator events had happened (prefixes of the lists). */
  historyLength: number;
  eventLength: number;
}

export interface ClientOp {
  id: number;
  /** 'client' for the load, 'validate' for the orchestrator's own check. */
  source: 'client' | 'validate';
  node: string;
  op: 'put' | 'get';
  key: string;
  value: string | null;
  startMs: number;
  endMs: number;
  ok: boolean;
  detail: string;
}

const stepStage: Record<MigrationStep, MigrationStage> = {
  parse: 'plan',
  plan: 'plan',
  confirm: 'plan',
  stop: 'stop',
  preflight: 'stop',
  convert: 'convert',
  restart: 'restart',
  validate: 'validate',
  rollback: 'rollback',
};

function pendingStages(): Record<MigrationStage, StageStatus> {
  return Object.fromEntries(migrationStages.map((stage) => [stage, 'pending'])) as Record<MigrationStage, StageStatus>;
}

export class MigrationRecorder {
  readonly frames: MigrationFrame[] = [];
  readonly history: ClientOp[] = [];
  readonly events: MigrationEvent[] = [];
  /** Writes the cluster acknowledged, in order; the final check reads them all back. */
  readonly acknowledged: [string, string][] = [];
  private stages = pendingStages();
  private stage: MigrationStage = 'load';
  private pending: MigrationEvent[] = [];
  private listings = new Map<string, string[]>();
  private nextClientAttemptMs = 0;
  private clientAttempts = 0;
  private clientWrites = 0;
  private clientRequests = 0;
  /** Closed from the stop on: the operator drained the clients, as the procedure requires. */
  private writesDrained = false;
  private readonly disks = new Map<string, RecordingDisk>();
  /** Scenario hooks around each change the orchestrator makes to a node's dir (a fault to inject). */
  beforeChange: ((node: string) => Promise<void>) | null = null;
  afterChange: ((node: string, change: DiskChange) => void) | null = null;

  constructor(
    readonly cluster: MigrationSimCluster,
    readonly nodes: readonly NodeSpec[],
  ) {}

  get nowMs(): number {
    return this.cluster.round * roundMs;
  }

  /** Called with each orchestrator event; frames for them are taken at the next await point. */
  readonly onEvent = (event: MigrationEvent): void => {
    this.pending.push(event);
  };

  setStage(stage: MigrationStage, status: StageStatus): void {
    if (status === 'active' || status === 'ok' || status === 'fail') {
      const position = migrationStages.indexOf(stage);
      for (const earlier of migrationStages.slice(0, position)) {
        if (this.stages[earlier] === 'active') this.stages[earlier] = 'ok';
      }
    }
    this.stages[stage] = status;
    this.stage = stage;
  }

  /** A rerun of the procedure starts its stages over (the load stays as it was). */
  restartStages(): void {
    for (const stage of migrationStages) if (stage !== 'load') this.stages[stage] = 'pending';
  }

  stageStatus(stage: MigrationStage): StageStatus {
    return this.stages[stage];
  }

  setWritesDrained(drained: boolean): void {
    this.writesDrained = drained;
  }

  /** Takes the frames of the events emitted since the last await point. */
  async flush(): Promise<void> {
    const events = this.pending;
    this.pending = [];
    for (const event of events) {
      this.events.push(event);
      const stage = stepStage[event.step];
      if (event.step === 'parse' && this.stages.plan !== 'pending') this.restartStages();
      this.setStage(stage, event.status === 'fail' ? 'fail' : 'active');
      await this.capture('event', describeMigrationEvent(event), event.node);
    }
  }

  /** Takes a frame of the cluster as it is now. A file frame whose listing shows no change is dropped. */
  async capture(kind: FrameKind, caption: string, focus: string | null): Promise<void> {
    if (this.frames.length >= framesMax) throw new Error(`the migration recording exceeds ${framesMax} frames`);
    const previous = this.frames[this.frames.length - 1];
    const nodes: NodeFrame[] = [];
    for (const spec of this.nodes) nodes.push(await this.nodeFrame(spec.id));
    const before = new Set(previous?.nodes.flatMap((node) => node.files.map((file) => `${node.id}:${file}`)) ?? []);
    const now = new Set(nodes.flatMap((node) => node.files.map((file) => `${node.id}:${file}`)));
    const added = [...now].filter((path) => !before.has(path));
    const removed = [...before].filter((path) => !now.has(path));
    const markersChanged = previous !== undefined && nodes.some((node, i) => node.marker !== previous.nodes[i].marker);
    if (kind === 'file' && added.length === 0 && removed.length === 0 && !markersChanged) return;
    this.frames.push({
      index: this.frames.length,
      timeMs: this.nowMs,
      kind,
      stage: this.stage,
      stages: { ...this.stages },
      focus,
      caption,
      nodes,
      added: previous === undefined ? [] : added,
      removed,
      historyLength: this.history.length,
      eventLength: this.events.length,
    });
  }

  private async nodeFrame(id: string): Promise<NodeFrame> {
    const status = this.cluster.statusOf(id);
    const disk = this.cluster.disk(id);
    let files = this.listings.get(id) ?? [];
    let marker: string | null = null;
    try {
      files = await listDataDir(disk);
      marker = (await disk.exists(raftEngineMarkerFile)) ? utf8Decode(await disk.readFile(raftEngineMarkerFile)).trim() : null;
    } catch {
      // A disk that crashed mid-operation answers nothing until it restarts: keep the last listing.
      marker = this.frames[this.frames.length - 1]?.nodes.find((node) => node.id === id)?.marker ?? null;
    }
    this.listings.set(id, files);
    return {
      id,
      engine: this.cluster.engineOf(id),
      marker,
      role: status === null ? 'stopped' : roleName(status.role),
      term: status?.term ?? 0,
      commit: status?.commit ?? 0,
      applied: status?.applied ?? 0,
      voters: status?.voters ?? [],
      files,
    };
  }

  /** The NodeControl the orchestrator runs against: the cluster, watched. */
  control(): NodeControl {
    const cluster = this.cluster;
    const around = async <T>(work: () => Promise<T>): Promise<T> => {
      await this.flush();
      await this.clientTurn();
      return work();
    };
    return {
      disk: (node) => this.disk(node),
      quiesce: () =>
        around(async () => {
          this.setWritesDrained(true);
          await this.capture('note', 'the operator drains the clients: writes stop before the nodes do', null);
          return cluster.quiesce();
        }),
      stop: (node) =>
        around(async () => {
          await cluster.stop(node);
          await cluster.runRound();
          await this.capture('node', (await cluster.isStopped(node)) ? `${node} stopped` : `${node} ignored the stop`, node);
        }),
      isStopped: (node) => around(() => cluster.isStopped(node)),
      start: (node, engine) =>
        around(async () => {
          if (engine === 'etcd') this.setStage('restart', 'active');
          const started = await cluster.start(node, engine);
          await this.capture('node', started.ok ? `${node} started on ${engine}` : started.error, node);
          return started;
        }),
      awaitLeader: () => around(() => cluster.awaitLeader()),
      put: (node, key, value) => around(() => this.validationOp(node, 'put', key, value, () => cluster.put(node, key, value))),
      get: (node, key) => around(() => this.validationOp(node, 'get', key, null, () => cluster.get(node, key))),
      safetyViolations: () => cluster.safetyViolations(),
    };
  }

  private disk(node: string): FileSystem {
    let disk = this.disks.get(node);
    if (disk === undefined) {
      disk = new RecordingDisk(
        () => this.cluster.disk(node),
        async (change) => {
          this.afterChange?.(node, change);
          await this.diskChanged(node, change);
        },
        async () => {
          await this.beforeChange?.(node);
          await this.flush();
        },
      );
      this.disks.set(node, disk);
    }
    return disk;
  }

  private async diskChanged(node: string, change: DiskChange): Promise<void> {
    if (this.nodes.every((spec) => this.cluster.engineOf(spec.id) === null)) await this.cluster.runRound();
    const what = change.to === undefined ? `${change.operation} ${change.path}` : `rename ${change.path} -> ${change.to}`;
    await this.capture('file', `${node}: ${what}`, node);
    await this.clientTurn();
  }

  private async validationOp<T extends string | null | void>(
    node: string,
    op: 'put' | 'get',
    key: string,
    value: string | null,
    run: () => Promise<Result<T, string>>,
  ): Promise<Result<T, string>> {
    const startMs = this.nowMs;
    const result = await run();
    const shown = op === 'get' && result.ok ? ((result.value as string | null) ?? null) : value;
    this.recordOp({ source: 'validate', node, op, key, value: shown, startMs, ok: result.ok, detail: result.ok ? 'ok' : result.error });
    await this.capture('client', `validate: ${op} ${key} on ${node}: ${result.ok ? 'ok' : result.error}`, node);
    return result;
  }

  private recordOp(op: Omit<ClientOp, 'id' | 'endMs'>): ClientOp {
    const recorded = { ...op, id: this.history.length + 1, endMs: this.nowMs };
    this.history.push(recorded);
    return recorded;
  }

  /** The client's turn: one operation whenever clientIntervalMs of simulated time passed. */
  async clientTurn(): Promise<void> {
    if (this.nowMs < this.nextClientAttemptMs) return;
    this.nextClientAttemptMs = this.nowMs + clientIntervalMs;
    const target = this.nodes[this.clientAttempts++ % this.nodes.length].id;
    const key = `key-${this.clientWrites}`;
    const value = `value-${this.clientWrites}`;
    const startMs = this.nowMs;
    let result: Result<void, string>;
    if (this.cluster.engineOf(target) === null) result = failure(`connection refused: ${target} is stopped`);
    else if (this.writesDrained) result = failure('held back: the operator drained the clients for the migration');
    else result = await this.clientPut(target, key, value);
    if (result.ok) {
      this.clientWrites++;
      this.acknowledged.push([key, value]);
    }
    this.recordOp({ source: 'client', node: target, op: 'put', key, value, startMs, ok: result.ok, detail: result.ok ? 'ok' : result.error });
    await this.capture('client', `client: put ${key} on ${target}: ${result.ok ? 'ok' : result.error}`, target);
  }

  /** A write sent to `node` (a follower forwards it, or answers who leads), waited for a bounded time. */
  async clientPut(node: string, key: string, value: string): Promise<Result<void, string>> {
    const requestId = clientRequestIdBase + ++this.clientRequests;
    this.cluster.node(node).requests.push({ kind: 'propose', requestId, command: { op: 'put', key, value } });
    const answered = await this.cluster.runUntil(() => this.cluster.responses.has(requestId), 'an answer', clientWaitRoundsMax);
    if (!answered.ok) return failure(`no answer within ${clientWaitRoundsMax * roundMs} ms (outcome unknown)`);
    const result = this.cluster.responses.get(requestId)!.result;
    return result.ok ? success(undefined) : failure(`${result.code}: ${result.message}`);
  }

  /** Writes through the leader until `count` are acknowledged (the load before the migration). */
  async loadWrites(count: number): Promise<Result<void, string>> {
    this.setStage('load', 'active');
    for (let written = 0; written < count; ) {
      const leader: Result<LeaderInfo, string> = await this.cluster.awaitLeader();
      if (!leader.ok) return leader;
      this.nextClientAttemptMs = 0;
      const before = this.acknowledged.length;
      this.clientAttempts = this.nodes.findIndex((spec) => spec.id === leader.value.node);
      await this.clientTurn();
      if (this.acknowledged.length > before) written++;
      await this.cluster.runRound();
    }
    this.setStage('load', 'ok');
    return success(undefined);
  }
}

function roleName(role: string): string {
  if (role.startsWith('State')) return role.slice('State'.length).toLowerCase();
  return role;
}

/** The data dir two levels deep, folders marked with a trailing `/`. */
export async function listDataDir(fs: FileSystem): Promise<string[]> {
  const lines: string[] = [];
  for (const name of await fs.list('')) {
    const isDir = (await fs.stat(name)).kind === 'dir';
    lines.push(isDir ? `${name}/` : name);
    if (!isDir) continue;
    const children = await fs.list(name);
    for (const child of children.slice(0, listedEntriesMax)) {
      const path = joinPath(name, child);
      lines.push((await fs.stat(path)).kind === 'dir' ? `${path}/` : path);
    }
    if (children.length > listedEntriesMax) lines.push(`${name}/… ${children.length - listedEntriesMax} more`);
  }
  return lines;
}
