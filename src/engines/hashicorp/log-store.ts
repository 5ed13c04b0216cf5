// The log store in `raft.db/` (hashicorp/raft's LogStore; elastickv keeps it in a Pebble db): one
// append-only file of CRC-checked records, each fsynced before the engine's output is released.
//
// File `raft.db/logs.bin` (all integers big-endian):
//   header: magic "RLHL", u32 version = 1
//   records: u32 payload length (<= logRecordBytesMax, checked before allocating),
//            u32 CRC-32C of the payload, payload
//   payload: u8 kind, then
//     1 append:        u32 count (<= logRecordEntriesMax), count entries
//     2 delete-from:   u64 index      (a conflicting suffix: every entry >= index)
//     3 delete-through: u64 index     (compaction: every entry <= index)
//   entry: u64 index, u64 term, u8 type, u32 data length (<= logEntryBytesMax) + data
// Recovery replays the records in order. A last record that is cut short or fails its CRC is a
// torn write: it is cut off the file (and reported); damage anywhere else stops the open.
// When compaction leaves most of the file dead, the live entries are rewritten atomically.
import { RaftPanic } from '../../raft/logger';
import { ByteReader } from '../../storage/codec/byte-reader';
import { ByteWriter } from '../../storage/codec/byte-writer';
import { crc32c } from '../../storage/codec/crc32c';
import { decodeWith, type DecodeResult } from '../../storage/codec/decode-error';
import { encodeUtf8 } from '../../storage/codec/utf8';
import { writeFileAtomic } from '../../storage/fs/atomic-write';
import { readFileIfExists, type FileSystem } from '../../storage/fs/file-system';
import { failure, success, type Result } from '../../storage/result';
import { RaftLog } from './raft-log';
import { LogType, type LogEntry } from './types';

export const logFileName = 'logs.bin';
export const logFileVersion = 1;
export const logRecordBytesMax = 64 * 1024 * 1024;
export const logRecordEntriesMax = 4096;
export const logEntryBytesMax = 2 * 1024 * 1024;
const magic = encodeUtf8('RLHL');
const headerBytes = 8;
const recordHeaderBytes = 8;

export type LogRecord =
  | { kind: 'append'; entries: LogEntry[] }
  | { kind: 'deleteFrom'; index: number }
  | { kind: 'deleteThrough'; index: number };

const kindCodes = { append: 1, deleteFrom: 2, deleteThrough: 3 } as const;
const logTypes = new Set<number>([LogType.Command, LogType.Noop, LogType.Configuration]);

export function encodeLogRecord(record: LogRecord): Uint8Array {
  const payload = new ByteWriter(64);
  payload.u8(kindCodes[record.kind]);
  if (record.kind === 'append') {
    if (record.entries.length > logRecordEntriesMax) throw new RangeError(`${record.entries.length} entries exceed ${logRecordEntriesMax}`);
    payload.u32(record.entries.length);
    for (const entry of record.entries) {
      if (entry.data.length > logEntryBytesMax) throw new RangeError(`entry ${entry.index} of ${entry.data.length} bytes exceeds ${logEntryBytesMax}`);
      payload.u64(entry.index).u64(entry.term).u8(entry.type).lengthPrefixedBytes(entry.data);
    }
  } else {
    payload.u64(record.index);
  }
  const bytes = payload.written();
  if (bytes.length > logRecordBytesMax) throw new RangeError(`log record of ${bytes.length} bytes exceeds ${logRecordBytesMax}`);
  return new ByteWriter(bytes.length + recordHeaderBytes).u32(bytes.length).u32(crc32c(bytes)).raw(bytes).finish();
}

function decodePayload(reader: ByteReader): LogRecord {
  const kindOffset = reader.offset;
  const kind = reader.u8('log record kind');
  if (kind === kindCodes.deleteFrom) return { kind: 'deleteFrom', index: reader.u64Number('index') };
  if (kind === kindCodes.deleteThrough) return { kind: 'deleteThrough', index: reader.u64Number('index') };
  if (kind !== kindCodes.append) reader.fail('invalid', kindOffset, `unknown log record kind ${kind}`);
  const countOffset = reader.offset;
  const count = reader.u32('entry count');
  if (count > logRecordEntriesMax) reader.fail('too-large', countOffset, `entry count ${count} exceeds limit ${logRecordEntriesMax}`);
  const entries: LogEntry[] = [];
  for (let i = 0; i < count; i++) {
    const index = reader.u64Number('entry index');
    const term = reader.u64Number('entry term');
    const typeOffset = reader.offset;
    const type = reader.u8('entry type');
    if (!logTypes.has(type)) reader.fail('invalid', typeOffset, `unknown log type ${type}`);
    entries.push({ index, term, type: type as LogType, data: reader.lengthPrefixedBytes('entry data', logEntryBytesMax) });
  }
  return { kind: 'append', entries };
}

export interface DecodedLogFile {
  records: LogRecord[];
  /** Where the valid records end (the file is cut here when a torn tail follows). */
  validBytes: number;
  /** Why the tail after validBytes was dropped, or null when the file ended cleanly. */
  tornTail: string | null;
}

/** Decodes a whole log file; damage before the last record is an error, a bad last record a torn tail. */
export function decodeLogFile(bytes: Uint8Array): DecodeResult<DecodedLogFile> {
  return decodeWith(() => {
    if (bytes.length < headerBytes) return { records: [], validBytes: 0, tornTail: bytes.length === 0 ? null : 'a cut-short header' };
    const reader = new ByteReader(bytes);
    const head = reader.bytesOf(4, 'log magic');
    if (!head.every((byte, i) => byte === magic[i])) reader.fail('invalid', 0, 'invalid log file magic');
    const version = reader.u32('log version');
    if (version !== logFileVersion) reader.fail('invalid', 4, `unsupported log file version ${version}`);
    const records: LogRecord[] = [];
    while (reader.remaining > 0) {
      const start = reader.offset;
      const torn = (why: string) => ({ records, validBytes: start, tornTail: `${why} at byte offset ${start}` });
      if (reader.remaining < recordHeaderBytes) return torn('a cut-short record header');
      const length = reader.u32('record length');
      if (length > logRecordBytesMax) reader.fail('too-large', start, `record length ${length} exceeds limit ${logRecordBytesMax}`);
      const checksum = reader.u32('record checksum');
      if (reader.remaining < length) return torn('a cut-short record');
      const payload = reader.bytesOf(length, 'record payload');
      if (crc32c(payload) !== checksum) {
        if (reader.remaining === 0) return torn('a record with a bad checksum');
        reader.fail('checksum', start, 'log record checksum mismatch');
      }
      const payloadReader = new ByteReader(payload, start + recordHeaderBytes);
      records.push(decodePayload(payloadReader));
      payloadReader.expectEnd('log record');
    }
    return { records, validBytes: bytes.length, tornTail: null };
  });
}

/** Replays records into a log; a record that does not fit (a gap, a term going back) is corruption. */
export function replayLogRecords(records: readonly LogRecord[]): Result<RaftLog, string> {
  const log = RaftLog.from([], { index: 0, term: 0 });
  for (const [i, record] of records.entries()) {
    try {
      if (record.kind === 'append') log.append(record.entries);
      else if (record.kind === 'deleteFrom') log.deleteFrom(record.index);
      else log.deleteThrough(record.index);
    } catch (error) {
      if (error instanceof RaftPanic) return failure(`log record ${i}: ${error.message}`);
      throw error;
    }
  }
  return success(log);
}

/** Dead entries beyond this (and beyond twice the live ones) make compaction rewrite the file. */
export const logDeadEntriesRewriteMin = 256;

export class LogStore {
  private constructor(
    private readonly fs: FileSystem,
    private readonly path: string,
    private readonly log: RaftLog,
    /** Entries the file's append records hold, dead or alive. */
    private entriesInFile: number,
    private readonly nextTempId: () => number,
  ) {}

  /** Opens (or creates) the log file; returns the store, the entries it holds and a torn-tail warning. */
  static async open(
    fs: FileSystem,
    path: string,
    nextTempId: () => number,
  ): Promise<Result<{ store: LogStore; entries: LogEntry[]; warning: string | null }, string>> {
    const bytes = await readFileIfExists(fs, path);
    if (bytes === null || bytes.length < headerBytes) {
      await writeFileAtomic(fs, path, logFileHeader(), nextTempId());
      const store = new LogStore(fs, path, RaftLog.from([], { index: 0, term: 0 }), 0, nextTempId);
      return success({ store, entries: [], warning: bytes !== null && bytes.length > 0 ? `${path}: dropped a cut-short header` : null });
    }
    const decoded = decodeLogFile(bytes);
    if (!decoded.ok) return failure(`${path}: ${decoded.error.message}`);
    const replayed = replayLogRecords(decoded.value.records);
    if (!replayed.ok) return failure(`${path}: ${replayed.error}`);
    let warning: string | null = null;
    if (decoded.value.tornTail !== null) {
      await fs.truncate(path, decoded.value.validBytes);
      await fs.fsync(path);
      warning = `${path}: dropped a torn write (${decoded.value.tornTail})`;
    }
    const written = decoded.value.records.reduce((sum, record) => sum + (record.kind === 'append' ? record.entries.length : 0), 0);
    const store = new LogStore(fs, path, replayed.value, written, nextTempId);
    return success({ store, entries: [...replayed.value.all()], warning });
  }

  /** Appends and fsyncs one record (hashicorp's StoreLogs / DeleteRange). */
  async write(record: LogRecord): Promise<void> {
    if (record.kind === 'append') {
      for (let from = 0; from < record.entries.length; from += logRecordEntriesMax) {
        await this.appendRecord({ kind: 'append', entries: record.entries.slice(from, from + logRecordEntriesMax) });
      }
      return;
    }
    await this.appendRecord(record);
    const dead = this.entriesInFile - this.log.length;
    if (record.kind === 'deleteThrough' && dead > logDeadEntriesRewriteMin && dead > 2 * this.log.length) await this.rewrite();
  }

  /** Whether the file holds the entry at `index` with `term` (the durability check before sending). */
  holds(index: number, term: number): boolean {
    return this.log.get(index)?.term === term;
  }

  /** The last index the file holds, or 0 when it holds none. */
  get lastStoredIndex(): number {
    return this.log.lastStoredIndex;
  }

  /** The term of the entry the file holds at `index`, or 0 when it holds none there. */
  termOrZero(index: number): number {
    return this.log.get(index)?.term ?? 0;
  }

  get entryCount(): number {
    return this.log.length;
  }

  private async appendRecord(record: LogRecord): Promise<void> {
    const bytes = encodeLogRecord(record);
    this.apply(record);
    await this.fs.appendFile(this.path, bytes);
    await this.fs.fsync(this.path);
    if (record.kind === 'append') this.entriesInFile += record.entries.length;
  }

  private apply(record: LogRecord): void {
    if (record.kind === 'append') this.log.append(record.entries);
    else if (record.kind === 'deleteFrom') this.log.deleteFrom(record.index);
    else this.log.deleteThrough(record.index);
  }

  /** Replaces the file with the live entries only (temp file, fsync, rename, folder fsync). */
  private async rewrite(): Promise<void> {
    const entries = this.log.all();
    const parts = [logFileHeader()];
    for (let from = 0; from < entries.length; from += logRecordEntriesMax) {
      parts.push(encodeLogRecord({ kind: 'append', entries: entries.slice(from, from + logRecordEntriesMax) }));
    }
    const total = parts.reduce((sum, part) => sum + part.length, 0);
    const writer = new ByteWriter(total);
    for (const part of parts) writer.raw(part);
    await writeFileAtomic(this.fs, this.path, writer.finish(), this.nextTempId());
    this.entriesInFile = entries.length;
  }
}

function logFileHeader(): Uint8Array {
  return new ByteWriter(headerBytes).raw(magic).u32(logFileVersion).finish();
}
