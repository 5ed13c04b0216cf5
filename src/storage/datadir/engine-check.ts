// The engine-switch safety check elastickv runs before an engine opens a data dir
// (ensureRaftEngineDataDir), with its sentinel errors and messages:
// 1. create the dir; 2. a marker decides (invalid content or another engine is an error);
// 3. without a marker, the artifacts on disk decide (both kinds: mixed; the other kind: error);
// 4. on success, even for an empty dir, write the marker at once (atomically, dir fsynced).
import { ensureDirDurable, writeFileAtomic } from '../fs/atomic-write';
import { readFileIfExists, type FileSystem } from '../fs/file-system';
import { joinPath } from '../fs/path';
import { failure, success, type Result } from '../result';
import {
  decodeEngineMarker,
  encodeEngineMarker,
  raftEngineMarkerFile,
  type RaftEngineType,
} from './engine-marker';

export type RaftEngineSentinel =
  | 'ErrRaftEngineDataDir'
  | 'ErrMixedRaftEngineArtifacts'
  | 'ErrUnsupportedRaftEngine'
  | 'ErrLegacyBoltdbStorage';

export const errRaftEngineDataDirText = 'raft data dir belongs to a different raft engine';
export const errMixedRaftEngineArtifactsText = 'raft data dir contains artifacts for multiple raft engines';
export const errUnsupportedRaftEngineText = 'unsupported raft engine';

/** A data dir an engine must not open. `message` is elastickv's error text. */
export class RaftEngineDataDirError extends Error {
  override name = 'RaftEngineDataDirError';
  constructor(
    readonly sentinel: RaftEngineSentinel,
    message: string,
  ) {
    super(message);
  }
}

export const hashicorpArtifacts = ['raft.db', 'logs.dat', 'stable.dat'];
export const etcdArtifacts = ['wal', 'snap', 'member/wal', 'member/snap', 'etcd-fsm-snapshot.bin'];
const etcdArtifactPattern = /^etcd-raft-.*\.bin$/;

export interface EngineCheckOptions {
  /** How the dir is named in messages (a real path for the CLI); defaults to the node path. */
  displayDir?: string;
  /** The temp-file number for the marker's atomic write. */
  tempId?: number;
}

export interface EngineCheckOutcome {
  engine: RaftEngineType;
  /** Whether the marker was written now (false when it was already there). */
  markerWritten: boolean;
}

export async function ensureRaftEngineDataDir(
  fs: FileSystem,
  dir: string,
  engine: RaftEngineType,
  options: EngineCheckOptions = {},
): Promise<Result<EngineCheckOutcome, RaftEngineDataDirError>> {
  const shown = options.displayDir ?? dir;
  await ensureDirDurable(fs, dir);
  const markerPath = joinPath(dir, raftEngineMarkerFile);
  const markerBytes = await readFileIfExists(fs, markerPath);
  if (markerBytes !== null) {
    const marker = decodeEngineMarker(markerBytes);
    if (!marker.ok) {
      const shownMarker = shown === '' ? raftEngineMarkerFile : `${shown}/${raftEngineMarkerFile}`;
      return failure(
        new RaftEngineDataDirError(
          'ErrUnsupportedRaftEngine',
          `invalid raft engine marker ${shownMarker}: ${marker.quotedContent}: ${errUnsupportedRaftEngineText}`,
        ),
      );
    }
    if (marker.engine !== engine) {
      return failure(
        new RaftEngineDataDirError(
          'ErrRaftEngineDataDir',
          `${shown} is initialized for ${marker.engine}, not ${engine}: ${errRaftEngineDataDirText}`,
        ),
      );
    }
    return success({ engine, markerWritten: false });
  }
  const detected = await detectRaftEngine(fs, dir, shown);
  if (!detected.ok) return detected;
  if (detected.value !== null && detected.value !== engine) {
    return failure(
      new RaftEngineDataDirError(
        'ErrRaftEngineDataDir',
        `${shown} contains ${detected.value} state, not ${engine}: ${errRaftEngineDataDirText}`,
      ),
    );
  }
  await writeFileAtomic(fs, markerPath, encodeEngineMarker(engine), options.tempId ?? 0);
  return success({ engine, markerWritten: true });
}

/** Which engine's artifacts the dir holds (null: none); both kinds is an error. */
export async function detectRaftEngine(
  fs: FileSystem,
  dir: string,
  shown: string = dir,
): Promise<Result<RaftEngineType | null, RaftEngineDataDirError>> {
  const hashicorp = await hasAny(fs, dir, hashicorpArtifacts);
  const names = await fs.list(dir);
  const etcd = (await hasAny(fs, dir, etcdArtifacts)) || names.some((name) => etcdArtifactPattern.test(name));
  if (hashicorp && etcd) {
    return failure(new RaftEngineDataDirError('ErrMixedRaftEngineArtifacts', `${shown}: ${errMixedRaftEngineArtifactsText}`));
  }
  if (hashicorp) return success('hashicorp');
  if (etcd) return success('etcd');
  return success(null);
}

async function hasAny(fs: FileSystem, dir: string, paths: readonly string[]): Promise<boolean> {
  for (const path of paths) if (await fs.exists(joinPath(dir, path))) return true;
  return false;
}

export const legacyBoltdbFiles = ['logs.dat', 'stable.dat'];

/**
 * The hashicorp engine refuses a dir holding the legacy boltdb files (elastickv's message), since
 * its Pebble-backed store would start empty beside them and lose the log.
 */
export async function checkLegacyBoltdbStorage(
  fs: FileSystem,
  dir: string,
  displayDir: string = dir,
): Promise<Result<void, RaftEngineDataDirError>> {
  for (const legacy of legacyBoltdbFiles) {
    if (await fs.exists(joinPath(dir, legacy))) {
      return failure(
        new RaftEngineDataDirError(
          'ErrLegacyBoltdbStorage',
          `legacy boltdb Raft storage "${legacy}" found in ${displayDir}; manual migration required before using Pebble-backed storage`,
        ),
      );
    }
  }
  return success(undefined);
}

/** How elastickv's callers report a failed start: "failed to start raft group N: ...". */
export function raftGroupStartError(groupId: number, error: Error): Error {
  return new Error(`failed to start raft group ${groupId}: ${error.message}`);
}
