// Loading and saving the peers file in a data dir. A file on disk with a higher Index is never
// overwritten by an older configuration (savePeersFile); a committed conf change writes the
// current one unconditionally (writeCurrentPeersFile). Writes are atomic.
import type { DecodeError } from '../codec/decode-error';
import { writeFileAtomic } from '../fs/atomic-write';
import { readFileIfExists, type FileSystem } from '../fs/file-system';
import { joinPath } from '../fs/path';
import { failure, success, type Result } from '../result';
import type { Peer } from './peer';
import { decodePeersFile, encodePeersFile, peersFileName, type PersistedPeers } from './peers-file';

export function peersFilePath(dataDir: string): string {
  return joinPath(dataDir, peersFileName);
}

/** The peers file's content, null when there is none, or why it cannot be read. */
export async function loadPeersFile(
  fs: FileSystem,
  dataDir: string,
): Promise<Result<PersistedPeers | null, DecodeError>> {
  const bytes = await readFileIfExists(fs, peersFilePath(dataDir));
  if (bytes === null) return success(null);
  const decoded = decodePeersFile(bytes);
  return decoded.ok ? success(decoded.value) : failure(decoded.error);
}

/**
 * Writes the configuration unless the file on disk holds a newer one (higher Index). Returns
 * whether it wrote.
 */
export async function savePeersFile(
  fs: FileSystem,
  dataDir: string,
  state: PersistedPeers,
  tempId: number,
): Promise<Result<boolean, DecodeError>> {
  const current = await loadPeersFile(fs, dataDir);
  if (!current.ok) return current;
  if (current.value !== null && current.value.index > state.index) return success(false);
  await writeCurrentPeersFile(fs, dataDir, state, tempId);
  return success(true);
}

/** Writes the configuration unconditionally (after a committed conf change). */
export async function writeCurrentPeersFile(
  fs: FileSystem,
  dataDir: string,
  state: PersistedPeers,
  tempId: number,
): Promise<void> {
  await writeFileAtomic(fs, peersFilePath(dataDir), encodePeersFile(state), tempId);
}

export type { Peer, PersistedPeers };
