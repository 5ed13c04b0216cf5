// The etcd-style engine's storage: a data dir laid out as elastickv's etcd engine lays it out
// (`raft-engine`, `wal/`, `snap/`, `etcd-raft-peers.bin`), recovered into the engine's in-memory
// Storage, and written before the host sends anything.
//
// Open: the engine-switch safety check (writing the marker), removal of temp files, then
// recovery: the WAL is read and verified (a torn tail is truncated and reported, any other damage
// stops the open with the file and offset), the newest valid snapshot file that the WAL has a
// marker for is loaded (corrupt ones are reported and skipped), and the WAL's entries after it
// are replayed on top, with the last HardState.
//
// Ready order: save(ready) appends the snapshot marker (after writing the snapshot file), the
// entries and the HardState to the WAL with one write and one fsync, and resolves only after the
// fsync, so the caller sends the Ready's messages after it resolves. Every operation is queued:
// two never interleave, so a peers-file write and a snapshot save cannot cross.
import { discardLogger, type Logger } from '../raft/logger';
import { MemoryStorage } from '../raft/log/log-storage';
import type { Ready } from '../raft/ready';
import {
  isEmptyHardState,
  isEmptySnapshot,
  type ConfState,
  type Entry,
  type HardState,
  type LogIndex,
  type Snapshot,
} from '../raft/types';
import type { DecodeError } from './codec/decode-error';
import { ensureRaftEngineDataDir, type RaftEngineDataDirError } from './datadir/engine-check';
import { ensureDirDurable, removeTempFiles } from './fs/atomic-write';
import type { FileSystem } from './fs/file-system';
import { joinPath } from './fs/path';
import type { PersistedPeers } from './peers/peers-file';
import { loadPeersFile, savePeersFile, writeCurrentPeersFile } from './peers/peers-store';
import { success, type Result } from './result';
import { loadNewestSnapshot, purgeSnapFiles, saveSnapFile, type SnapWarning } from './snap/snapshotter';
import type { TornTailWarning, WalCorruptionError } from './wal/wal-error';
import { openWal } from './wal/wal-open';
import { WalRecordType, type WalRecord } from './wal/wal-record';
import { entriesAfter } from './wal/wal-replay';
import type { WalWriter } from './wal/wal-writer';

export const walDirName = 'wal';
export const snapDirName = 'snap';
/** How many snapshot files compact() keeps. */
export const snapFilesRetainedDefault = 2;

export interface TempFileWarning {
  kind: 'temp-file-removed';
  file: string;
  message: string;
}

export type StorageWarning = TornTailWarning | SnapWarning | TempFileWarning;

export type EtcdStorageOpenError = RaftEngineDataDirError | WalCorruptionError;

export interface EtcdStorageOptions {
  /** The node's data dir inside `fs` ('' = its root). */
  dataDir?: string;
  /** How the data dir is named in messages. */
  displayDir?: string;
  /** WAL segment cut size. */
  segmentBytesMax?: number;
  snapFilesRetained?: number;
  logger?: Logger;
}

/** The parts of a Ready that go to disk. */
export type ReadyToSave = Pick<Ready, 'hardState' | 'entries' | 'snapshot'>;

export class EtcdStorage {
  /** The engine reads from this; save() and friends keep it equal to what is on disk. */
  readonly storage: MemoryStorage;
  private queue: Promise<unknown> = Promise.resolve();
  private tempId = 1;

  private constructor(
    private readonly fs: FileSystem,
    private readonly dataDir: string,
    private readonly wal: WalWriter,
    private readonly options: EtcdStorageOptions,
    /** What recovery had to report (torn tail, skipped snapshots, removed temp files). */
    readonly warnings: StorageWarning[],
  ) {
    this.storage = new MemoryStorage(options.logger ?? discardLogger);
  }

  static async open(
    fs: FileSystem,
    options: EtcdStorageOptions = {},
  ): Promise<Result<EtcdStorage, EtcdStorageOpenError>> {
    const dataDir = options.dataDir ?? '';
    const checked = await ensureRaftEngineDataDir(fs, dataDir, 'etcd', { displayDir: options.displayDir });
    if (!checked.ok) return checked;
    const warnings: StorageWarning[] = await removeAllTempFiles(fs, dataDir);
    await ensureDirDurable(fs, joinPath(dataDir, snapDirName));
    const opened = await openWal(fs, joinPath(dataDir, walDirName), { segmentBytesMax: options.segmentBytesMax });
    if (!opened.ok) return opened;
    const { writer, replay, tornTail } = opened.value;
    if (tornTail !== null) warnings.push(tornTail);
    const markers = new Set(replay.markers.map((marker) => `${marker.index}/${marker.term}`));
    const loaded = await loadNewestSnapshot(
      fs,
      joinPath(dataDir, snapDirName),
      (index, term) => markers.has(`${index}/${term}`),
      { repair: true },
    );
    warnings.push(...loaded.warnings);
    const snapshotIndex = loaded.snapshot?.metadata.index ?? 0;
    const entries = entriesAfter(replay, snapshotIndex, joinPath(dataDir, walDirName));
    if (!entries.ok) return entries;
    const result = new EtcdStorage(fs, dataDir, writer, options, warnings);
    result.restore(loaded.snapshot, replay.hardState, entries.value);
    for (const warning of warnings) options.logger?.warning(warning.message);
    return success(result);
  }

  get hardState(): HardState {
    return { ...this.storage.hardState };
  }

  get confState(): ConfState {
    return this.storage.initialState().confState;
  }

  /**
   * Persists a Ready's snapshot, entries and HardState and fsyncs them; resolves when they are
   * durable, and only then may the caller send the Ready's messages. It fsyncs even when the
   * Ready's mustSync is false (only the commit index changed): stricter than etcd, never weaker.
   */
  save(ready: ReadyToSave): Promise<void> {
    return this.enqueue(async () => {
      const records: WalRecord[] = [];
      const hasSnapshot = !isEmptySnapshot(ready.snapshot);
      if (hasSnapshot) {
        await saveSnapFile(this.fs, this.snapDir(), ready.snapshot, this.tempId++);
        const { index, term } = ready.snapshot.metadata;
        records.push({ type: WalRecordType.SnapshotMarker, marker: { index, term } });
      }
      for (const entry of ready.entries) records.push({ type: WalRecordType.Entry, entry });
      if (!isEmptyHardState(ready.hardState)) records.push({ type: WalRecordType.HardState, hardState: ready.hardState });
      if (records.length === 0) return;
      this.wal.append(records);
      await this.wal.sync();
      if (hasSnapshot) this.storage.applySnapshot(ready.snapshot);
      if (!isEmptyHardState(ready.hardState)) this.storage.setHardState(ready.hardState);
      this.storage.append(ready.entries);
    });
  }

  /**
   * Takes a local snapshot of the applied state at `index` (see MemoryStorage.createSnapshot),
   * writes its file and WAL marker durably, and returns it.
   */
  createSnapshot(index: LogIndex, confState: ConfState | null, data: Uint8Array | null): Promise<Snapshot> {
    return this.enqueue(async () => {
      const snapshot = this.storage.createSnapshot(index, confState, data);
      await saveSnapFile(this.fs, this.snapDir(), snapshot, this.tempId++);
      this.wal.append([{ type: WalRecordType.SnapshotMarker, marker: { index, term: snapshot.metadata.term } }]);
      await this.wal.sync();
      return snapshot;
    });
  }

  /**
   * Discards log entries up to `index` in memory, and on disk the WAL segments and snapshot
   * files that a durable snapshot makes unnecessary.
   */
  compact(index: LogIndex): Promise<void> {
    return this.enqueue(async () => {
      // Recovery already dropped what a recovered snapshot covers.
      if (index >= this.storage.firstIndex()) this.storage.compact(index);
      const covered = Math.min(index, this.wal.latestMarker.index);
      await this.wal.purge(covered);
      await purgeSnapFiles(this.fs, this.snapDir(), this.options.snapFilesRetained ?? snapFilesRetainedDefault);
    });
  }

  /** The peers file, null when absent. */
  loadPeers(): Promise<Result<PersistedPeers | null, DecodeError>> {
    return this.enqueue(() => loadPeersFile(this.fs, this.dataDir));
  }

  /** Writes the peers file unless the one on disk is newer (see peers-store.ts). */
  savePeers(state: PersistedPeers): Promise<Result<boolean, DecodeError>> {
    return this.enqueue(() => savePeersFile(this.fs, this.dataDir, state, this.tempId++));
  }

  /**
   * Runs `work` with the storage to itself (elastickv's "under one lock"): a committed conf
   * change writes the peers file and saves its config snapshot inside one such call.
   */
  exclusive<T>(work: (access: ExclusiveAccess) => Promise<T>): Promise<T> {
    return this.enqueue(() =>
      work({
        writeCurrentPeers: (state) => writeCurrentPeersFile(this.fs, this.dataDir, state, this.tempId++),
        saveSnapshotFile: async (snapshot) => {
          await saveSnapFile(this.fs, this.snapDir(), snapshot, this.tempId++);
          const { index, term } = snapshot.metadata;
          this.wal.append([{ type: WalRecordType.SnapshotMarker, marker: { index, term } }]);
          await this.wal.sync();
        },
      }),
    );
  }

  private restore(snapshot: Snapshot | null, hardState: HardState, entries: Entry[]): void {
    if (snapshot !== null) this.storage.applySnapshot(snapshot);
    const snapshotIndex = snapshot?.metadata.index ?? 0;
    // A torn save can leave a received snapshot's marker without the HardState written after
    // it; the snapshot is committed, so the commit index is at least its index.
    const commit = Math.max(hardState.commit, snapshotIndex);
    if (!isEmptyHardState(hardState) || commit > 0) this.storage.setHardState({ ...hardState, commit });
    this.storage.append(entries);
  }

  private snapDir(): string {
    return joinPath(this.dataDir, snapDirName);
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

export interface ExclusiveAccess {
  writeCurrentPeers(state: PersistedPeers): Promise<void>;
  /** Saves a snapshot file and its WAL marker durably (the memory Storage is the caller's). */
  saveSnapshotFile(snapshot: Snapshot): Promise<void>;
}

async function removeAllTempFiles(fs: FileSystem, dataDir: string): Promise<TempFileWarning[]> {
  const warnings: TempFileWarning[] = [];
  for (const dir of [dataDir, joinPath(dataDir, walDirName), joinPath(dataDir, snapDirName)]) {
    if (!(await fs.exists(dir))) continue;
    for (const name of await removeTempFiles(fs, dir)) {
      const file = joinPath(dir, name);
      warnings.push({ kind: 'temp-file-removed', file, message: `removed temp file ${file} left by an interrupted write` });
    }
  }
  return warnings;
}

