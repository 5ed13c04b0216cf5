// The WAL's record format (our own compact codec; all integers big-endian).
//
// A segment file `wal/<seq>-<firstIndex>.wal` (both 16 lower-case hex digits; firstIndex is the
// index the next entry was expected to have when the segment was cut) is a sequence of records
// and nothing else:
//
//   offset  size  field
//   0       4     payloadLength  u32, at most walRecordPayloadBytesMax
//   4       1     type           1 crc seed, 2 entry, 3 hard state, 4 snapshot marker
//   5       4     headerCrc      CRC-32C of bytes [0, 5): a damaged length is corruption, while
//                                a whole header announcing more bytes than the file holds is
//                                the mark of a torn write
//   9       4     crc            CRC-32C continuing the previous record's crc over bytes
//                                [0, 5) of this record followed by the payload
//   13      n     payload
//
// Payloads:
//   crc seed (1)         u32 seed: the crc the chain continues from. Every segment starts with
//                        one; its own crc continues from the seed. The first segment's seed is 0,
//                        a later segment's seed is the crc of the previous segment's last record.
//   entry (2)            u64 term, u64 index, u8 entry type (0 normal, 1 conf change,
//                        2 conf change v2), u8 data flag (0 nil data, 1 data), u32 data length
//                        (0 when nil), data bytes
//   hard state (3)       u64 term, u64 vote, u64 commit
//   snapshot marker (4)  u64 index, u64 term: a snapshot at (index, term) was saved to snap/
//
// u64 fields are read as numbers and must be at most 2^53 - 1.
import { ByteReader } from '../codec/byte-reader';
import { ByteWriter } from '../codec/byte-writer';
import { crc32c, crc32cUpdate } from '../codec/crc32c';
import { DecodeError, decodeWith, type DecodeResult } from '../codec/decode-error';
import { EntryType, type Entry, type HardState, type LogIndex, type Term } from '../../raft/types';

/** Bytes before a record's payload. */
export const walRecordHeaderBytes = 13;
/** The largest payload a record may claim; a longer one is corruption. */
export const walRecordPayloadBytesMax = 64 * 1024 * 1024;
/** The largest entry data in a record (the payload limit less the entry fields). */
export const walEntryDataBytesMax = walRecordPayloadBytesMax - 22;
/** Where the header's own checksum and the chained checksum sit. */
export const walHeaderCrcOffset = 5;
export const walRecordCrcOffset = 9;

export enum WalRecordType {
  CrcSeed = 1,
  Entry = 2,
  HardState = 3,
  SnapshotMarker = 4,
}

export interface SnapshotMarker {
  index: LogIndex;
  term: Term;
}

export type WalRecord =
  | { type: WalRecordType.CrcSeed; seed: number }
  | { type: WalRecordType.Entry; entry: Entry }
  | { type: WalRecordType.HardState; hardState: HardState }
  | { type: WalRecordType.SnapshotMarker; marker: SnapshotMarker };

/** Encodes one record whose crc continues from `previousCrc`; returns its bytes and crc. */
export function encodeWalRecord(
  record: WalRecord,
  previousCrc: number,
): { bytes: Uint8Array; crc: number } {
  const payload = encodeWalPayload(record);
  if (payload.length > walRecordPayloadBytesMax) {
    throw new RangeError(`WAL record payload of ${payload.length} bytes exceeds ${walRecordPayloadBytesMax}`);
  }
  const writer = new ByteWriter(walRecordHeaderBytes + payload.length);
  writer.u32(payload.length).u8(record.type).u32(0).u32(0).raw(payload);
  const bytes = writer.finish();
  const crc = recordCrc(previousCrc, bytes);
  const view = new DataView(bytes.buffer);
  view.setUint32(walHeaderCrcOffset, crc32c(bytes.subarray(0, walHeaderCrcOffset)));
  view.setUint32(walRecordCrcOffset, crc);
  return { bytes, crc };
}

/** The crc of a whole encoded record (header and payload), continuing from `previousCrc`. */
export function recordCrc(previousCrc: number, record: Uint8Array): number {
  const afterHeader = crc32cUpdate(previousCrc, record.subarray(0, walHeaderCrcOffset));
  return crc32cUpdate(afterHeader, record.subarray(walRecordHeaderBytes));
}

export function encodeWalPayload(record: WalRecord): Uint8Array {
  const writer = new ByteWriter(32);
  switch (record.type) {
    case WalRecordType.CrcSeed:
      writer.u32(record.seed);
      break;
    case WalRecordType.Entry: {
      const { entry } = record;
      writer.u64(entry.term).u64(entry.index).u8(entry.type);
      if (entry.data === null) writer.u8(0).u32(0);
      else writer.u8(1).lengthPrefixedBytes(entry.data);
      break;
    }
    case WalRecordType.HardState:
      writer.u64(record.hardState.term).u64(record.hardState.vote).u64(record.hardState.commit);
      break;
    case WalRecordType.SnapshotMarker:
      writer.u64(record.marker.index).u64(record.marker.term);
      break;
  }
  return writer.finish();
}

/**
 * Decodes a payload of the given type. `offset` is where the payload starts in its file, so that
 * errors point into the file.
 */
export function decodeWalPayload(type: number, payload: Uint8Array, offset = 0): DecodeResult<WalRecord> {
  return decodeWith(() => {
    const reader = new ByteReader(payload, offset);
    const record = readPayload(type, reader, offset);
    reader.expectEnd(`the ${WalRecordType[type] ?? 'unknown'} record payload`);
    return record;
  });
}

function readPayload(type: number, reader: ByteReader, offset: number): WalRecord {
  switch (type) {
    case WalRecordType.CrcSeed:
      return { type, seed: reader.u32('crc seed') };
    case WalRecordType.Entry:
      return { type, entry: readEntry(reader) };
    case WalRecordType.HardState:
      return {
        type,
        hardState: {
          term: reader.u64Number('hard state term'),
          vote: reader.u64Number('hard state vote'),
          commit: reader.u64Number('hard state commit'),
        },
      };
    case WalRecordType.SnapshotMarker:
      return {
        type,
        marker: { index: reader.u64Number('snapshot index'), term: reader.u64Number('snapshot term') },
      };
    default:
      throw new DecodeError('invalid', offset, `unknown WAL record type ${type}`);
  }
}

function readEntry(reader: ByteReader): Entry {
  const term = reader.u64Number('entry term');
  const index = reader.u64Number('entry index');
  const typeOffset = reader.offset;
  const type = reader.u8('entry type');
  if (type > EntryType.EntryConfChangeV2) reader.fail('invalid', typeOffset, `unknown entry type ${type}`);
  const flagOffset = reader.offset;
  const flag = reader.u8('entry data flag');
  if (flag > 1) reader.fail('invalid', flagOffset, `entry data flag ${flag} is neither 0 nor 1`);
  const lengthOffset = reader.offset;
  const data = reader.lengthPrefixedBytes('entry data', walEntryDataBytesMax);
  if (flag === 0 && data.length > 0) reader.fail('invalid', lengthOffset, 'nil entry data has a length');
  return { term, index, type: type as EntryType, data: flag === 0 ? null : data };
}

/** A one-line summary of a record, for `raftlab datadir inspect`. */
export function describeWalRecord(record: WalRecord): string {
  switch (record.type) {
    case WalRecordType.CrcSeed:
      return `crc seed ${record.seed.toString(16).padStart(8, '0')}`;
    case WalRecordType.Entry: {
      const { entry } = record;
      const size = entry.data === null ? 'nil' : `${entry.data.length} bytes`;
      return `entry ${entry.term}/${entry.index} ${EntryType[entry.type]} ${size}`;
    }
    case WalRecordType.HardState:
      return `hard state term=${record.hardState.term} vote=${record.hardState.vote} commit=${record.hardState.commit}`;
    case WalRecordType.SnapshotMarker:
      return `snapshot marker index=${record.marker.index} term=${record.marker.term}`;
  }
}
