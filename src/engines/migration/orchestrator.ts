// The migration orchestrator (elastickv's engine-migrate.sh) as a scripted, inspectable
// procedure over NodeControl. Every step emits a MigrationEvent, so a person (the CLI) or the app
// can follow it. Order:
//   1 parse NODES and PEERS (every node must be a peer); 2 plan, downtime warning, confirm;
//   3 quiesce, stop every node, verify each stopped; preflight: every fsm.db loads and all hold
//   the same applied index and state (else nodes would start diverged);
//   4 per node (node-dir.ts): convert, or skip one already on etcd but write its marker;
//   5 rolling restart on etcd; validate (a leader; a write on one node read on another; no
//   election-safety violation).
// Any failure aborts with exit 1 and a message that says what to do. A crash of the orchestrator
// (or a node's disk) at any point leaves dirs that rerunning converges from (node-dir.ts).
import { raftEngineMarkerFile } from '../../storage/datadir/engine-marker';
import { FsError } from '../../storage/fs/file-system';
import { loadFsmStore, fsmStoreDirName } from '../fsm-store';
import { parseNodes, parsePeers, type NodeSpec } from './arguments';
import type { NodeControl } from './node-control';
import { convertNode, rollbackNode, type ConvertOptions } from './node-dir';
import type { MigrationBug } from './sim-cluster';

export type MigrationStep = 'parse' | 'plan' | 'confirm' | 'stop' | 'preflight' | 'convert' | 'restart' | 'validate' | 'rollback';

export interface MigrationEvent {
  seq: number;
  step: MigrationStep;
  node: string | null;
  status: 'begin' | 'ok' | 'skip' | 'fail' | 'info';
  detail: string;
}

export interface OrchestratorOptions {
  nodes: string;
  peers: string;
  /** Skip the prompt (the non-interactive `--yes`). */
  yes?: boolean;
  /** Asks the question and returns the answer line; without it (and without yes) the answer is empty. */
  confirm?: (prompt: string) => Promise<string>;
  /** The UTC timestamp in backup names, injected for determinism: YYYYMMDDTHHMMSSZ. */
  timestamp: string;
  bugs?: readonly MigrationBug[];
  onEvent?: (event: MigrationEvent) => void;
}

export interface MigrationOutcome {
  exitCode: 0 | 1;
  events: MigrationEvent[];
  /** Why it stopped, or null on success. */
  error: string | null;
}

export const confirmPrompt = 'Continue? [y/N] ';
export const validationKey = 'raftlab/migration-check';
const timestampPattern = /^[0-9]{8}T[0-9]{6}Z$/;

export function describeMigrationEvent(event: MigrationEvent): string {
  const where = event.node === null ? '' : ` ${event.node}`;
  return `[${event.step}]${where} ${event.status}${event.detail === '' ? '' : `: ${event.detail}`}`;
}

class Abort extends Error {}

/** A recorder of events; `fail` throws Abort, which ends the run with exit 1. */
export class EventLog {
  readonly events: MigrationEvent[] = [];
  constructor(private readonly onEvent?: (event: MigrationEvent) => void) {}

  emit(step: MigrationStep, node: string | null, status: MigrationEvent['status'], detail = ''): void {
    const event = { seq: this.events.length + 1, step, node, status, detail };
    this.events.push(event);
    this.onEvent?.(event);
  }

  fail(step: MigrationStep, node: string | null, detail: string): never {
    this.emit(step, node, 'fail', detail);
    throw new Abort(detail);
  }
}

export async function runMigration(control: NodeControl, options: OrchestratorOptions): Promise<MigrationOutcome> {
  const log: EventLog = new EventLog(options.onEvent);
  try {
    const nodes = parseArguments(log, options);
    if (!(await confirm(log, nodes, options))) return { exitCode: 1, events: log.events, error: 'aborted' };
    await stopAll(log, control, nodes, 'stop');
    await preflight(log, control, nodes);
    const convert: ConvertOptions = { peers: options.peers, timestamp: options.timestamp, bugs: options.bugs ?? [] };
    for (const node of nodes) {
      log.emit('convert', node.id, 'begin');
      await guard(log, 'convert', node.id, () => convertNode(control.disk(node.id), node.id, convert, log));
    }
    await restartAll(log, control, nodes, 'etcd', 'restart');
    await validate(log, control, nodes, options.timestamp);
    return { exitCode: 0, events: log.events, error: null };
  } catch (error) {
    if (error instanceof Abort) return { exitCode: 1, events: log.events, error: error.message };
    throw error;
  }
}

export interface RollbackOptions {
  nodes: string;
  timestamp: string;
  /** Writes acknowledged before the migration, read again after the rollback. */
  acknowledged?: readonly (readonly [string, string])[];
  onEvent?: (event: MigrationEvent) => void;
}

/** Rollback: stop every node, put each one's newest hashicorp backup back, restart on hashicorp, validate. */
export async function runRollback(control: NodeControl, options: RollbackOptions): Promise<MigrationOutcome> {
  const log: EventLog = new EventLog(options.onEvent);
  try {
    const nodes = parseNodes(options.nodes);
    if (!nodes.ok) log.fail('parse', null, `NODES: ${nodes.error}`);
    const violationsBefore = control.safetyViolations().length;
    await stopAll(log, control, nodes.value, 'rollback');
    for (const node of nodes.value) {
      await guard(log, 'rollback', node.id, () => rollbackNode(control.disk(node.id), node.id, options.timestamp, log));
    }
    await restartAll(log, control, nodes.value, 'hashicorp', 'rollback');
    await validate(log, control, nodes.value, options.timestamp, { step: 'rollback', readAfterLeaderChange: true, acknowledged: options.acknowledged, violationsBefore });
    return { exitCode: 0, events: log.events, error: null };
  } catch (error) {
    if (error instanceof Abort) return { exitCode: 1, events: log.events, error: error.message };
    throw error;
  }
}

function parseArguments(log: EventLog, options: OrchestratorOptions): NodeSpec[] {
  const nodes = parseNodes(options.nodes);
  if (!nodes.ok) log.fail('parse', null, `NODES: ${nodes.error}`);
  const peers = parsePeers(options.peers);
  if (!peers.ok) log.fail('parse', null, `PEERS: ${peers.error}`);
  if (!timestampPattern.test(options.timestamp)) log.fail('parse', null, `timestamp "${options.timestamp}" is not YYYYMMDDTHHMMSSZ`);
  const peerIds = new Set(peers.value.map((peer) => peer.id));
  for (const node of nodes.value) {
    if (!peerIds.has(node.id)) log.fail('parse', node.id, `node ${node.id} is not in PEERS: it could not find itself in the new configuration`);
  }
  log.emit('parse', null, 'ok', `${nodes.value.length} nodes, ${peers.value.length} peers`);
  return nodes.value;
}

async function confirm(log: EventLog, nodes: NodeSpec[], options: OrchestratorOptions): Promise<boolean> {
  log.emit('plan', null, 'info', `migrate ${nodes.length} nodes from hashicorp raft to etcd raft`);
  for (const node of nodes) log.emit('plan', node.id, 'info', `${node.host}: stop, convert ${raftEngineMarkerFile} hashicorp -> etcd, archive raft.db into hashicorp-backup-${options.timestamp}, restart on etcd`);
  log.emit('plan', null, 'info', `This will STOP ALL NODES (${nodes.map((node) => node.id).join(', ')}) and convert their data dirs. There will be cluster downtime until every node restarts on etcd.`);
  if (options.yes === true) {
    log.emit('confirm', null, 'skip', '--yes');
    return true;
  }
  const answer = (await (options.confirm?.(confirmPrompt) ?? Promise.resolve(''))).replace(/\r?\n$/, '');
  if (answer === 'y' || answer === 'Y') {
    log.emit('confirm', null, 'ok', 'confirmed');
    return true;
  }
  log.emit('confirm', null, 'fail', 'aborted');
  return false;
}

export async function stopAll(log: EventLog, control: NodeControl, nodes: NodeSpec[], step: MigrationStep): Promise<void> {
  const quiet = await control.quiesce();
  log.emit(step, null, 'info', quiet.ok ? 'every running node applied the same index' : `not quiesced: ${quiet.error}`);
  for (const node of nodes) await control.stop(node.id);
  for (const node of nodes) {
    if (!(await control.isStopped(node.id))) {
      log.fail(step, node.id, `${node.id} is still running after the stop; nothing was changed: stop it by hand, then rerun`);
    }
    log.emit(step, node.id, 'ok', 'stopped');
  }
}

/** Every fsm.db loads, and all nodes hold the same applied index and state. */
async function preflight(log: EventLog, control: NodeControl, nodes: NodeSpec[]): Promise<void> {
  let reference: { node: string; appliedIndex: number; data: Uint8Array } | null = null;
  for (const node of nodes) {
    const loaded = await guard(log, 'preflight', node.id, () => loadFsmStore(control.disk(node.id), fsmStoreDirName));
    if (!loaded.ok) log.fail('preflight', node.id, `${node.id}: ${loaded.error.message}; nothing was changed: restore ${fsmStoreDirName} (or start the node on hashicorp and stop it cleanly), then rerun`);
    const { appliedIndex, data } = loaded.value;
    log.emit('preflight', node.id, 'ok', `${fsmStoreDirName} applied index ${appliedIndex}, ${data.length} bytes`);
    if (reference === null) {
      reference = { node: node.id, appliedIndex, data };
    } else if (reference.appliedIndex !== appliedIndex || !sameBytes(reference.data, data)) {
      log.fail('preflight', node.id, `${node.id}'s ${fsmStoreDirName} (applied ${appliedIndex}) differs from ${reference.node}'s (applied ${reference.appliedIndex}); nothing was changed: start the cluster on hashicorp, stop writes, let every node catch up, then rerun`);
    }
  }
}

export async function restartAll(log: EventLog, control: NodeControl, nodes: NodeSpec[], engine: 'etcd' | 'hashicorp', step: MigrationStep): Promise<void> {
  for (const node of nodes) {
    const started = await control.start(node.id, engine);
    if (!started.ok) log.fail(step, node.id, `${started.error}; roll back with --rollback, or fix the node and rerun`);
    log.emit(step, node.id, 'ok', `started on ${engine}`);
  }
}

export interface ValidateOptions {
  step?: MigrationStep;
  /**
   * hashicorp answers reads only on its leader, so to read on another node than the writer,
   * the writer is stopped (gracefully) until another node leads, read there, then restarted.
   */
  readAfterLeaderChange?: boolean;
  /** Writes acknowledged before the procedure, read again on the reading node. */
  acknowledged?: readonly (readonly [string, string])[];
  /** Safety violations recorded before the procedure started, which it does not answer for. */
  violationsBefore?: number;
}

/**
 * A leader, a write on it read on another node, the writes acknowledged before the procedure
 * read there too, no safety violation.
 */
export async function validate(log: EventLog, control: NodeControl, nodes: NodeSpec[], timestamp: string, check: ValidateOptions = {}): Promise<void> {
  const step = check.step ?? 'validate';
  const leader = await control.awaitLeader();
  if (!leader.ok) log.fail(step, null, `no leader: ${leader.error}`);
  log.emit(step, leader.value.node, 'ok', `leader in term ${leader.value.term}`);
  const writer = leader.value.node;
  const value = `${step}-${timestamp}`;
  const wrote = await control.put(writer, validationKey, value);
  if (!wrote.ok) log.fail(step, writer, `write failed: ${wrote.error}`);
  const reader = check.readAfterLeaderChange === true ? await leaderAfterStopping(log, control, nodes, writer, step) : nodes.find((node) => node.id !== writer)?.id ?? writer;
  const problems: string[] = [];
  const read = await control.get(reader, validationKey);
  if (!read.ok) problems.push(`read failed: ${read.error}`);
  else if (read.value !== value) problems.push(`read ${JSON.stringify(read.value)} on ${reader} after ${writer} wrote ${JSON.stringify(value)}`);
  for (const [key, expected] of check.acknowledged ?? []) {
    const again = await control.get(reader, key);
    if (!again.ok) problems.push(`read ${key} failed: ${again.error}`);
    else if (again.value !== expected) problems.push(`${key} acknowledged as ${JSON.stringify(expected)} before the migration reads ${JSON.stringify(again.value)} on ${reader}`);
  }
  // Only what happened during this procedure counts (a rollback follows a failed etcd era).
  problems.push(...control.safetyViolations().slice(check.violationsBefore ?? 0));
  if (reader !== writer && check.readAfterLeaderChange === true) {
    const restarted = await control.start(writer, 'hashicorp');
    if (!restarted.ok) problems.push(`${writer} did not restart: ${restarted.error}`);
    else log.emit(step, writer, 'ok', 'restarted on hashicorp');
  }
  if (problems.length > 0) log.fail(step, reader, problems.join('; '));
  const also = (check.acknowledged?.length ?? 0) > 0 ? ` and the ${check.acknowledged!.length} writes acknowledged before the migration` : '';
  log.emit(step, reader, 'ok', `read on ${reader} what ${writer} wrote${also}`);
}

/** Stops the leader so another node leads (a quorum must remain); returns the reading node. */
async function leaderAfterStopping(log: EventLog, control: NodeControl, nodes: NodeSpec[], writer: string, step: MigrationStep): Promise<string> {
  if (nodes.length < 3) {
    log.emit(step, writer, 'info', `${nodes.length} node(s): no quorum without ${writer}, so the read is on ${writer}`);
    return writer;
  }
  await control.stop(writer);
  log.emit(step, writer, 'info', `stopped ${writer} so that another node leads and answers the read`);
  const next = await control.awaitLeader();
  if (!next.ok) log.fail(step, null, `no leader without ${writer}: ${next.error}`);
  if (next.value.node === writer) log.fail(step, writer, `${writer} still leads after it was stopped`);
  log.emit(step, next.value.node, 'ok', `leader in term ${next.value.term}`);
  return next.value.node;
}

/** Runs a file-system step; an FsError (missing file, full disk) aborts with its message. */
export async function guard<T>(log: EventLog, step: MigrationStep, node: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof FsError) log.fail(step, node, `${error.message}; rerun once the cause is fixed (the backup and fsm.db are untouched)`);
    throw error;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
