// The HashiCorp-style engine's data dir, laid out as elastickv lays out a hashicorp node:
//   raft-engine        marker `hashicorp\n` (written by the engine-switch safety check)
//   raft.db/           logs.bin (log store) and stable.bin (stable store)
//   snapshots/         file snapshots, the newest `retain` kept
// Opening runs, in order: the engine-switch safety check (a dir of the other engine, a mixed dir
// or a bad marker is refused; the marker is written at once), the legacy check (`logs.dat` or
// `stable.dat` is refused with elastickv's "manual migration required"), removal of temp files
// left by atomic writes, then recovery: the stable store, the log (a torn last write is cut off),
// and the newest valid snapshot. Every store write is durable when its promise resolves.
import { checkLegacyBoltdbStorage, ensureRaftEngineDataDir } from '../../storage/datadir/engine-check';
import { ensureDirDurable, removeTempFiles } from '../../storage/fs/atomic-write';
import type { FileSystem } from '../../storage/fs/file-system';
import { joinPath } from '../../storage/fs/path';
import { failure, success, type Result } from '../../storage/result';
import { logFileName, LogStore } from './log-store';
import type { RecoveredState } from './raft';
import type { StoreWrite } from './raft-output';
import { SnapshotStore, snapshotsRetainedDefault } from './snapshot-store';
import { stableFileName, StableStore } from './stable-store';
import type { LogEntry } from './types';

export const raftDbDirName = 'raft.db';
export const snapshotsDirName = 'snapshots';

export interface DataDirOptions {
  /** The node's data dir inside `fs` ('' = its root). */
  dataDir?: string;
  /** How the dir is named in messages. */
  displayDir?: string;
  snapshotsRetained?: number;
}

export class HashicorpDataDir {
  private constructor(
    readonly stable: StableStore,
    readonly logs: LogStore,
    readonly snapshots: SnapshotStore,
    readonly recovered: RecoveredState,
    /** What recovery had to report (a torn log tail, skipped snapshots, removed temp files). */
    readonly warnings: string[],
  ) {}

  static async open(fs: FileSystem, options: DataDirOptions = {}): Promise<Result<HashicorpDataDir, string>> {
    const dir = options.dataDir ?? '';
    const shown = options.displayDir ?? (dir === '' ? '.' : dir);
    const checked = await ensureRaftEngineDataDir(fs, dir, 'hashicorp', { displayDir: shown });
    if (!checked.ok) return failure(checked.error.message);
    const legacy = await checkLegacyBoltdbStorage(fs, dir, shown);
    if (!legacy.ok) return failure(legacy.error.message);
    const raftDb = joinPath(dir, raftDbDirName);
    await ensureDirDurable(fs, raftDb);
    const warnings: string[] = [];
    for (const folder of [dir, raftDb]) {
      for (const name of await removeTempFiles(fs, folder)) warnings.push(`${joinPath(folder, name)}: removed a temp file`);
    }
    let tempId = 1;
    const nextTempId = () => tempId++;
    const stable = await StableStore.open(fs, joinPath(raftDb, stableFileName), nextTempId);
    if (!stable.ok) return stable;
    const logs = await LogStore.open(fs, joinPath(raftDb, logFileName), nextTempId);
    if (!logs.ok) return logs;
    if (logs.value.warning !== null) warnings.push(logs.value.warning);
    const snapshots = await SnapshotStore.open(fs, joinPath(dir, snapshotsDirName), options.snapshotsRetained ?? snapshotsRetainedDefault);
    warnings.push(...snapshots.warnings);
    const newest = snapshots.newest;
    const recovered: RecoveredState = {
      stable: stable.value.state,
      entries: logs.value.entries,
      snapshot: newest === null ? null : { meta: newest.meta, data: newest.data },
    };
    const gap = checkContinuity(logs.value.entries, recovered.snapshot?.meta.index ?? 0);
    if (gap !== null) return failure(`${shown}: ${gap}`);
    return success(new HashicorpDataDir(stable.value, logs.value.store, snapshots.store, recovered, warnings));
  }

  /** Whether the dir holds any Raft state (hashicorp's HasExistingState). */
  get hasExistingState(): boolean {
    const { stable, entries, snapshot } = this.recovered;
    return stable.currentTerm > 0 || entries.length > 0 || snapshot !== null;
  }

  /** Performs one of the engine's writes; durable when the promise resolves. */
  async write(write: StoreWrite): Promise<void> {
    switch (write.kind) {
      case 'stable':
        return this.stable.save(write.state);
      case 'appendLogs':
        return this.logs.write({ kind: 'append', entries: write.entries });
      case 'deleteLogsFrom':
        return this.logs.write({ kind: 'deleteFrom', index: write.index });
      case 'deleteLogsThrough':
        return this.logs.write({ kind: 'deleteThrough', index: write.index });
      case 'saveSnapshot':
        await this.snapshots.create(write.meta, write.data);
        return;
    }
  }
}

/** The log must continue the snapshot: a hole between them would lose committed entries. */
function checkContinuity(entries: readonly LogEntry[], snapshotIndex: number): string | null {
  const first = entries[0];
  if (first === undefined || first.index <= snapshotIndex + 1) return null;
  return `the log starts at index ${first.index} but the newest snapshot ends at ${snapshotIndex}: entries are missing`;
}
