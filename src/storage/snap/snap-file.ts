// The snapshot file format (our own; all integers big-endian), one snapshot per file named
// `snap/<term>-<index>.snap` with both numbers as 16 lower-case hex digits:
//
//   offset  size  field
//   0       4     magic "RLSN"
//   4       4     u32 version = 1
//   8       8     u64 term
//   16      8     u64 index
//   24      ...   conf state: four node lists (voters, learners, voters outgoing, learners
//                 next), each a u32 count (at most snapConfStateNodesMax) and that many u64 ids;
//                 then u8 auto leave (0 or 1)
//   ...     1     u8 data flag (0 nil data, 1 data)
//   ...     4     u32 data length (at most snapDataBytesMax; 0 when nil), then the data
//   end-4   4     u32 CRC-32C of every byte before it
//
// Nothing may follow the checksum.
import { ByteReader } from '../codec/byte-reader';
import { ByteWriter } from '../codec/byte-writer';
import { crc32c } from '../codec/crc32c';
import { DecodeError, decodeWith, type DecodeResult } from '../codec/decode-error';
import type { ConfState, NodeId, Snapshot } from '../../raft/types';

export const snapFileMagic = 'RLSN';
export const snapFileVersion = 1;
/** The most node ids one conf-state list may hold. */
export const snapConfStateNodesMax = 4096;
/** The largest state-machine payload a snapshot file may hold. */
export const snapDataBytesMax = 256 * 1024 * 1024;
export const snapFileExtension = '.snap';

const magicBytes = new TextEncoder().encode(snapFileMagic);
const snapNamePattern = /^([0-9a-f]{16})-([0-9a-f]{16})\.snap$/;

export function snapFileName(term: number, index: number): string {
  return `${term.toString(16).padStart(16, '0')}-${index.toString(16).padStart(16, '0')}${snapFileExtension}`;
}

export function parseSnapFileName(name: string): { term: number; index: number } | null {
  const match = snapNamePattern.exec(name);
  if (match === null) return null;
  const term = Number.parseInt(match[1], 16);
  const index = Number.parseInt(match[2], 16);
  if (!Number.isSafeInteger(term) || !Number.isSafeInteger(index)) return null;
  return { term, index };
}

export function encodeSnapFile(snapshot: Snapshot): Uint8Array {
  const { metadata } = snapshot;
  const writer = new ByteWriter(64 + (snapshot.data?.length ?? 0));
  writer.raw(magicBytes).u32(snapFileVersion).u64(metadata.term).u64(metadata.index);
  const { confState } = metadata;
  for (const list of [confState.voters, confState.learners, confState.votersOutgoing, confState.learnersNext]) {
    if (list.length > snapConfStateNodesMax) throw new RangeError(`conf state list of ${list.length} nodes`);
    writer.u32(list.length);
    for (const id of list) writer.u64(id);
  }
  writer.u8(confState.autoLeave ? 1 : 0);
  if (snapshot.data === null) writer.u8(0).u32(0);
  else writer.u8(1).lengthPrefixedBytes(snapshot.data);
  writer.u32(crc32c(writer.written()));
  return writer.finish();
}

export function decodeSnapFile(bytes: Uint8Array): DecodeResult<Snapshot> {
  return decodeWith(() => {
    const reader = new ByteReader(bytes);
    const magic = reader.bytesOf(4, 'snapshot magic');
    if (!magic.every((byte, i) => byte === magicBytes[i])) reader.fail('invalid', 0, 'invalid snapshot file magic');
    const version = reader.u32('snapshot version');
    if (version !== snapFileVersion) reader.fail('invalid', 4, `unsupported snapshot file version ${version}`);
    const term = reader.u64Number('snapshot term');
    const index = reader.u64Number('snapshot index');
    const confState = readConfState(reader);
    const flagOffset = reader.offset;
    const flag = reader.u8('snapshot data flag');
    if (flag > 1) reader.fail('invalid', flagOffset, `snapshot data flag ${flag} is neither 0 nor 1`);
    const data = reader.lengthPrefixedBytes('snapshot data', snapDataBytesMax);
    if (flag === 0 && data.length > 0) reader.fail('invalid', flagOffset, 'nil snapshot data has a length');
    const checksumOffset = reader.offset;
    const stored = reader.u32('snapshot checksum');
    reader.expectEnd('the snapshot checksum');
    const computed = crc32c(bytes.subarray(0, checksumOffset));
    if (stored !== computed) {
      throw new DecodeError('checksum', checksumOffset, `snapshot checksum mismatch (stored ${stored}, computed ${computed})`);
    }
    return { data: flag === 0 ? null : data, metadata: { term, index, confState } };
  });
}

function readConfState(reader: ByteReader): ConfState {
  const lists: NodeId[][] = [];
  for (const what of ['voters', 'learners', 'voters outgoing', 'learners next']) {
    const countOffset = reader.offset;
    const count = reader.u32(`${what} count`);
    if (count > snapConfStateNodesMax) {
      reader.fail('too-large', countOffset, `${what} count ${count} exceeds limit ${snapConfStateNodesMax}`);
    }
    const ids: NodeId[] = [];
    for (let i = 0; i < count; i++) ids.push(reader.u64Number(`${what} node id`));
    lists.push(ids);
  }
  const autoLeaveOffset = reader.offset;
  const autoLeave = reader.u8('auto leave');
  if (autoLeave > 1) reader.fail('invalid', autoLeaveOffset, `auto leave ${autoLeave} is neither 0 nor 1`);
  return { voters: lists[0], learners: lists[1], votersOutgoing: lists[2], learnersNext: lists[3], autoLeave: autoLeave === 1 };
}
