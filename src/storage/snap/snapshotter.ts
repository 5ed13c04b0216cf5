// The snap/ folder: saving snapshot files atomically, loading the newest valid one (corrupt ones
// are reported and skipped, never guessed at, and with `repair` set aside), and removing old ones.
import type { Snapshot } from '../../raft/types';
import { writeFileAtomic } from '../fs/atomic-write';
import type { FileSystem } from '../fs/file-system';
import { joinPath } from '../fs/path';
import { decodeSnapFile, encodeSnapFile, parseSnapFileName, snapFileExtension, snapFileName } from './snap-file';

/** A snapshot file that could not be used. */
export interface SnapWarning {
  kind: 'corrupt-snapshot' | 'unreferenced-snapshot';
  file: string;
  message: string;
}

export interface LoadedSnapshot {
  snapshot: Snapshot | null;
  /** The file it came from. */
  file: string | null;
  warnings: SnapWarning[];
}

export interface SnapFileRef {
  name: string;
  term: number;
  index: number;
}

/** The snapshot files in `dir`, newest (highest index, then term) first. */
export async function listSnapFiles(fs: FileSystem, dir: string): Promise<SnapFileRef[]> {
  if (!(await fs.exists(dir))) return [];
  const files: SnapFileRef[] = [];
  for (const name of await fs.list(dir)) {
    if (!name.endsWith(snapFileExtension)) continue;
    const parsed = parseSnapFileName(name);
    if (parsed !== null) files.push({ name, ...parsed });
  }
  return files.sort((a, b) => b.index - a.index || b.term - a.term);
}

/** Saves `snapshot` as `<dir>/<term>-<index>.snap` (temp file, fsync, rename, folder fsync). */
export async function saveSnapFile(fs: FileSystem, dir: string, snapshot: Snapshot, tempId: number): Promise<string> {
  const { term, index } = snapshot.metadata;
  const path = joinPath(dir, snapFileName(term, index));
  const bytes = encodeSnapFile(snapshot);
  // Assert the data before writing it: it must read back as what was given.
  const check = decodeSnapFile(bytes);
  if (!check.ok || check.value.metadata.index !== index) throw new Error(`snapshot ${term}/${index} does not round-trip`);
  await writeFileAtomic(fs, path, bytes, tempId);
  return path;
}

export interface LoadSnapshotOptions {
  /**
   * Repair while loading: remove newer files whose save never completed and rename corrupt ones
   * to `<name>.broken` (as etcd does), so each is reported once.
   */
  repair?: boolean;
}

/** The suffix a corrupt snapshot file gets when it is set aside. */
export const brokenSnapSuffix = '.broken';

/**
 * Loads the newest snapshot file that decodes, whose name matches its content, and that
 * `isReferenced(index, term)` accepts (the WAL holds its marker). Newer files that fail are
 * reported (and with `repair`, set aside); older ones are not read.
 */
export async function loadNewestSnapshot(
  fs: FileSystem,
  dir: string,
  isReferenced: (index: number, term: number) => boolean,
  options: LoadSnapshotOptions = {},
): Promise<LoadedSnapshot> {
  const warnings: SnapWarning[] = [];
  const result = await findNewestSnapshot(fs, dir, isReferenced, warnings);
  if (options.repair && warnings.length > 0) {
    for (const warning of warnings) {
      if (warning.kind === 'unreferenced-snapshot') await fs.remove(warning.file);
      else await fs.rename(warning.file, `${warning.file}${brokenSnapSuffix}`);
    }
    await fs.fsyncDir(dir);
  }
  return { ...result, warnings };
}

async function findNewestSnapshot(
  fs: FileSystem,
  dir: string,
  isReferenced: (index: number, term: number) => boolean,
  warnings: SnapWarning[],
): Promise<Omit<LoadedSnapshot, 'warnings'>> {
  for (const ref of await listSnapFiles(fs, dir)) {
    const path = joinPath(dir, ref.name);
    if (!isReferenced(ref.index, ref.term)) {
      warnings.push({
        kind: 'unreferenced-snapshot',
        file: path,
        message: `snap: ${path} has no snapshot marker in the WAL (its save did not complete)`,
      });
      continue;
    }
    const decoded = decodeSnapFile(await fs.readFile(path));
    if (!decoded.ok) {
      warnings.push({
        kind: 'corrupt-snapshot',
        file: path,
        message: `snap: ${path} is corrupt: ${decoded.error.message}`,
      });
      continue;
    }
    const { metadata } = decoded.value;
    if (metadata.index !== ref.index || metadata.term !== ref.term) {
      const detail = `holds term ${metadata.term} index ${metadata.index}, not what its name says`;
      warnings.push({ kind: 'corrupt-snapshot', file: path, message: `snap: ${path} ${detail}` });
      continue;
    }
    return { snapshot: decoded.value, file: path };
  }
  return { snapshot: null, file: null };
}

/** Removes all but the newest `keep` snapshot files; returns the names removed. */
export async function purgeSnapFiles(fs: FileSystem, dir: string, keep: number): Promise<string[]> {
  const stale = (await listSnapFiles(fs, dir)).slice(keep).map((ref) => ref.name);
  for (const name of stale) await fs.remove(joinPath(dir, name));
  if (stale.length > 0) await fs.fsyncDir(dir);
  return stale;
}
