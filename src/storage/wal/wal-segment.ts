// One WAL segment: its file name and the parsing of its bytes into verified records
// (the format is in wal-record.ts). Pure: bytes in, records or a WalCorruptionError out.
import { crc32c } from '../codec/crc32c';
import { failure, success, type Result } from '../result';
import { WalCorruptionError } from './wal-error';
import {
  decodeWalPayload,
  recordCrc,
  walHeaderCrcOffset,
  walRecordCrcOffset,
  walRecordHeaderBytes,
  walRecordPayloadBytesMax,
  WalRecordType,
  type WalRecord,
} from './wal-record';

export const walSegmentExtension = '.wal';

export interface SegmentName {
  name: string;
  seq: number;
  firstIndex: number;
}

const hexDigits = 16;
const segmentNamePattern = /^([0-9a-f]{16})-([0-9a-f]{16})\.wal$/;

export function segmentFileName(seq: number, firstIndex: number): string {
  return `${hex16(seq)}-${hex16(firstIndex)}${walSegmentExtension}`;
}

export function parseSegmentName(name: string): SegmentName | null {
  const match = segmentNamePattern.exec(name);
  if (match === null) return null;
  const seq = Number.parseInt(match[1], 16);
  const firstIndex = Number.parseInt(match[2], 16);
  if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(firstIndex)) return null;
  return { name, seq, firstIndex };
}

function hex16(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`segment number ${value}`);
  return value.toString(16).padStart(hexDigits, '0');
}

export interface ParsedRecord {
  record: WalRecord;
  /** Where the record starts in its segment. */
  offset: number;
  /** The record's crc (the chain value after it). */
  crc: number;
}

export interface SegmentParse {
  records: ParsedRecord[];
  /** Where the last whole, verified record ends. */
  validEnd: number;
  /** The chain's crc after the last valid record (the seed when there is none). */
  crc: number;
  /** Set when bytes after validEnd are an incomplete record (a torn write). */
  tornAt: number | null;
}

export interface ParseSegmentOptions {
  /** The file's path, for error messages. */
  file: string;
  /** The crc the previous segment ended with; null to accept this segment's seed as is. */
  expectedSeed: number | null;
  /** Whether an incomplete record at the end is a torn tail (true only for the last segment). */
  allowTornTail: boolean;
}

/** Parses and verifies a segment's records; damage other than an allowed torn tail is an error. */
export function parseSegment(
  bytes: Uint8Array,
  options: ParseSegmentOptions,
): Result<SegmentParse, WalCorruptionError> {
  const records: ParsedRecord[] = [];
  let crc = options.expectedSeed ?? 0;
  let position = 0;
  const corrupt = (offset: number, detail: string) =>
    failure(new WalCorruptionError(options.file, offset, detail));
  while (position < bytes.length || records.length === 0) {
    const remaining = bytes.length - position;
    if (remaining < walRecordHeaderBytes) {
      if (options.allowTornTail) return success({ records, validEnd: position, crc, tornAt: position });
      return corrupt(position, remaining === 0 ? 'segment has no records' : 'incomplete record header');
    }
    const headerCrc = crc32c(bytes.subarray(position, position + walHeaderCrcOffset));
    if (headerCrc !== readU32(bytes, position + walHeaderCrcOffset)) {
      return corrupt(position, 'record header checksum mismatch');
    }
    const length = readU32(bytes, position);
    if (length > walRecordPayloadBytesMax) {
      return corrupt(position, `record payload length ${length} exceeds limit ${walRecordPayloadBytesMax}`);
    }
    if (position + walRecordHeaderBytes + length > bytes.length) {
      if (options.allowTornTail) return success({ records, validEnd: position, crc, tornAt: position });
      return corrupt(position, 'record extends past the end of the segment');
    }
    const end = position + walRecordHeaderBytes + length;
    const type = bytes[position + 4];
    const payloadOffset = position + walRecordHeaderBytes;
    const decoded = decodeWalPayload(type, bytes.subarray(payloadOffset, end), payloadOffset);
    if (records.length === 0) {
      if (!decoded.ok || decoded.value.type !== WalRecordType.CrcSeed) {
        return corrupt(position, 'segment does not start with a crc seed record');
      }
      const seed = decoded.value.seed;
      if (options.expectedSeed !== null && seed !== options.expectedSeed) {
        return corrupt(position, `crc seed ${seed} does not continue the previous segment's crc ${crc}`);
      }
      crc = seed;
    }
    const computed = recordCrc(crc, bytes.subarray(position, end));
    const stored = readU32(bytes, position + walRecordCrcOffset);
    if (computed !== stored) {
      return corrupt(position, `record checksum mismatch (stored ${hex8(stored)}, computed ${hex8(computed)})`);
    }
    if (!decoded.ok) return corrupt(decoded.error.offset, decoded.error.detail);
    if (records.length > 0 && decoded.value.type === WalRecordType.CrcSeed) {
      return corrupt(position, 'unexpected crc seed record inside a segment');
    }
    records.push({ record: decoded.value, offset: position, crc: computed });
    crc = computed;
    position = end;
  }
  return success({ records, validEnd: position, crc, tornAt: null });
}

function readU32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset);
}

function hex8(value: number): string {
  return value.toString(16).padStart(8, '0');
}
