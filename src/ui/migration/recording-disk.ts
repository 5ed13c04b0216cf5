// A node's disk as the orchestrator sees it, with a hook after every change: the migration
// recorder lists the data dir again after each rename, write or removal, so the view can show it
// changing file by file; and a hook before every change, where it catches up with the events
// the orchestrator emitted since. Reads pass straight through; the disk behind it is looked up on every
// call, so a fault layer a scenario puts in front of the node's disk (a crash) is honoured.
import type { FileStat, FileSystem, MkdirOptions, RemoveOptions } from '../../storage/fs/file-system';

export interface DiskChange {
  operation: 'mkdir' | 'writeFile' | 'appendFile' | 'truncate' | 'rename' | 'remove';
  path: string;
  /** The new name of a rename. */
  to?: string;
}

export class RecordingDisk implements FileSystem {
  constructor(
    private readonly target: () => FileSystem,
    private readonly changed: (change: DiskChange) => Promise<void>,
    private readonly before: () => Promise<void>,
  ) {}

  exists(path: string): Promise<boolean> {
    return this.target().exists(path);
  }

  stat(path: string): Promise<FileStat> {
    return this.target().stat(path);
  }

  list(path: string): Promise<string[]> {
    return this.target().list(path);
  }

  readFile(path: string): Promise<Uint8Array> {
    return this.target().readFile(path);
  }

  fsync(path: string): Promise<void> {
    return this.target().fsync(path);
  }

  fsyncDir(path: string): Promise<void> {
    return this.target().fsyncDir(path);
  }

  async mkdir(path: string, options?: MkdirOptions): Promise<void> {
    await this.before();
    await this.target().mkdir(path, options);
    await this.changed({ operation: 'mkdir', path });
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    await this.before();
    await this.target().writeFile(path, data);
    await this.changed({ operation: 'writeFile', path });
  }

  async appendFile(path: string, data: Uint8Array): Promise<void> {
    await this.before();
    await this.target().appendFile(path, data);
    await this.changed({ operation: 'appendFile', path });
  }

  async truncate(path: string, size: number): Promise<void> {
    await this.before();
    await this.target().truncate(path, size);
    await this.changed({ operation: 'truncate', path });
  }

  async rename(from: string, to: string): Promise<void> {
    await this.before();
    await this.target().rename(from, to);
    await this.changed({ operation: 'rename', path: from, to });
  }

  async remove(path: string, options?: RemoveOptions): Promise<void> {
    await this.before();
    await this.target().remove(path, options);
    await this.changed({ operation: 'remove', path });
  }
}
