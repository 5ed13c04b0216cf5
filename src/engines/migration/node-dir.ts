// One node's data dir during the migration and the rollback. Every move is a rename made durable
// (both folders fsynced), and the order keeps the dir one that the engine-switch check judges
// right at every crash point:
//   convert: remove the `hashicorp` marker (raft.db alone still reads as hashicorp); run the
//   migrator into a fresh temp dir; move wal, snap, the peers file in (now mixed: both engines
//   refuse); archive snapshots, logs.dat, stable.dat and raft.db last into
//   hashicorp-backup-<ts>/ (mixed until raft.db leaves, then etcd only); write the `etcd` marker.
// Rerunning after a crash resumes: a dir whose etcd files are incomplete gets them regenerated
// from fsm.db (never moved); one with all of them and hashicorp files left finishes archiving
// into the interrupted run's backup; one already on etcd only gets its marker written.
// Nothing in a backup is ever overwritten or removed.
import { encodeEngineMarker, raftEngineMarkerFile } from '../../storage/datadir/engine-marker';
import { writeFileAtomic } from '../../storage/fs/atomic-write';
import type { FileSystem } from '../../storage/fs/file-system';
import { joinPath } from '../../storage/fs/path';
import { peersFileName } from '../../storage/peers/peers-file';
import { fsmStoreDirName } from '../fsm-store';
import type { EventLog } from './orchestrator';
import { migratePathErrorPrefix, migrate } from './migrator';
import type { MigrationBug } from './sim-cluster';

export const etcdMovedNames = ['wal', 'snap', peersFileName];
/** Archived in this order: raft.db last, so the dir reads as mixed until the archive is whole. */
export const hashicorpArchivedNames = ['snapshots', 'logs.dat', 'stable.dat', 'raft.db'];
export const backupPrefix = 'hashicorp-backup-';
export const rollbackPrefix = 'etcd-rollback-';
/** The migrator's scratch space on the node's disk (renames need the same file system). */
export const migrateTempDir = '.raftlab-migrate';

export interface ConvertOptions {
  peers: string;
  timestamp: string;
  bugs: readonly MigrationBug[];
}

export interface NodeDirState {
  etcd: string[];
  hashicorp: string[];
  backups: string[];
}

export async function inspectNodeDir(fs: FileSystem): Promise<NodeDirState> {
  const present = async (names: string[]) => {
    const found: string[] = [];
    for (const name of names) if (await fs.exists(name)) found.push(name);
    return found;
  };
  const backups = (await fs.list('')).filter((name) => name.startsWith(backupPrefix)).sort();
  return { etcd: await present(etcdMovedNames), hashicorp: await present(hashicorpArchivedNames), backups };
}

export async function convertNode(fs: FileSystem, node: string, options: ConvertOptions, log: EventLog): Promise<void> {
  let state = await inspectNodeDir(fs);
  const required = options.bugs.includes('no-peers-file') ? etcdMovedNames.filter((name) => name !== peersFileName) : etcdMovedNames;
  const etcdComplete = required.every((name) => state.etcd.includes(name));
  if (etcdComplete && state.hashicorp.length === 0) {
    await writeMarker(fs, 'etcd');
    log.emit('convert', node, 'skip', 'already has etcd state; marker written');
    return;
  }
  if (!etcdComplete) {
    if (!state.hashicorp.includes('raft.db') && state.backups.length > 0) {
      log.fail('convert', node, `${node} has no raft.db and incomplete etcd state; restore it from ${state.backups[state.backups.length - 1]} (rollback), then rerun`);
    }
    await removeIfPresent(fs, raftEngineMarkerFile);
    // Leftovers of an interrupted run are regenerated from fsm.db, which is never moved.
    for (const name of state.etcd) await fs.remove(name, { recursive: true });
    await fs.fsyncDir('');
    await installEtcdState(fs, node, options, log);
    state = await inspectNodeDir(fs);
  }
  // Resuming an interrupted archive continues into that run's backup; a fresh one gets its own.
  const newest = state.backups[state.backups.length - 1];
  const backup = etcdComplete && newest !== undefined ? newest : `${backupPrefix}${options.timestamp}`;
  await archive(fs, node, backup, log);
  await writeMarker(fs, 'etcd');
  await removeIfPresent(fs, migrateTempDir, true);
  log.emit('convert', node, 'ok', `marker etcd; hashicorp state in ${backup}/`);
}

async function installEtcdState(fs: FileSystem, node: string, options: ConvertOptions, log: EventLog): Promise<void> {
  await removeIfPresent(fs, migrateTempDir, true);
  await fs.mkdir(migrateTempDir);
  await fs.fsyncDir('');
  const dest = joinPath(migrateTempDir, 'dest');
  const migrated = await migrate(fs, { fsmStore: fsmStoreDirName, dest, peers: options.peers });
  if (!migrated.ok) {
    // A file-system failure inside the migrator (a full disk) leaves fsm.db and the backup as
    // they were, so the run can simply be repeated.
    const rerun = migrated.error.startsWith(migratePathErrorPrefix) ? '; rerun once the cause is fixed (the backup and fsm.db are untouched)' : '';
    log.fail('convert', node, `migrator: ${migrated.error}${rerun}`);
  }
  log.emit('convert', node, 'info', migrated.value.line);
  // The post-merge bug: the script moved etcd's usual `member/` dir, which this migrator never
  // creates, so the move fails and the node is left unconverted. As in elastickv's script (run
  // under `set -euo pipefail`), the failure stops the whole procedure there, loudly.
  // The other: the peers file left behind, so every node starts without it.
  let names = options.bugs.includes('orchestrator-member-dir') ? ['member', ...etcdMovedNames] : etcdMovedNames;
  if (options.bugs.includes('no-peers-file')) names = names.filter((name) => name !== peersFileName);
  for (const name of names) {
    await fs.rename(joinPath(dest, name), name);
    await fs.fsyncDir(dest);
    await fs.fsyncDir('');
    log.emit('convert', node, 'info', `moved ${name} in`);
  }
}

async function archive(fs: FileSystem, node: string, backup: string, log: EventLog): Promise<void> {
  if (!(await fs.exists(backup))) {
    await fs.mkdir(backup);
    await fs.fsyncDir('');
  }
  for (const name of hashicorpArchivedNames) {
    if (!(await fs.exists(name))) continue;
    const target = joinPath(backup, name);
    if (await fs.exists(target)) log.fail('convert', node, `${target} already exists; refusing to overwrite a backup: inspect both copies of ${name}`);
    await fs.rename(name, target);
    await fs.fsyncDir(backup);
    await fs.fsyncDir('');
    log.emit('convert', node, 'info', `archived ${name} into ${backup}/`);
  }
}

export async function writeMarker(fs: FileSystem, engine: 'etcd' | 'hashicorp'): Promise<void> {
  await writeFileAtomic(fs, raftEngineMarkerFile, encodeEngineMarker(engine), 1);
}

async function removeIfPresent(fs: FileSystem, name: string, recursive = false): Promise<void> {
  if (!(await fs.exists(name))) return;
  await fs.remove(name, { recursive });
  await fs.fsyncDir('');
}

/**
 * Puts the newest backup back: marker removed; hashicorp files moved back (mixed: both engines
 * refuse); etcd files moved aside into etcd-rollback-<ts>/ (never deleted); marker `hashicorp`.
 */
export async function rollbackNode(fs: FileSystem, node: string, timestamp: string, log: EventLog): Promise<void> {
  const state = await inspectNodeDir(fs);
  const backup = state.backups[state.backups.length - 1];
  if (backup === undefined && state.hashicorp.includes('raft.db') && state.etcd.length === 0) {
    await writeMarker(fs, 'hashicorp');
    log.emit('rollback', node, 'skip', 'already on hashicorp; marker written');
    return;
  }
  if (backup === undefined) log.fail('rollback', node, `${node} has no ${backupPrefix}* dir: nothing to roll back to`);
  await removeIfPresent(fs, raftEngineMarkerFile);
  for (const name of await fs.list(backup)) {
    if (await fs.exists(name)) log.fail('rollback', node, `${name} exists both in the data dir and in ${backup}/; inspect them`);
    await fs.rename(joinPath(backup, name), name);
    await fs.fsyncDir('');
    await fs.fsyncDir(backup);
  }
  const aside = `${rollbackPrefix}${timestamp}`;
  if (!(await fs.exists(aside))) {
    await fs.mkdir(aside);
    await fs.fsyncDir('');
  }
  for (const name of etcdMovedNames) {
    if (!(await fs.exists(name))) continue;
    await fs.rename(name, joinPath(aside, name));
    await fs.fsyncDir(aside);
    await fs.fsyncDir('');
  }
  await fs.remove(backup);
  await fs.fsyncDir('');
  await writeMarker(fs, 'hashicorp');
  log.emit('rollback', node, 'ok', `restored ${backup}/; etcd state set aside in ${aside}/`);
}
