// The fault layer: a FileSystem over any backend that models what a real disk may do, with every
// decision taken from an injected random source so the simulator's seed decides.
//
// What it models (the backend underneath is the page cache: it shows every write at once):
// - Files: each file has durable bytes (what its last fsync saw) and pending bytes (written
//   since). At `crash()` pending bytes are lost, except that the last-written file may keep a
//   torn prefix of its pending bytes (`keepPendingBytes`, or a random length when the crash
//   draws a torn write). A file rewritten (writeFile/truncate) since its last fsync falls back to
//   its durable content, or to a prefix of the new content when torn.
// - Names: each folder has durable entries (what its last fsyncDir saw). Creations, renames and
//   removals not yet made durable by fsyncDir of the folder are undone at a crash. A file's
//   content follows the file, not the name: a file renamed and then fsynced keeps its durable
//   bytes under whichever name survives. A file that only one folder's fsyncDir has seen moved
//   may survive under both names, as a hard link would.
// - Failures: a write may fail with ENOSPC (drawn by `writeFailureRatio`, or once the files
//   would exceed `capacityBytes`), and nothing of it is written; a read may return one flipped
//   bit (drawn by `bitFlipOnReadRatio`).
// - Process death: `armCrash({ atOperation })` makes the n-th mutating operation (0-based:
//   mkdir, writeFile, appendFile, truncate, fsync, fsyncDir, rename, remove) not happen, or, with
//   `tornBytes`, write only that many bytes of it; it and every later operation then throw
//   SimulatedCrashError until `crash()` restarts the disk.
// The layer must be the only writer of its backend while it lives: it keeps a shadow of the tree.
import type { RandomSource } from '../../raft/random';
import {
  FsError,
  type FileStat,
  type FileSystem,
  type MkdirOptions,
  type RemoveOptions,
} from './file-system';
import { baseName, joinPath, parentPath, pathSegments } from './path';

/** A probability as an integer ratio (numerator / denominator). */
export interface Ratio {
  numerator: number;
  denominator: number;
}

/** A random source, or a function returning a uniform integer in [0, n). */
export type RandomChoice = RandomSource | ((n: number) => number);

export interface FaultOptions {
  random: RandomChoice;
  /** How often a crash keeps a torn prefix of the last write's pending bytes. */
  tornWriteRatio?: Ratio;
  /** How often a read returns the bytes with one bit flipped. */
  bitFlipOnReadRatio?: Ratio;
  /** How often a write fails with ENOSPC. */
  writeFailureRatio?: Ratio;
  /** The disk's size: a write that would make the files larger fails with ENOSPC. */
  capacityBytes?: number;
}

export interface ArmCrashOptions {
  /** The 0-based number of the mutating operation that does not complete. */
  atOperation: number;
  /** If that operation is a write, how many of its bytes reach the page cache first. */
  tornBytes?: number;
}

export interface CrashOptions {
  /** Bytes of the last-written file's pending data to keep (a torn write); random when absent. */
  keepPendingBytes?: number;
}

export interface CrashReport {
  /** The file whose pending bytes were torn rather than dropped, or null. */
  tornFile: string | null;
  /** How many pending bytes of it were kept. */
  keptPendingBytes: number;
}

/** Thrown by every operation after an armed crash point was reached, until crash(). */
export class SimulatedCrashError extends Error {
  override name = 'SimulatedCrashError';
}

const noChance: Ratio = { numerator: 0, denominator: 1 };

interface ShadowFile {
  kind: 'file';
  /** The current size (what the backend holds). */
  size: number;
  /** Durable content = current[0, durableSize) unless `capture` holds it. */
  durableSize: number;
  /** The durable content, kept when it is no longer a prefix of the current content. */
  capture: Uint8Array | null;
  /** How many durable folder entries name this file. */
  durableLinks: number;
}

interface ShadowDir {
  kind: 'dir';
  entries: Map<string, ShadowNode>;
  durableEntries: Map<string, ShadowNode>;
  durableLinks: number;
}

type ShadowNode = ShadowFile | ShadowDir;

interface LastWrite {
  file: ShadowFile;
  path: string;
}

export class FaultLayer implements FileSystem {
  private root: ShadowDir = newShadowDir();
  private lastWrite: LastWrite | null = null;
  private crashAt: ArmCrashOptions | null = null;
  private halted = false;
  /** Mutating operations attempted since creation (the write points armCrash counts). */
  operationCount = 0;
  readonly faultCounts = { bitFlips: 0, writeFailures: 0, crashes: 0, tornWrites: 0 };

  private constructor(
    readonly backend: FileSystem,
    private readonly options: FaultOptions,
  ) {}

  /** Wraps `backend`; whatever it holds already is taken as durable. */
  static async create(backend: FileSystem, options: FaultOptions): Promise<FaultLayer> {
    // A copy: setFaultRates changes this layer's rates, never the caller's object.
    const layer = new FaultLayer(backend, { ...options });
    layer.root = await layer.loadShadow('');
    return layer;
  }

  armCrash(options: ArmCrashOptions): void {
    if (!(Number.isInteger(options.atOperation) && options.atOperation >= this.operationCount)) {
      throw new Error(`armCrash: atOperation ${options.atOperation} is already past`);
    }
    this.crashAt = options;
  }

  /** Changes the read and write fault rates from now on (a disk filling up, or freed again). */
  setFaultRates(rates: Pick<FaultOptions, 'bitFlipOnReadRatio' | 'writeFailureRatio'>): void {
    this.options.bitFlipOnReadRatio = rates.bitFlipOnReadRatio;
    this.options.writeFailureRatio = rates.writeFailureRatio;
  }

  /** Whether an armed crash point was reached (the node is dead until crash()). */
  get isHalted(): boolean {
    return this.halted;
  }

  async mkdir(path: string, options: MkdirOptions = {}): Promise<void> {
    this.beginMutation();
    await this.backend.mkdir(path, options);
    let dir = this.root;
    for (const segment of pathSegments(path)) {
      let next = dir.entries.get(segment);
      if (next === undefined) {
        next = newShadowDir();
        dir.entries.set(segment, next);
      }
      if (next.kind !== 'dir') throw new Error(`fault layer: shadow of "${path}" is not a folder`);
      dir = next;
    }
  }

  exists(path: string): Promise<boolean> {
    this.checkAlive();
    return this.backend.exists(path);
  }

  stat(path: string): Promise<FileStat> {
    this.checkAlive();
    return this.backend.stat(path);
  }

  list(path: string): Promise<string[]> {
    this.checkAlive();
    return this.backend.list(path);
  }

  async readFile(path: string): Promise<Uint8Array> {
    this.checkAlive();
    const data = await this.backend.readFile(path);
    if (data.length > 0 && this.chance(this.options.bitFlipOnReadRatio)) {
      const bit = this.draw(data.length * 8);
      data[bit >>> 3] ^= 1 << (bit & 7);
      this.faultCounts.bitFlips++;
    }
    return data;
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    const torn = this.beginMutation(true);
    const existing = this.shadowAt(path);
    const oldSize = existing?.kind === 'file' ? existing.size : 0;
    this.checkSpace(path, data.length - oldSize);
    const written = torn === null ? data : data.subarray(0, torn);
    let file: ShadowFile;
    if (existing?.kind === 'file') {
      await this.captureDurable(existing, path);
      file = existing;
    } else {
      file = newShadowFile();
    }
    await this.backend.writeFile(path, written);
    if (existing === null) this.parentShadow(path).entries.set(baseName(path), file);
    // A rewrite breaks the prefix relation unless nothing of the file was durable.
    if (file.capture === null && file.durableSize > 0) throw new Error('fault layer: lost capture');
    file.size = written.length;
    this.lastWrite = { file, path };
    this.endTornWrite(torn);
  }

  async appendFile(path: string, data: Uint8Array): Promise<void> {
    const torn = this.beginMutation(true);
    this.checkSpace(path, data.length);
    const written = torn === null ? data : data.subarray(0, torn);
    let file = this.shadowAt(path);
    await this.backend.appendFile(path, written);
    if (file === null) {
      file = newShadowFile();
      this.parentShadow(path).entries.set(baseName(path), file);
    }
    if (file.kind !== 'file') throw new Error(`fault layer: shadow of "${path}" is a folder`);
    file.size += written.length;
    this.lastWrite = { file, path };
    this.endTornWrite(torn);
  }

  async truncate(path: string, size: number): Promise<void> {
    this.beginMutation();
    const file = this.shadowFileAt(path);
    if (size < file.durableSize) await this.captureDurable(file, path);
    await this.backend.truncate(path, size);
    file.size = size;
  }

  async fsync(path: string): Promise<void> {
    this.beginMutation();
    await this.backend.fsync(path);
    const file = this.shadowFileAt(path);
    file.durableSize = file.size;
    file.capture = null;
    if (this.lastWrite?.file === file) this.lastWrite = null;
  }

  async fsyncDir(path: string): Promise<void> {
    this.beginMutation();
    await this.backend.fsyncDir(path);
    const dir = this.shadowAt(path);
    if (dir === null || dir.kind !== 'dir') throw new Error(`fault layer: no shadow folder "${path}"`);
    for (const node of dir.durableEntries.values()) node.durableLinks--;
    dir.durableEntries = new Map(dir.entries);
    for (const node of dir.durableEntries.values()) node.durableLinks++;
  }

  async rename(from: string, to: string): Promise<void> {
    this.beginMutation();
    const node = this.shadowAt(from);
    const replaced = this.shadowAt(to);
    if (replaced !== null && replaced !== node) await this.captureTree(replaced, to);
    await this.backend.rename(from, to);
    if (node === null) throw new Error(`fault layer: no shadow for "${from}"`);
    this.parentShadow(from).entries.delete(baseName(from));
    this.parentShadow(to).entries.set(baseName(to), node);
  }

  async remove(path: string, options: RemoveOptions = {}): Promise<void> {
    this.beginMutation();
    const node = this.shadowAt(path);
    if (node !== null) await this.captureTree(node, path);
    await this.backend.remove(path, options);
    this.parentShadow(path).entries.delete(baseName(path));
  }

  /**
   * The machine restarts: the backend is rewritten to hold exactly what was durable (plus a torn
   * prefix of the last write's pending bytes, if chosen), and the layer accepts operations again.
   */
  async crash(options: CrashOptions = {}): Promise<CrashReport> {
    const keep = this.chooseKeptPendingBytes(options);
    const image = await this.durableImage(keep);
    await this.rewriteBackend(image);
    this.root = await this.loadShadow('');
    this.lastWrite = null;
    this.crashAt = null;
    this.halted = false;
    this.faultCounts.crashes++;
    if (keep.bytes > 0) this.faultCounts.tornWrites++;
    return { tornFile: keep.bytes > 0 ? keep.path : null, keptPendingBytes: keep.bytes };
  }

  private chooseKeptPendingBytes(options: CrashOptions): { path: string | null; bytes: number } {
    const last = this.lastWrite;
    if (last === null) return { path: null, bytes: 0 };
    const pending = last.file.capture === null ? last.file.size - last.file.durableSize : last.file.size;
    let wanted = options.keepPendingBytes;
    if (wanted === undefined) {
      wanted = this.chance(this.options.tornWriteRatio) ? this.draw(pending + 1) : 0;
    }
    return { path: last.path, bytes: Math.max(0, Math.min(wanted, pending)) };
  }

  private async durableImage(keep: { path: string | null; bytes: number }): Promise<DurableImage> {
    const currentPaths = new Map<ShadowNode, string>();
    indexCurrentPaths(this.root, '', currentPaths);
    const image: DurableImage = { dirs: [], files: [] };
    const visited = new Set<ShadowDir>([this.root]);
    const walk = async (dir: ShadowDir, path: string): Promise<void> => {
      for (const name of [...dir.durableEntries.keys()].sort()) {
        const node = dir.durableEntries.get(name)!;
        const childPath = joinPath(path, name);
        if (node.kind === 'dir') {
          // A folder moved back and forth between unsynced folders may appear twice: first wins.
          if (visited.has(node)) continue;
          visited.add(node);
          image.dirs.push(childPath);
          await walk(node, childPath);
        } else {
          image.files.push({ path: childPath, data: await this.survivingContent(node, currentPaths, keep) });
        }
      }
    };
    await walk(this.root, '');
    return image;
  }

  private async survivingContent(
    file: ShadowFile,
    currentPaths: Map<ShadowNode, string>,
    keep: { bytes: number },
  ): Promise<Uint8Array> {
    const torn = this.lastWrite?.file === file ? keep.bytes : 0;
    const path = currentPaths.get(file);
    if (path === undefined) {
      if (file.capture === null && file.durableSize > 0) throw new Error('fault layer: lost durable content');
      return file.capture ?? new Uint8Array(0);
    }
    const current = await this.backend.readFile(path);
    if (file.capture !== null) return torn > 0 ? current.slice(0, torn) : file.capture;
    return current.slice(0, file.durableSize + torn);
  }

  private async rewriteBackend(image: DurableImage): Promise<void> {
    for (const name of await this.backend.list('')) {
      await this.backend.remove(name, { recursive: true });
    }
    for (const dir of image.dirs) await this.backend.mkdir(dir);
    for (const file of image.files) {
      await this.backend.writeFile(file.path, file.data);
      await this.backend.fsync(file.path);
    }
    for (const dir of ['', ...image.dirs]) await this.backend.fsyncDir(dir);
  }

  private async loadShadow(path: string): Promise<ShadowDir> {
    const dir = newShadowDir();
    for (const name of await this.backend.list(path)) {
      const childPath = joinPath(path, name);
      const stat = await this.backend.stat(childPath);
      const node: ShadowNode =
        stat.kind === 'dir'
          ? await this.loadShadow(childPath)
          : { ...newShadowFile(), size: stat.size, durableSize: stat.size };
      node.durableLinks = 1;
      dir.entries.set(name, node);
      dir.durableEntries.set(name, node);
    }
    return dir;
  }

  /** Keeps the durable content of a file (or every file in a folder) about to be unlinked. */
  private async captureTree(node: ShadowNode, path: string): Promise<void> {
    if (node.kind === 'file') return this.captureDurable(node, path);
    for (const [name, child] of node.entries) await this.captureTree(child, joinPath(path, name));
  }

  private async captureDurable(file: ShadowFile, path: string): Promise<void> {
    if (file.capture !== null || file.durableSize === 0) return;
    file.capture = (await this.backend.readFile(path)).slice(0, file.durableSize);
  }

  private beginMutation(canTear = false): number | null {
    this.checkAlive();
    const armed = this.crashAt;
    if (armed !== null && this.operationCount === armed.atOperation) {
      this.operationCount++;
      this.crashAt = null;
      if (canTear && armed.tornBytes !== undefined) return armed.tornBytes;
      this.halted = true;
      throw new SimulatedCrashError(`simulated crash at write point ${armed.atOperation}`);
    }
    this.operationCount++;
    return null;
  }

  private endTornWrite(torn: number | null): void {
    if (torn === null) return;
    this.halted = true;
    throw new SimulatedCrashError(`simulated crash after ${torn} bytes of a write`);
  }

  private checkAlive(): void {
    if (this.halted) throw new SimulatedCrashError('the node crashed: call crash() to restart its disk');
  }

  private checkSpace(path: string, growthBytes: number): void {
    const capacity = this.options.capacityBytes;
    if (this.chance(this.options.writeFailureRatio)) {
      this.faultCounts.writeFailures++;
      throw new FsError('ENOSPC', path, 'no space left on device (injected)');
    }
    if (capacity !== undefined && totalSize(this.root) + growthBytes > capacity) {
      this.faultCounts.writeFailures++;
      throw new FsError('ENOSPC', path, `no space left on device (capacity ${capacity} bytes)`);
    }
  }

  private chance(ratio: Ratio = noChance): boolean {
    if (ratio.numerator <= 0) return false;
    return this.draw(ratio.denominator) < ratio.numerator;
  }

  private draw(n: number): number {
    const random = this.options.random;
    return typeof random === 'function' ? random(n) : random.intn(n);
  }

  private shadowAt(path: string): ShadowNode | null {
    let node: ShadowNode = this.root;
    for (const segment of pathSegments(path)) {
      if (node.kind !== 'dir') return null;
      const next: ShadowNode | undefined = node.entries.get(segment);
      if (next === undefined) return null;
      node = next;
    }
    return node;
  }

  private shadowFileAt(path: string): ShadowFile {
    const node = this.shadowAt(path);
    if (node === null || node.kind !== 'file') throw new Error(`fault layer: no shadow file "${path}"`);
    return node;
  }

  private parentShadow(path: string): ShadowDir {
    const node = this.shadowAt(parentPath(path));
    if (node === null || node.kind !== 'dir') throw new Error(`fault layer: no shadow folder for "${path}"`);
    return node;
  }
}

interface DurableImage {
  dirs: string[];
  files: { path: string; data: Uint8Array }[];
}

function newShadowFile(): ShadowFile {
  return { kind: 'file', size: 0, durableSize: 0, capture: null, durableLinks: 0 };
}

function newShadowDir(): ShadowDir {
  return { kind: 'dir', entries: new Map(), durableEntries: new Map(), durableLinks: 0 };
}

function indexCurrentPaths(dir: ShadowDir, path: string, out: Map<ShadowNode, string>): void {
  for (const [name, node] of dir.entries) {
    const childPath = joinPath(path, name);
    if (out.has(node)) continue;
    out.set(node, childPath);
    if (node.kind === 'dir') indexCurrentPaths(node, childPath, out);
  }
}

function totalSize(dir: ShadowDir): number {
  let total = 0;
  for (const node of dir.entries.values()) total += node.kind === 'file' ? node.size : totalSize(node);
  return total;
}
