// Replacing a file atomically: write a temp file beside it, fsync it, rename it over the target,
// fsync the folder. A crash leaves the old file or the new one, plus at worst a stray temp file
// (`<name>.tmp-<n>`), which the data dir's startup cleanup removes.
import type { FileSystem } from './file-system';
import { baseName, joinPath, parentPath, pathSegments } from './path';

/** The temp file name for `path` with sequence number `tempId`. */
export function tempPathFor(path: string, tempId: number): string {
  return `${path}.tmp-${tempId}`;
}

/** Whether `name` is a temp file of an atomic write (`<name>.tmp-<n>`). */
export function isTempFileName(name: string): boolean {
  return /\.tmp-[0-9]+$/.test(name) && !name.startsWith('.tmp-');
}

/** Writes `data` to `path` atomically; `tempId` makes the temp name unique among writers. */
export async function writeFileAtomic(
  fs: FileSystem,
  path: string,
  data: Uint8Array,
  tempId: number,
): Promise<void> {
  const temp = tempPathFor(path, tempId);
  await fs.writeFile(temp, data);
  await fs.fsync(temp);
  await fs.rename(temp, path);
  await fs.fsyncDir(parentPath(path));
}

/** Removes every temp file in `dir`; returns the names removed. The removals are made durable. */
export async function removeTempFiles(fs: FileSystem, dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await fs.list(dir)) {
    if (!isTempFileName(name)) continue;
    const path = dir === '' ? name : `${dir}/${name}`;
    if ((await fs.stat(path)).kind !== 'file') continue;
    await fs.remove(path);
    removed.push(baseName(path));
  }
  if (removed.length > 0) await fs.fsyncDir(dir);
  return removed;
}

/**
 * Creates `dir` and any missing parents, fsyncing each new folder's parent so that the folders
 * themselves survive a crash.
 */
export async function ensureDirDurable(fs: FileSystem, dir: string): Promise<void> {
  let path = '';
  for (const segment of pathSegments(dir)) {
    const parent = path;
    path = joinPath(path, segment);
    if (await fs.exists(path)) continue;
    await fs.mkdir(path);
    await fs.fsyncDir(parent);
  }
}
