// The built-in migration scenarios, each a deterministic story over MigrationSimCluster recorded
// frame by frame (migration-recorder.ts): the migration end to end; a crash in the middle of it
// and the recovery by a rerun; each post-merge bug switched on and what catches it; and the
// engine-switch check refusing a mixed data dir. The same seed gives the same frames.
import { parseNodes, type NodeSpec } from '../../engines/migration/arguments';
import { runMigration, runRollback, type MigrationOutcome } from '../../engines/migration/orchestrator';
import { backupPrefix } from '../../engines/migration/node-dir';
import { verifyWrites } from '../../engines/migration/scenario';
import { MigrationSimCluster, type MigrationBug } from '../../engines/migration/sim-cluster';
import { ensureRaftEngineDataDir } from '../../storage/datadir/engine-check';
import type { RaftEngineType } from '../../storage/datadir/engine-marker';
import { FaultLayer, SimulatedCrashError } from '../../storage/fs/fault-layer';
import type { FileSystem } from '../../storage/fs/file-system';
import { MemoryBackend } from '../../storage/fs/memory-backend';
import { joinPath } from '../../storage/fs/path';
import { MigrationRecorder, type ClientOp, type MigrationFrame, type StageStatus } from './migration-recorder';
import type { MigrationEvent } from '../../engines/migration/orchestrator';
import type { MigrationScenarioId } from './migration-catalog';

export { isMigrationScenarioId, migrationScenarioIds, migrationScenarios, type MigrationScenarioId } from './migration-catalog';

export const migrationNodesText = 'n1=host1,n2=host2,n3=host3';
export const migrationPeersText = 'n1=host1:7000,n2=host2:7000,n3=host3:7000';
export const migrationTimestamp = '20250102T030405Z';
export const rerunTimestamp = '20250102T041500Z';
/** Writes the client gets acknowledged before the migration, and after it. */
export const loadWritesBefore = 6;
export const loadWritesAfter = 3;

export interface CheckVerdict {
  /** ok: everything checked out; fail: a checker caught a bug; refused: a safety check said no. */
  status: 'ok' | 'fail' | 'refused';
  text: string;
}

export interface MigrationRecording {
  scenario: MigrationScenarioId;
  seed: number;
  frames: MigrationFrame[];
  history: ClientOp[];
  events: MigrationEvent[];
  validate: StageStatus;
  verdict: CheckVerdict;
  /** From the moment writes were drained to the first write acknowledged afterwards; null if none. */
  downtimeMs: number | null;
  /** When the operator drained the clients (the downtime's start); null if never. */
  drainedAtMs: number | null;
  /** Simulated time the whole story took. */
  endMs: number;
}


const nodes: NodeSpec[] = (() => {
  const parsed = parseNodes(migrationNodesText);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
})();

interface Story {
  recorder: MigrationRecorder;
  cluster: MigrationSimCluster;
  drainedAtMs: number | null;
  /** Writes acknowledged when the clients were first drained (before the migration). */
  acknowledgedBeforeDrain: number | null;
}

export async function recordMigrationScenario(scenario: MigrationScenarioId, seed: number): Promise<MigrationRecording> {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed ${seed} must be a non-negative integer`);
  const bugs: MigrationBug[] = scenario === 'bug-no-peers-file' ? ['no-peers-file'] : scenario === 'bug-member-dir' ? ['orchestrator-member-dir'] : [];
  const cluster = new MigrationSimCluster({ nodes, seed, bugs });
  const recorder = new MigrationRecorder(cluster, nodes);
  const story: Story = { recorder, cluster, drainedAtMs: null, acknowledgedBeforeDrain: null };
  await startOnHashicorp(story);
  let verdict: CheckVerdict;
  if (scenario === 'migration') verdict = await endToEnd(story);
  else if (scenario === 'migration-crash') verdict = await crashAndRecover(story);
  else if (scenario === 'mixed-dir-refused') verdict = await mixedDirRefused(story);
  else if (scenario === 'migration-rollback') verdict = await migrateThenRollback(story);
  else verdict = await withBug(story, bugs);
  recorder.setStage('check', verdict.status === 'ok' ? 'ok' : 'fail');
  await recorder.capture('note', `check: ${verdict.text}`, null);
  return {
    scenario,
    seed,
    frames: recorder.frames,
    history: recorder.history,
    events: recorder.events,
    validate: recorder.stageStatus('validate'),
    verdict,
    downtimeMs: downtime(story),
    drainedAtMs: story.drainedAtMs,
    endMs: recorder.nowMs,
  };
}

async function startOnHashicorp({ recorder, cluster }: Story): Promise<void> {
  recorder.setStage('load', 'active');
  await recorder.capture('note', 'three empty data dirs', null);
  for (const node of nodes) {
    const started = await cluster.start(node.id, 'hashicorp');
    if (!started.ok) throw new Error(started.error);
    await recorder.capture('node', `${node.id} started on hashicorp`, node.id);
  }
  const loaded = await recorder.loadWrites(loadWritesBefore);
  if (!loaded.ok) throw new Error(`the load before the migration failed (seed ${cluster.options.seed}): ${loaded.error}`);
}

function migrate(story: Story, timestamp: string, bugs: readonly MigrationBug[] = []): Promise<MigrationOutcome> {
  const control = story.recorder.control();
  const quiesce = control.quiesce;
  control.quiesce = async () => {
    story.drainedAtMs ??= story.recorder.nowMs;
    story.acknowledgedBeforeDrain ??= story.recorder.acknowledged.length;
    return quiesce();
  };
  return runMigration(control, { nodes: migrationNodesText, peers: migrationPeersText, yes: true, timestamp, bugs, onEvent: story.recorder.onEvent });
}

/** After a migration: the clients write again, then every acknowledged write is read on every node. */
async function afterMigration(story: Story, outcome: MigrationOutcome, check = true): Promise<CheckVerdict> {
  const { recorder, cluster } = story;
  await recorder.flush();
  if (outcome.exitCode !== 0) {
    recorder.setStage('validate', 'fail');
    return { status: 'fail', text: `the migration failed: ${outcome.error}` };
  }
  recorder.setStage('validate', 'ok');
  await recorder.capture('note', 'validated: a leader, and a write on one node read on another', null);
  recorder.setWritesDrained(false);
  await writeMore(story, loadWritesAfter);
  if (!check) return { status: 'ok', text: 'migrated' };
  recorder.setStage('check', 'active');
  const read = await verifyWrites(cluster, nodes, recorder.acknowledged);
  const violations = cluster.safetyViolations();
  if (!read.ok) return { status: 'fail', text: `a write was lost: ${read.error}` };
  if (violations.length > 0) return { status: 'fail', text: violations.join('; ') };
  return { status: 'ok', text: `${recorder.acknowledged.length} acknowledged writes read back on every node (${read.value} reads); no safety violation` };
}

async function endToEnd(story: Story): Promise<CheckVerdict> {
  return afterMigration(story, await migrate(story, migrationTimestamp));
}

/** Puts a fault layer over n2's disk at its first change and crashes it right after its first archive move. */
async function migrateWithCrash(story: Story): Promise<FaultLayer> {
  const { recorder, cluster } = story;
  let layer: FaultLayer | null = null;
  recorder.beforeChange = async (node) => {
    if (node !== 'n2' || layer !== null) return;
    layer = await FaultLayer.create(cluster.node('n2').disk, { random: () => 0 });
    cluster.diskViews.set('n2', layer);
  };
  recorder.afterChange = (node, change) => {
    if (node === 'n2' && layer !== null && change.to?.startsWith(backupPrefix) === true) layer.armCrash({ atOperation: layer.operationCount });
  };
  try {
    await migrate(story, migrationTimestamp);
    throw new Error('the armed crash did not happen');
  } catch (error) {
    if (!(error instanceof SimulatedCrashError) || layer === null) throw error;
  } finally {
    recorder.beforeChange = null;
    recorder.afterChange = null;
  }
  const crashed: FaultLayer = layer;
  await recorder.flush();
  recorder.setStage('convert', 'fail');
  await recorder.capture('note', "n2's machine lost power mid-conversion: renames and writes not yet fsynced are undone", 'n2');
  await crashed.crash({ keepPendingBytes: 0 });
  cluster.diskViews.delete('n2');
  await recorder.capture('note', "n2 rebooted: its data dir as the crash left it", 'n2');
  return crashed;
}

async function crashAndRecover(story: Story): Promise<CheckVerdict> {
  await migrateWithCrash(story);
  const verdicts = await engineVerdicts(story.cluster.node('n2').disk);
  await story.recorder.capture('note', `safety check on n2: ${describeVerdicts(verdicts)}`, 'n2');
  await story.recorder.capture('note', 'the operator reruns the migration: it resumes where the crash stopped it', null);
  return afterMigration(story, await migrate(story, rerunTimestamp));
}

async function mixedDirRefused(story: Story): Promise<CheckVerdict> {
  await migrateWithCrash(story);
  const control = story.recorder.control();
  const refusals: string[] = [];
  for (const engine of ['etcd', 'hashicorp'] as const) {
    const started = await control.start('n2', engine);
    if (started.ok) return { status: 'fail', text: `n2 started on ${engine} from a mixed data dir` };
    refusals.push(started.error);
  }
  return { status: 'refused', text: refusals.join('; ') };
}

/** Clients write until `count` more writes are acknowledged (bounded). */
async function writeMore(story: Story, count: number): Promise<void> {
  const target = story.recorder.acknowledged.length + count;
  for (let round = 0; story.recorder.acknowledged.length < target && round < 400; round++) {
    await story.cluster.runRound();
    await story.recorder.clientTurn();
  }
}

async function migrateThenRollback(story: Story): Promise<CheckVerdict> {
  const { recorder, cluster } = story;
  const migrated = await afterMigration(story, await migrate(story, migrationTimestamp), false);
  if (migrated.status !== 'ok') return migrated;
  await recorder.capture('note', `the operator rolls back (etcd served ${recorder.acknowledged.length - (story.acknowledgedBeforeDrain ?? 0)} writes since the migration)`, null);
  recorder.setStage('rollback', 'active');
  const onEtcd = recorder.acknowledged.slice(story.acknowledgedBeforeDrain ?? 0);
  const rolled = await runRollback(recorder.control(), { nodes: migrationNodesText, timestamp: rerunTimestamp, onEvent: recorder.onEvent });
  await recorder.flush();
  if (rolled.exitCode !== 0) {
    recorder.setStage('rollback', 'fail');
    return { status: 'fail', text: `the rollback failed: ${rolled.error}` };
  }
  recorder.setStage('rollback', 'ok');
  recorder.setWritesDrained(false);
  await writeMore(story, loadWritesAfter);
  recorder.setStage('check', 'active');
  // hashicorp serves reads through its leader only.
  const leader = await cluster.awaitLeader();
  if (!leader.ok) return { status: 'fail', text: `no leader after the rollback: ${leader.error}` };
  const kept = recorder.acknowledged.slice(0, story.acknowledgedBeforeDrain ?? 0);
  for (const [key, value] of kept) {
    const read = await cluster.get(leader.value.node, key);
    if (!read.ok || read.value !== value) return { status: 'fail', text: `a write from before the migration was lost: ${key}` };
  }
  const lost: string[] = [];
  for (const [key] of onEtcd) {
    const read = await cluster.get(leader.value.node, key);
    if (read.ok && read.value === null) lost.push(key);
  }
  const violations = cluster.safetyViolations();
  if (violations.length > 0) return { status: 'fail', text: violations.join('; ') };
  return {
    status: 'ok',
    text: `back on hashicorp: the ${kept.length} writes from before the migration read on the leader ${leader.value.node}; the ${onEtcd.length} taken on etcd afterwards are not in the backup (${lost.length} read back empty: ${lost.join(', ')}), as a rollback to the backup implies`,
  };
}

async function withBug(story: Story, bugs: readonly MigrationBug[]): Promise<CheckVerdict> {
  const { recorder, cluster } = story;
  const outcome = await migrate(story, migrationTimestamp, bugs);
  const verdict = await afterMigration(story, outcome);
  if (bugs.includes('no-peers-file')) {
    const everyoneLeads = () => nodes.every((node) => cluster.statusOf(node.id)?.role === 'StateLeader');
    await cluster.runUntil(everyoneLeads, 'every node leading');
    await recorder.capture('note', `every node leads a one-node cluster: voters ${nodes.map((node) => `${node.id} [${cluster.statusOf(node.id)?.voters.join(' ') ?? ''}]`).join(', ')}`, null);
  }
  if (bugs.includes('orchestrator-member-dir')) {
    const verdicts = await engineVerdicts(cluster.node('n1').disk);
    await recorder.capture('note', `safety check on n1: ${describeVerdicts(verdicts)}`, 'n1');
  }
  const violations = cluster.safetyViolations();
  return violations.length > 0 ? { status: 'fail', text: violations.join('; ') } : verdict;
}

function downtime(story: Story): number | null {
  const drained = story.drainedAtMs;
  if (drained === null) return null;
  const first = story.recorder.history.find((op) => op.source === 'client' && op.ok && op.startMs >= drained);
  return first === undefined ? null : first.endMs - drained;
}

export type EngineVerdicts = Record<RaftEngineType, string>;

/** What the engine-switch safety check says about the dir for each engine ('ok' or its message), run on a copy. */
export async function engineVerdicts(disk: FileSystem): Promise<EngineVerdicts> {
  const verdicts = { etcd: '', hashicorp: '' };
  for (const engine of ['etcd', 'hashicorp'] as const) {
    const copy = new MemoryBackend();
    await copyTree(disk, copy, '');
    const checked = await ensureRaftEngineDataDir(copy, '', engine);
    verdicts[engine] = checked.ok ? 'ok' : checked.error.message;
  }
  return verdicts;
}

function describeVerdicts(verdicts: EngineVerdicts): string {
  return `etcd: ${verdicts.etcd}; hashicorp: ${verdicts.hashicorp}`;
}

async function copyTree(from: FileSystem, to: FileSystem, dir: string): Promise<void> {
  for (const name of await from.list(dir)) {
    const path = joinPath(dir, name);
    if ((await from.stat(path)).kind === 'dir') {
      await to.mkdir(path);
      await copyTree(from, to, path);
    } else {
      await to.writeFile(path, await from.readFile(path));
    }
  }
}

