// The CLI's backend: real files under a root directory (`--data-dir`), through node:fs/promises.
// fsync and fsyncDir open the file or folder and call FileHandle.sync(); renames are rename(2),
// atomic on POSIX file systems. Where a platform cannot sync a folder (Windows), fsyncDir
// only checks the folder exists.
import { constants } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import * as nodePath from 'node:path';
import {
  FsError,
  type FileStat,
  type FileSystem,
  type FsErrorCode,
  type MkdirOptions,
  type RemoveOptions,
} from './file-system';
import { isValidPath, pathSegments } from './path';

const knownCodes: readonly FsErrorCode[] = ['ENOENT', 'EEXIST', 'ENOTDIR', 'EISDIR', 'ENOTEMPTY', 'ENOSPC', 'EINVAL'];

export class NodeFsBackend implements FileSystem {
  /** `root` is the directory that holds the node's files (created if missing by callers). */
  constructor(readonly root: string) {}

  async mkdir(path: string, options: MkdirOptions = {}): Promise<void> {
    await this.run(path, () => nodeFs.mkdir(this.real(path), { recursive: options.recursive ?? false }));
  }

  async exists(path: string): Promise<boolean> {
    try {
      await nodeFs.lstat(this.real(path));
      return true;
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return false;
      throw translate(error, path);
    }
  }

  async stat(path: string): Promise<FileStat> {
    const stats = await this.run(path, () => nodeFs.stat(this.real(path)));
    return stats.isDirectory() ? { kind: 'dir', size: 0 } : { kind: 'file', size: stats.size };
  }

  async list(path: string): Promise<string[]> {
    const names = await this.run(path, () => nodeFs.readdir(this.real(path)));
    return names.sort();
  }

  async readFile(path: string): Promise<Uint8Array> {
    const buffer = await this.run(path, () => nodeFs.readFile(this.real(path)));
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).slice();
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    await this.run(path, () => nodeFs.writeFile(this.real(path), data));
  }

  async appendFile(path: string, data: Uint8Array): Promise<void> {
    await this.run(path, () => nodeFs.appendFile(this.real(path), data));
  }

  async truncate(path: string, size: number): Promise<void> {
    const current = await this.stat(path);
    if (current.kind !== 'file') throw new FsError('EISDIR', path, 'is a folder');
    if (!Number.isInteger(size) || size < 0 || size > current.size) {
      throw new FsError('EINVAL', path, `cannot truncate ${current.size} bytes to ${size}`);
    }
    await this.run(path, () => nodeFs.truncate(this.real(path), size));
  }

  async fsync(path: string): Promise<void> {
    if ((await this.stat(path)).kind !== 'file') throw new FsError('EISDIR', path, 'is a folder');
    await this.run(path, async () => {
      const handle = await nodeFs.open(this.real(path), constants.O_RDONLY);
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
  }

  async fsyncDir(path: string): Promise<void> {
    if ((await this.stat(path)).kind !== 'dir') throw new FsError('ENOTDIR', path, 'not a folder');
    let handle: nodeFs.FileHandle;
    try {
      handle = await nodeFs.open(this.real(path), constants.O_RDONLY);
    } catch (error) {
      if (['EISDIR', 'EPERM', 'EACCES'].includes(codeOf(error))) return;
      throw translate(error, path);
    }
    try {
      await handle.sync();
    } catch (error) {
      // Some platforms refuse to sync a folder; the rename is then as durable as they make it.
      if (!['EINVAL', 'EPERM', 'EBADF', 'EISDIR'].includes(codeOf(error))) throw translate(error, path);
    } finally {
      await handle.close();
    }
  }

  async rename(from: string, to: string): Promise<void> {
    await this.run(from, () => nodeFs.rename(this.real(from), this.real(to)));
  }

  async remove(path: string, options: RemoveOptions = {}): Promise<void> {
    if (path === '') throw new FsError('EINVAL', path, 'cannot remove the root folder');
    const kind = (await this.stat(path)).kind;
    if (kind === 'file') return this.run(path, () => nodeFs.unlink(this.real(path)));
    if (options.recursive) return this.run(path, () => nodeFs.rm(this.real(path), { recursive: true }));
    await this.run(path, () => nodeFs.rmdir(this.real(path)));
  }

  /** The real path of a node path (validated, so it cannot leave the root). */
  real(path: string): string {
    if (!isValidPath(path)) throw new FsError('EINVAL', path, 'invalid path');
    return nodePath.join(this.root, ...pathSegments(path));
  }

  private async run<T>(path: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw translate(error, path);
    }
  }
}

function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

function translate(error: unknown, path: string): unknown {
  if (error instanceof FsError) return error;
  const code = codeOf(error);
  if ((knownCodes as readonly string[]).includes(code)) {
    return new FsError(code as FsErrorCode, path, error instanceof Error ? error.message : String(error));
  }
  if (code === '') return error;
  return new FsError('EIO', path, error instanceof Error ? error.message : String(error));
}
