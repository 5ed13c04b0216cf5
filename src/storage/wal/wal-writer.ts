// Appending to the WAL: records are encoded into a pending batch (chaining their crcs), and
// sync() writes the batch with one append and fsyncs it, so a Ready costs one write and one
// fsync (group commit). When the segment passes its size limit the writer cuts a new one that
// starts with the crc seed, the latest snapshot marker and the latest HardState, so older
// segments can be purged once a snapshot covers them.
import { emptyHardState, isEmptyHardState, type HardState, type LogIndex } from '../../raft/types';
import type { FileSystem } from '../fs/file-system';
import { ensureDirDurable } from '../fs/atomic-write';
import { joinPath } from '../fs/path';
import { WalRecordType, encodeWalRecord, type SnapshotMarker, type WalRecord } from './wal-record';
import { segmentFileName } from './wal-segment';

/** The default size at which a segment is cut. */
export const walSegmentBytesDefault = 4 * 1024 * 1024;

export interface WalWriterOptions {
  /** Cut a new segment once the current one reaches this many bytes. */
  segmentBytesMax?: number;
}

export interface WalSegmentRef {
  name: string;
  seq: number;
  firstIndex: number;
}

/** Where a writer resumes: the state of the WAL on disk after recovery. */
export interface WalResumeState {
  segments: WalSegmentRef[];
  /** Bytes of valid records in the last segment. */
  lastSegmentSize: number;
  crc: number;
  lastIndex: LogIndex;
  hardState: HardState;
  latestMarker: SnapshotMarker;
}

export class WalWriter {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private broken: unknown = null;
  private readonly segmentBytesMax: number;

  private constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
    private state: WalResumeState,
    options: WalWriterOptions,
  ) {
    this.segmentBytesMax = options.segmentBytesMax ?? walSegmentBytesDefault;
  }

  /** Creates the WAL folder and its first segment (seed 0 and an empty snapshot marker). */
  static async create(fs: FileSystem, dir: string, options: WalWriterOptions = {}): Promise<WalWriter> {
    await ensureDirDurable(fs, dir);
    const marker = { index: 0, term: 0 };
    const state: WalResumeState = {
      segments: [],
      lastSegmentSize: 0,
      crc: 0,
      lastIndex: 0,
      hardState: emptyHardState(),
      latestMarker: marker,
    };
    const writer = new WalWriter(fs, dir, state, options);
    await writer.startSegment(0, 0, [{ type: WalRecordType.SnapshotMarker, marker }]);
    return writer;
  }

  /** Continues a recovered WAL at the end of its last segment. */
  static resume(fs: FileSystem, dir: string, state: WalResumeState, options: WalWriterOptions = {}): WalWriter {
    if (state.segments.length === 0) throw new Error('WalWriter.resume: the WAL has no segments');
    return new WalWriter(fs, dir, { ...state, segments: [...state.segments] }, options);
  }

  get segments(): readonly WalSegmentRef[] {
    return this.state.segments;
  }

  get latestMarker(): SnapshotMarker {
    return this.state.latestMarker;
  }

  get lastIndex(): LogIndex {
    return this.state.lastIndex;
  }

  /** Encodes records into the pending batch; nothing is written until sync(). */
  append(records: readonly WalRecord[]): void {
    this.checkUsable();
    for (const record of records) {
      const { bytes, crc } = encodeWalRecord(record, this.state.crc);
      this.pending.push(bytes);
      this.pendingBytes += bytes.length;
      this.state.crc = crc;
      this.track(record);
    }
  }

  /**
   * Writes the pending batch and fsyncs it; resolves once it is durable. A failed write leaves
   * the writer unusable: the node must restart and recover from what reached the disk.
   */
  async sync(): Promise<void> {
    this.checkUsable();
    if (this.pendingBytes === 0) return;
    const batch = concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    try {
      const path = this.currentPath();
      await this.fs.appendFile(path, batch);
      await this.fs.fsync(path);
      this.state.lastSegmentSize += batch.length;
      if (this.state.lastSegmentSize >= this.segmentBytesMax) await this.cut();
    } catch (error) {
      this.broken = error;
      throw error;
    }
  }

  /**
   * Removes the segments that hold only entries at or before `snapshotIndex`, whose snapshot
   * marker must already be durable. The last segment always stays. Returns the removed names.
   */
  async purge(snapshotIndex: LogIndex): Promise<string[]> {
    this.checkUsable();
    if (snapshotIndex > this.state.latestMarker.index) {
      throw new Error(`WalWriter.purge: no snapshot marker at or after ${snapshotIndex}`);
    }
    const segments = this.state.segments;
    let keepFrom = 0;
    while (keepFrom + 1 < segments.length && segments[keepFrom + 1].firstIndex <= snapshotIndex + 1) keepFrom++;
    const removed = segments.slice(0, keepFrom).map((segment) => segment.name);
    if (removed.length === 0) return [];
    try {
      // Oldest first: a crash part-way leaves a WAL that still starts at a whole segment.
      for (const name of removed) await this.fs.remove(joinPath(this.dir, name));
      await this.fs.fsyncDir(this.dir);
    } catch (error) {
      this.broken = error;
      throw error;
    }
    this.state.segments = segments.slice(keepFrom);
    return removed;
  }

  private async cut(): Promise<void> {
    const last = this.state.segments[this.state.segments.length - 1];
    const records: WalRecord[] = [{ type: WalRecordType.SnapshotMarker, marker: this.state.latestMarker }];
    if (!isEmptyHardState(this.state.hardState)) {
      records.push({ type: WalRecordType.HardState, hardState: this.state.hardState });
    }
    await this.startSegment(last.seq + 1, this.state.lastIndex + 1, records);
  }

  /** Writes a new segment (seed first), makes it and its name durable, and switches to it. */
  private async startSegment(seq: number, firstIndex: number, records: WalRecord[]): Promise<void> {
    const name = segmentFileName(seq, firstIndex);
    const path = joinPath(this.dir, name);
    const seed = encodeWalRecord({ type: WalRecordType.CrcSeed, seed: this.state.crc }, this.state.crc);
    let crc = seed.crc;
    const parts = [seed.bytes];
    for (const record of records) {
      const encoded = encodeWalRecord(record, crc);
      parts.push(encoded.bytes);
      crc = encoded.crc;
    }
    const bytes = concat(parts, parts.reduce((sum, part) => sum + part.length, 0));
    await this.fs.writeFile(path, bytes);
    await this.fs.fsync(path);
    await this.fs.fsyncDir(this.dir);
    this.state.segments.push({ name, seq, firstIndex });
    this.state.lastSegmentSize = bytes.length;
    this.state.crc = crc;
  }

  private track(record: WalRecord): void {
    switch (record.type) {
      case WalRecordType.Entry:
        this.state.lastIndex = record.entry.index;
        break;
      case WalRecordType.HardState:
        this.state.hardState = { ...record.hardState };
        break;
      case WalRecordType.SnapshotMarker:
        if (record.marker.index >= this.state.latestMarker.index) this.state.latestMarker = { ...record.marker };
        if (record.marker.index > this.state.lastIndex) this.state.lastIndex = record.marker.index;
        break;
      case WalRecordType.CrcSeed:
        throw new Error('WalWriter.append: crc seed records are written only at segment starts');
    }
  }

  private currentPath(): string {
    const segments = this.state.segments;
    return joinPath(this.dir, segments[segments.length - 1].name);
  }

  private checkUsable(): void {
    if (this.broken !== null) {
      throw new Error(`the WAL writer failed earlier and must be reopened: ${String(this.broken)}`);
    }
  }
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const result = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}
