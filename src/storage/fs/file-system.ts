// A node's disk as the storage layer sees it: a small asynchronous file system (IndexedDB is
// asynchronous, so every backend is). Paths are node-relative (see path.ts).
//
// Durability contract, which every caller must follow and the fault layer (fault-layer.ts)
// enforces under simulation:
// - A file's bytes are durable only after `fsync(file)`; until then they may be lost at a crash,
//   and the last write may survive only in part (a torn prefix).
// - Creating, renaming or removing a name is durable only after `fsyncDir` of the folder that
//   holds the name (both folders for a rename between folders).
// - `rename` is atomic: a reader sees the old or the new file at the destination, never a mix.

/** Why an operation failed, with POSIX's names. */
export type FsErrorCode =
  | 'ENOENT'
  | 'EEXIST'
  | 'ENOTDIR'
  | 'EISDIR'
  | 'ENOTEMPTY'
  | 'ENOSPC'
  | 'EINVAL'
  | 'EIO';

/** An expected file-system failure (missing file, full disk, ...). */
export class FsError extends Error {
  override name = 'FsError';
  constructor(
    readonly code: FsErrorCode,
    readonly path: string,
    detail: string,
  ) {
    super(`${code}: ${detail}: "${path}"`);
  }
}

export type FileKind = 'file' | 'dir';

export interface FileStat {
  kind: FileKind;
  /** Bytes in a file; 0 for a folder. */
  size: number;
}

export interface RemoveOptions {
  /** Remove a folder with everything in it (a non-empty folder is ENOTEMPTY otherwise). */
  recursive?: boolean;
}

export interface MkdirOptions {
  /** Create missing parent folders too, and accept an existing folder. */
  recursive?: boolean;
}

export interface FileSystem {
  /** Creates a folder; its parent must exist unless `recursive`. EEXIST if it exists. */
  mkdir(path: string, options?: MkdirOptions): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** ENOENT if missing. */
  stat(path: string): Promise<FileStat>;
  /** The names in a folder, sorted by code unit. */
  list(path: string): Promise<string[]>;
  /** A copy of the file's current bytes. */
  readFile(path: string): Promise<Uint8Array>;
  /** Creates or replaces the file's content (the parent folder must exist). */
  writeFile(path: string, data: Uint8Array): Promise<void>;
  /** Appends to the file, creating it when missing. */
  appendFile(path: string, data: Uint8Array): Promise<void>;
  /** Cuts the file to `size` bytes (size <= current size). */
  truncate(path: string, size: number): Promise<void>;
  /** Makes the file's bytes durable. */
  fsync(path: string): Promise<void>;
  /** Makes the names in a folder (creations, renames, removals) durable. */
  fsyncDir(path: string): Promise<void>;
  /** Atomically moves a file or folder, replacing an existing file at `to`. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file or folder. ENOENT if missing. */
  remove(path: string, options?: RemoveOptions): Promise<void>;
}

/** Reads a file, or null when it does not exist. */
export async function readFileIfExists(fs: FileSystem, path: string): Promise<Uint8Array | null> {
  try {
    return await fs.readFile(path);
  } catch (error) {
    if (error instanceof FsError && error.code === 'ENOENT') return null;
    throw error;
  }
}

/** Whether `error` is an FsError with the given code. */
export function isFsError(error: unknown, code: FsErrorCode): boolean {
  return error instanceof FsError && error.code === code;
}
