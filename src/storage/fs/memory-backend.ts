// The in-memory backend: a tree of folders and files kept in this process, for simulation and
// tests. It is the page cache only: every write is visible at once and nothing is lost, because
// losing unsynced data at a crash is the fault layer's job (fault-layer.ts), over any backend.
import {
  FsError,
  type FileStat,
  type FileSystem,
  type MkdirOptions,
  type RemoveOptions,
} from './file-system';
import { baseName, isValidPath, isWithin, parentPath, pathSegments } from './path';

interface MemoryFile {
  kind: 'file';
  /** bytes[0, size) is the content; the rest is spare capacity so appends are amortized O(n). */
  bytes: Uint8Array;
  size: number;
}

interface MemoryDir {
  kind: 'dir';
  entries: Map<string, MemoryNode>;
}

type MemoryNode = MemoryFile | MemoryDir;

function newDir(): MemoryDir {
  return { kind: 'dir', entries: new Map() };
}

/** A file system held in memory. Operations complete synchronously behind their promises. */
export class MemoryBackend implements FileSystem {
  private readonly root: MemoryDir = newDir();

  async mkdir(path: string, options: MkdirOptions = {}): Promise<void> {
    if (options.recursive) {
      let dir = this.root;
      for (const segment of pathSegments(checkPath(path))) {
        let next = dir.entries.get(segment);
        if (next === undefined) {
          next = newDir();
          dir.entries.set(segment, next);
        }
        if (next.kind !== 'dir') throw new FsError('ENOTDIR', path, 'not a folder');
        dir = next;
      }
      return;
    }
    const parent = this.parentDir(path);
    if (parent.entries.has(baseName(path))) throw new FsError('EEXIST', path, 'already exists');
    parent.entries.set(baseName(path), newDir());
  }

  async exists(path: string): Promise<boolean> {
    return this.find(path) !== null;
  }

  async stat(path: string): Promise<FileStat> {
    const node = this.get(path);
    return { kind: node.kind, size: node.kind === 'file' ? node.size : 0 };
  }

  async list(path: string): Promise<string[]> {
    const node = this.get(path);
    if (node.kind !== 'dir') throw new FsError('ENOTDIR', path, 'not a folder');
    return [...node.entries.keys()].sort();
  }

  async readFile(path: string): Promise<Uint8Array> {
    const file = this.getFile(path);
    return file.bytes.slice(0, file.size);
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    const parent = this.parentDir(path);
    const existing = parent.entries.get(baseName(path));
    if (existing?.kind === 'dir') throw new FsError('EISDIR', path, 'is a folder');
    parent.entries.set(baseName(path), { kind: 'file', bytes: data.slice(), size: data.length });
  }

  async appendFile(path: string, data: Uint8Array): Promise<void> {
    const parent = this.parentDir(path);
    let file = parent.entries.get(baseName(path));
    if (file === undefined) {
      file = { kind: 'file', bytes: new Uint8Array(0), size: 0 };
      parent.entries.set(baseName(path), file);
    }
    if (file.kind !== 'file') throw new FsError('EISDIR', path, 'is a folder');
    const needed = file.size + data.length;
    if (needed > file.bytes.length) {
      const grown = new Uint8Array(Math.max(needed, file.bytes.length * 2, 64));
      grown.set(file.bytes.subarray(0, file.size));
      file.bytes = grown;
    }
    file.bytes.set(data, file.size);
    file.size = needed;
  }

  async truncate(path: string, size: number): Promise<void> {
    const file = this.getFile(path);
    if (!Number.isInteger(size) || size < 0 || size > file.size) {
      throw new FsError('EINVAL', path, `cannot truncate ${file.size} bytes to ${size}`);
    }
    file.bytes.fill(0, size, file.size);
    file.size = size;
  }

  async fsync(path: string): Promise<void> {
    this.getFile(path);
  }

  async fsyncDir(path: string): Promise<void> {
    const node = this.get(path);
    if (node.kind !== 'dir') throw new FsError('ENOTDIR', path, 'not a folder');
  }

  async rename(from: string, to: string): Promise<void> {
    const node = this.get(from);
    const target = this.parentDir(to);
    if (node.kind === 'dir' && isWithin(to, from)) {
      throw new FsError('EINVAL', to, `cannot move "${from}" inside itself`);
    }
    const existing = target.entries.get(baseName(to));
    if (existing !== undefined && existing !== node) {
      if (existing.kind === 'dir' && (node.kind !== 'dir' || existing.entries.size > 0)) {
        throw new FsError(existing.kind === 'dir' ? 'ENOTEMPTY' : 'EISDIR', to, 'cannot replace');
      }
      if (existing.kind === 'file' && node.kind === 'dir') {
        throw new FsError('ENOTDIR', to, 'cannot replace a file with a folder');
      }
    }
    this.parentDir(from).entries.delete(baseName(from));
    target.entries.set(baseName(to), node);
  }

  async remove(path: string, options: RemoveOptions = {}): Promise<void> {
    const node = this.get(path);
    if (path === '') throw new FsError('EINVAL', path, 'cannot remove the root folder');
    if (node.kind === 'dir' && node.entries.size > 0 && !options.recursive) {
      throw new FsError('ENOTEMPTY', path, 'folder is not empty');
    }
    this.parentDir(path).entries.delete(baseName(path));
  }

  private find(path: string): MemoryNode | null {
    let node: MemoryNode = this.root;
    for (const segment of pathSegments(checkPath(path))) {
      if (node.kind !== 'dir') return null;
      const next: MemoryNode | undefined = node.entries.get(segment);
      if (next === undefined) return null;
      node = next;
    }
    return node;
  }

  private get(path: string): MemoryNode {
    const node = this.find(path);
    if (node === null) throw new FsError('ENOENT', path, 'no such file or folder');
    return node;
  }

  private getFile(path: string): MemoryFile {
    const node = this.get(path);
    if (node.kind !== 'file') throw new FsError('EISDIR', path, 'is a folder');
    return node;
  }

  private parentDir(path: string): MemoryDir {
    if (checkPath(path) === '') throw new FsError('EINVAL', path, 'the root folder has no parent');
    const parent = this.find(parentPath(path));
    if (parent === null) throw new FsError('ENOENT', path, 'parent folder does not exist');
    if (parent.kind !== 'dir') throw new FsError('ENOTDIR', path, 'parent is not a folder');
    return parent;
  }
}

function checkPath(path: string): string {
  if (!isValidPath(path)) throw new FsError('EINVAL', path, 'invalid path');
  return path;
}
