// A pass-through FileSystem that counts, per file, the bytes written since the file's last
// fsync: what a crash could lose. It sits under the host's fault layer (which forwards every
// write and fsync to its backend), so it sees exactly what the layer does; a crash rewrites the
// backend and fsyncs every surviving file, which clears the counts. Folder names not yet made
// durable by fsyncDir are not counted (only file bytes are).
import type { FileStat, FileSystem, MkdirOptions, RemoveOptions } from '../storage/fs/file-system';

export class SyncTracker implements FileSystem {
  private readonly pending = new Map<string, number>();

  constructor(readonly backend: FileSystem) {}

  /** Files with bytes not yet fsynced, sorted by path. */
  pendingBytes(): { path: string; bytes: number }[] {
    return [...this.pending]
      .filter(([, bytes]) => bytes > 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, bytes]) => ({ path, bytes }));
  }

  mkdir(path: string, options?: MkdirOptions): Promise<void> {
    return this.backend.mkdir(path, options);
  }

  exists(path: string): Promise<boolean> {
    return this.backend.exists(path);
  }

  stat(path: string): Promise<FileStat> {
    return this.backend.stat(path);
  }

  list(path: string): Promise<string[]> {
    return this.backend.list(path);
  }

  readFile(path: string): Promise<Uint8Array> {
    return this.backend.readFile(path);
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    await this.backend.writeFile(path, data);
    this.pending.set(path, data.length);
  }

  async appendFile(path: string, data: Uint8Array): Promise<void> {
    await this.backend.appendFile(path, data);
    this.pending.set(path, (this.pending.get(path) ?? 0) + data.length);
  }

  async truncate(path: string, size: number): Promise<void> {
    await this.backend.truncate(path, size);
    const bytes = this.pending.get(path);
    if (bytes !== undefined) this.pending.set(path, Math.min(bytes, size));
  }

  async fsync(path: string): Promise<void> {
    await this.backend.fsync(path);
    this.pending.delete(path);
  }

  fsyncDir(path: string): Promise<void> {
    return this.backend.fsyncDir(path);
  }

  async rename(from: string, to: string): Promise<void> {
    await this.backend.rename(from, to);
    for (const [path, bytes] of [...this.pending]) {
      if (path !== from && !path.startsWith(`${from}/`)) continue;
      this.pending.delete(path);
      this.pending.set(to + path.slice(from.length), bytes);
    }
  }

  async remove(path: string, options?: RemoveOptions): Promise<void> {
    await this.backend.remove(path, options);
    for (const name of [...this.pending.keys()]) {
      if (path === '' || name === path || name.startsWith(`${path}/`)) this.pending.delete(name);
    }
  }
}
