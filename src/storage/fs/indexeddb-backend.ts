// The browser backend: one IndexedDB database per node (`raftlab-disk-<node>`), written through
// the `idb` package. Every operation is one transaction with `durability: 'strict'`, so when its
// promise resolves the change is on disk: fsync and fsyncDir only check their target exists.
// Group commit is the caller's: the WAL writer hands a whole Ready to one appendFile.
//
// Layout: store `nodes` (key: path) holds {path, parent, kind, size, chunks}; store `chunks`
// (key: [path, n]) holds a file's bytes in appended pieces, merged when there are too many.
// The root folder '' is implicit.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import {
  FsError,
  type FileStat,
  type FileSystem,
  type MkdirOptions,
  type RemoveOptions,
} from './file-system';
import { baseName, isValidPath, isWithin, joinPath, parentPath, pathSegments } from './path';

interface NodeRecord {
  path: string;
  parent: string;
  kind: 'file' | 'dir';
  size: number;
  /** Chunks [path, 0] .. [path, chunks - 1] hold the file's bytes in order. */
  chunks: number;
}

interface DiskSchema extends DBSchema {
  nodes: { key: string; value: NodeRecord; indexes: { parent: string } };
  chunks: { key: [string, number]; value: Uint8Array };
}

type Transaction = IDBPTransaction<DiskSchema, ('nodes' | 'chunks')[], 'readwrite'>;

const databaseVersion = 1;
/** A file with more appended pieces than this is merged into one on the next append. */
export const indexedDbChunksMax = 512;

export function diskDatabaseName(node: string): string {
  return `raftlab-disk-${node}`;
}

export class IndexedDbBackend implements FileSystem {
  private constructor(private readonly db: IDBPDatabase<DiskSchema>) {}

  /** Opens (creating if needed) the disk of `node`; its data survives page reloads. */
  static async open(node: string): Promise<IndexedDbBackend> {
    const db = await openDB<DiskSchema>(diskDatabaseName(node), databaseVersion, {
      upgrade(database) {
        const nodes = database.createObjectStore('nodes', { keyPath: 'path' });
        nodes.createIndex('parent', 'parent');
        database.createObjectStore('chunks');
      },
    });
    return new IndexedDbBackend(db);
  }

  close(): void {
    this.db.close();
  }

  async mkdir(path: string, options: MkdirOptions = {}): Promise<void> {
    await this.write(async (tx) => {
      if (options.recursive) {
        let current = '';
        for (const segment of pathSegments(checkPath(path))) {
          current = joinPath(current, segment);
          const existing = await tx.objectStore('nodes').get(current);
          if (existing?.kind === 'file') throw new FsError('ENOTDIR', current, 'not a folder');
          if (existing === undefined) await putNode(tx, current, 'dir', 0, 0);
        }
        return;
      }
      await requireParent(tx, path);
      if (await tx.objectStore('nodes').get(path)) throw new FsError('EEXIST', path, 'already exists');
      await putNode(tx, path, 'dir', 0, 0);
    });
  }

  async exists(path: string): Promise<boolean> {
    return checkPath(path) === '' || (await this.db.get('nodes', path)) !== undefined;
  }

  async stat(path: string): Promise<FileStat> {
    if (checkPath(path) === '') return { kind: 'dir', size: 0 };
    const node = await this.db.get('nodes', path);
    if (node === undefined) throw new FsError('ENOENT', path, 'no such file or folder');
    return { kind: node.kind, size: node.size };
  }

  async list(path: string): Promise<string[]> {
    if ((await this.stat(path)).kind !== 'dir') throw new FsError('ENOTDIR', path, 'not a folder');
    const children = await this.db.getAllKeysFromIndex('nodes', 'parent', path);
    return children.filter((child) => child !== '').map(baseName).sort();
  }

  async readFile(path: string): Promise<Uint8Array> {
    const tx = this.db.transaction(['nodes', 'chunks'], 'readonly');
    const node = await tx.objectStore('nodes').get(checkPath(path));
    if (node === undefined) throw new FsError('ENOENT', path, 'no such file or folder');
    if (node.kind !== 'file') throw new FsError('EISDIR', path, 'is a folder');
    const chunks = await tx.objectStore('chunks').getAll(chunkRange(path));
    await tx.done;
    return concatChunks(chunks, node.size);
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    await this.write(async (tx) => {
      await requireParent(tx, path);
      const existing = await tx.objectStore('nodes').get(path);
      if (existing?.kind === 'dir') throw new FsError('EISDIR', path, 'is a folder');
      await replaceContent(tx, path, data);
    });
  }

  async appendFile(path: string, data: Uint8Array): Promise<void> {
    await this.write(async (tx) => {
      await requireParent(tx, path);
      const node = await tx.objectStore('nodes').get(path);
      if (node?.kind === 'dir') throw new FsError('EISDIR', path, 'is a folder');
      if (node === undefined) return replaceContent(tx, path, data);
      if (node.chunks >= indexedDbChunksMax) {
        const chunks = await tx.objectStore('chunks').getAll(chunkRange(path));
        const merged = concatChunks([...chunks, data], node.size + data.length);
        return replaceContent(tx, path, merged);
      }
      if (data.length > 0) await tx.objectStore('chunks').put(data.slice(), [path, node.chunks]);
      await putNode(tx, path, 'file', node.size + data.length, node.chunks + (data.length > 0 ? 1 : 0));
    });
  }

  async truncate(path: string, size: number): Promise<void> {
    await this.write(async (tx) => {
      const node = await requireFile(tx, path);
      if (!Number.isInteger(size) || size < 0 || size > node.size) {
        throw new FsError('EINVAL', path, `cannot truncate ${node.size} bytes to ${size}`);
      }
      const chunks = await tx.objectStore('chunks').getAll(chunkRange(path));
      await replaceContent(tx, path, concatChunks(chunks, node.size).subarray(0, size));
    });
  }

  async fsync(path: string): Promise<void> {
    const node = await this.db.get('nodes', checkPath(path));
    if (node === undefined) throw new FsError('ENOENT', path, 'no such file or folder');
    if (node.kind !== 'file') throw new FsError('EISDIR', path, 'is a folder');
  }

  async fsyncDir(path: string): Promise<void> {
    if ((await this.stat(path)).kind !== 'dir') throw new FsError('ENOTDIR', path, 'not a folder');
  }

  async rename(from: string, to: string): Promise<void> {
    await this.write(async (tx) => {
      const node = await tx.objectStore('nodes').get(checkPath(from));
      if (node === undefined) throw new FsError('ENOENT', from, 'no such file or folder');
      await requireParent(tx, to);
      if (from === to) return;
      if (node.kind === 'dir' && isWithin(to, from)) throw new FsError('EINVAL', to, `cannot move "${from}" inside itself`);
      const target = await tx.objectStore('nodes').get(to);
      if (target !== undefined) {
        if (target.kind === 'dir' && (node.kind !== 'dir' || (await hasChildren(tx, to)))) {
          throw new FsError(target.kind === 'dir' && node.kind === 'dir' ? 'ENOTEMPTY' : 'EISDIR', to, 'cannot replace');
        }
        if (target.kind === 'file' && node.kind === 'dir') throw new FsError('ENOTDIR', to, 'cannot replace a file with a folder');
        await deleteNode(tx, to);
      }
      for (const moved of await subtree(tx, from)) {
        const destination = to + moved.path.slice(from.length);
        const chunks = moved.kind === 'file' ? await tx.objectStore('chunks').getAll(chunkRange(moved.path)) : [];
        await deleteNode(tx, moved.path);
        await putNode(tx, destination, moved.kind, moved.size, chunks.length);
        for (let i = 0; i < chunks.length; i++) await tx.objectStore('chunks').put(chunks[i], [destination, i]);
      }
    });
  }

  async remove(path: string, options: RemoveOptions = {}): Promise<void> {
    await this.write(async (tx) => {
      if (checkPath(path) === '') throw new FsError('EINVAL', path, 'cannot remove the root folder');
      const node = await tx.objectStore('nodes').get(path);
      if (node === undefined) throw new FsError('ENOENT', path, 'no such file or folder');
      if (node.kind === 'dir' && !options.recursive && (await hasChildren(tx, path))) {
        throw new FsError('ENOTEMPTY', path, 'folder is not empty');
      }
      for (const removed of await subtree(tx, path)) await deleteNode(tx, removed.path);
    });
  }

  /** Runs `work` in one strict read-write transaction; an error aborts everything it did. */
  private async write(work: (tx: Transaction) => Promise<void>): Promise<void> {
    const tx = this.db.transaction(['nodes', 'chunks'], 'readwrite', { durability: 'strict' });
    try {
      await work(tx);
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // Already finished: nothing was left to undo.
      }
      await tx.done.catch(() => undefined);
      throw error;
    }
    await tx.done;
  }
}

function checkPath(path: string): string {
  if (!isValidPath(path)) throw new FsError('EINVAL', path, 'invalid path');
  return path;
}

function chunkRange(path: string): IDBKeyRange {
  return IDBKeyRange.bound([path, 0], [path, Number.MAX_SAFE_INTEGER]);
}

function concatChunks(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const result = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    result.set(chunk.subarray(0, size - offset), offset);
    offset += chunk.length;
  }
  return result;
}

async function putNode(tx: Transaction, path: string, kind: 'file' | 'dir', size: number, chunks: number): Promise<void> {
  await tx.objectStore('nodes').put({ path, parent: parentPath(path), kind, size, chunks });
}

async function replaceContent(tx: Transaction, path: string, data: Uint8Array): Promise<void> {
  await tx.objectStore('chunks').delete(chunkRange(path));
  if (data.length > 0) await tx.objectStore('chunks').put(data.slice(), [path, 0]);
  await putNode(tx, path, 'file', data.length, data.length > 0 ? 1 : 0);
}

async function requireParent(tx: Transaction, path: string): Promise<void> {
  if (checkPath(path) === '') throw new FsError('EINVAL', path, 'the root folder has no parent');
  const parent = parentPath(path);
  if (parent === '') return;
  const node = await tx.objectStore('nodes').get(parent);
  if (node === undefined) throw new FsError('ENOENT', path, 'parent folder does not exist');
  if (node.kind !== 'dir') throw new FsError('ENOTDIR', path, 'parent is not a folder');
}

async function requireFile(tx: Transaction, path: string): Promise<NodeRecord> {
  const node = await tx.objectStore('nodes').get(checkPath(path));
  if (node === undefined) throw new FsError('ENOENT', path, 'no such file or folder');
  if (node.kind !== 'file') throw new FsError('EISDIR', path, 'is a folder');
  return node;
}

async function hasChildren(tx: Transaction, path: string): Promise<boolean> {
  return (await tx.objectStore('nodes').index('parent').count(path)) > 0;
}

/** The node at `path` and everything under it, parents before children. */
async function subtree(tx: Transaction, path: string): Promise<NodeRecord[]> {
  const root = await tx.objectStore('nodes').get(path);
  if (root === undefined) return [];
  const descendants = await tx.objectStore('nodes').getAll(IDBKeyRange.bound(`${path}/`, `${path}/\uffff`));
  return [root, ...descendants.filter((node) => isWithin(node.path, path))];
}

async function deleteNode(tx: Transaction, path: string): Promise<void> {
  await tx.objectStore('chunks').delete(chunkRange(path));
  await tx.objectStore('nodes').delete(path);
}
