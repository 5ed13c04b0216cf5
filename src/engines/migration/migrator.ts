// The offline migrator, hashicorp -> etcd, as elastickv's `etcd-raft-migrate`:
//   migrate --fsm-store <fsm.db> --dest <dir> --peers id=host:port,...
// All three are required. It refuses when `dest` or `dest.migrating` exists (never overwrites, and
// an interrupted run's leftovers are for a person to look at). It snapshots the FSM (reads
// fsm.db, checks it decodes as a state machine) and writes into `dest.migrating/`:
//   snap/   the snapshot at Index 1, Term 1, voters = the peers, Data = the FSM bytes
//   wal/    a snapshot marker for it and HardState{Term 1, Commit 1}
//   etcd-raft-peers.bin  the peers at index 1, with elastickv's FNV-1a 64 NodeIDs
// then renames `dest.migrating` -> `dest` and fsyncs the parent, so `dest` appears whole or not
// at all. It prints `migrated snapshot_bytes=N peers=M`.
//
// Node ids: the snapshot's voters are the engine's numbers 1..M (see migratedRaftIds in
// arguments.ts for why and how they map to the peers file's 64-bit NodeIDs).
import type { Snapshot } from '../../raft/types';
import { ensureDirDurable } from '../../storage/fs/atomic-write';
import { FsError, type FileSystem } from '../../storage/fs/file-system';
import { describeFsError } from '../../storage/datadir/fs-error-text';
import { joinPath, parentPath } from '../../storage/fs/path';
import { writeCurrentPeersFile } from '../../storage/peers/peers-store';
import { failure, success, type Result } from '../../storage/result';
import { saveSnapFile } from '../../storage/snap/snapshotter';
import { WalRecordType } from '../../storage/wal/wal-record';
import { WalWriter } from '../../storage/wal/wal-writer';
import { loadFsmStore } from '../fsm-store';
import { KvStateMachine } from '../kv-state-machine';
import { migratedRaftIds, parsePeers } from './arguments';

export const migratedSnapshotIndex = 1;
export const migratedSnapshotTerm = 1;
export const migratingSuffix = '.migrating';

export interface MigrateOptions {
  /** The fsm.db folder (a path inside `fs`). */
  fsmStore?: string;
  dest?: string;
  /** `id=host:port,...` */
  peers?: string;
}

export interface MigrateSummary {
  snapshotBytes: number;
  peers: number;
  /** The line the tool prints. */
  line: string;
}

export interface MigrateContext {
  /** How paths are shown in messages (the CLI shows real paths). */
  display?: (path: string) => string;
}

/** Runs the migrator on `fs`. Expected failures (bad input, refusals, a bad fsm.db) are values. */
export async function migrate(fs: FileSystem, options: MigrateOptions, context: MigrateContext = {}): Promise<Result<MigrateSummary, string>> {
  const show = context.display ?? ((path: string) => path);
  try {
    return await migrateChecked(fs, options, show);
  } catch (error) {
    // A path the file system refuses (under a regular file, on a read-only or virtual file
    // system, a full disk) is bad input or an environment to fix, not a programmer error.
    if (!(error instanceof FsError)) throw error;
    const staging = `${options.dest ?? ''}${migratingSuffix}`;
    const leftover = (await existsQuietly(fs, staging)) ? `; remove ${show(staging)}, then retry` : '';
    return failure(`${migratePathErrorPrefix}${describeFsError(error, show)}${leftover}`);
  }
}

/** The start of the message for a path the file system refuses (the CLI exits 2 on it). */
export const migratePathErrorPrefix = 'cannot use this path: ';

/** Whether a migrate failure is bad input (a flag missing or a path unusable) rather than a refusal. */
export function isMigrateInputError(message: string): boolean {
  return message.endsWith(' is required') || message.startsWith(migratePathErrorPrefix) || / cannot be read: /.test(message);
}

async function existsQuietly(fs: FileSystem, path: string): Promise<boolean> {
  try {
    return await fs.exists(path);
  } catch {
    return false;
  }
}

async function migrateChecked(fs: FileSystem, options: MigrateOptions, show: (path: string) => string): Promise<Result<MigrateSummary, string>> {
  for (const [flag, value] of [['--fsm-store', options.fsmStore], ['--dest', options.dest], ['--peers', options.peers]] as const) {
    if (value === undefined || value === '') return failure(`${flag} is required`);
  }
  const { fsmStore, dest } = options as Required<MigrateOptions>;
  const peers = parsePeers(options.peers!);
  if (!peers.ok) return failure(`--peers: ${peers.error}`);
  if (dest === '') return failure('--dest must name a folder');
  const staging = `${dest}${migratingSuffix}`;
  if (await fs.exists(dest)) return failure(`destination ${show(dest)} already exists; refusing to overwrite it`);
  if (await fs.exists(staging)) {
    return failure(`${show(staging)} already exists (an interrupted migration?); inspect it and remove it, then retry`);
  }
  const loaded = await loadFsmStore(fs, fsmStore, show(fsmStore), show);
  if (!loaded.ok) return failure(loaded.error.message);
  // Snapshot the FSM: restore it into a state machine and serialise that, so what the etcd
  // engine restores is exactly what the state machine produces.
  const fsm = new KvStateMachine();
  const restored = fsm.restore(loaded.value.data);
  if (!restored.ok) return failure(`fsm store ${show(fsmStore)}: ${restored.error.message}`);
  const data = fsm.serialize();
  const voters = [...migratedRaftIds(peers.value).values()].sort((a, b) => a - b);
  const snapshot: Snapshot = {
    data,
    metadata: {
      index: migratedSnapshotIndex,
      term: migratedSnapshotTerm,
      confState: { voters, learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false },
    },
  };
  await ensureDirDurable(fs, staging);
  await writeEtcdState(fs, staging, snapshot);
  await writeCurrentPeersFile(fs, staging, { index: BigInt(migratedSnapshotIndex), peers: peers.value }, 1);
  await fs.rename(staging, dest);
  await fs.fsyncDir(parentPath(dest));
  const line = `migrated snapshot_bytes=${data.length} peers=${peers.value.length}`;
  return success({ snapshotBytes: data.length, peers: peers.value.length, line });
}

/** The snapshot file first, then the WAL that names it (as EtcdStorage.save orders them). */
async function writeEtcdState(fs: FileSystem, dir: string, snapshot: Snapshot): Promise<void> {
  const snapDir = joinPath(dir, 'snap');
  await ensureDirDurable(fs, snapDir);
  await saveSnapFile(fs, snapDir, snapshot, 1);
  const wal = await WalWriter.create(fs, joinPath(dir, 'wal'));
  const { index, term } = snapshot.metadata;
  wal.append([
    { type: WalRecordType.SnapshotMarker, marker: { index, term } },
    { type: WalRecordType.HardState, hardState: { term, vote: 0, commit: index } },
  ]);
  await wal.sync();
}
