// `etcd-raft-peers.bin`, exactly as elastickv writes it (all integers big-endian, no checksum):
//
//   offset  size  field
//   0       4     magic "EKVP"
//   4       4     u32 version = 1
//   8       8     u64 Index: the Raft index of the configuration
//   16      4     u32 count, at most peersCountMax (checked before anything is allocated)
//   20      ...   count records, sorted by NodeID then ID:
//                   u64 NodeID
//                   u32 id length (at most peerStringBytesMax) + id bytes (UTF-8)
//                   u32 address length (at most peerStringBytesMax) + address bytes (UTF-8)
//
// Bytes after the last record are an error. Records are normalised on read as elastickv does
// (peer.ts). Errors use elastickv's wording and add the byte offset.
import { ByteReader, decodeUtf8 } from '../codec/byte-reader';
import { ByteWriter } from '../codec/byte-writer';
import { DecodeError, decodeWith, type DecodeResult } from '../codec/decode-error';
import { encodeUtf8 } from '../codec/utf8';
import { comparePeers, errPeerIdRequired, normalizePersistedPeer, type Peer } from './peer';

export const peersFileName = 'etcd-raft-peers.bin';
export const peersFileVersion = 1;
/** elastickv's maxPersistedPeers. */
export const peersCountMax = 1024;
/** elastickv's maxPersistedPeerStr: 1 MiB for an id or an address. */
export const peerStringBytesMax = 1024 * 1024;

const magicBytes = new TextEncoder().encode('EKVP');
const kind = 'etcd raft peers';

export interface PersistedPeers {
  /** The u64 Raft index of the configuration. */
  index: bigint;
  peers: Peer[];
}

/** A decoder's request for the next `length` bytes of the file. */
export interface ReadRequest {
  length: number;
  what: string;
}

/**
 * The peers-file decoder as a sequence of bounded reads: it yields how many bytes it needs next
 * (every length already checked against its limit) and receives a reader over exactly those
 * bytes. Drivers feed it from memory (decodePeersFile) or from a file handle (the CLI), so a
 * hostile file costs at most one field's limit of memory. It throws DecodeError.
 */
export function* peersFileDecoder(): Generator<ReadRequest, PersistedPeers, ByteReader> {
  let reader = yield { length: 4, what: `${kind} magic` };
  const magic = reader.bytesOf(4, `${kind} magic`);
  if (!magic.every((byte, i) => byte === magicBytes[i])) reader.fail('invalid', 0, `invalid ${kind} magic`);
  reader = yield { length: 12, what: `${kind} version and index` };
  const version = reader.u32(`${kind} version`);
  if (version !== peersFileVersion) reader.fail('invalid', 4, `unsupported ${kind} version ${version}`);
  const index = reader.u64(`${kind} index`);
  reader = yield { length: 4, what: 'persisted peer count' };
  const count = reader.u32('persisted peer count');
  if (count > peersCountMax) {
    reader.fail('too-large', 16, `persisted peer count ${count} exceeds limit ${peersCountMax}`);
  }
  const peers: Peer[] = [];
  for (let i = 0; i < count; i++) {
    reader = yield { length: 12, what: 'peer node id and id length' };
    const recordOffset = reader.offset;
    const nodeId = reader.u64('peer node id');
    const id = yield* readString(reader, 'peer id');
    reader = yield { length: 4, what: 'peer address length' };
    const address = yield* readString(reader, 'peer address');
    const normalized = normalizePersistedPeer({ nodeId, id, address });
    if (normalized === null) throw new DecodeError('invalid', recordOffset, errPeerIdRequired);
    peers.push(normalized);
  }
  return { index, peers };
}

/** Reads a u32 length from `reader` (which holds exactly it), checks it, then asks for the bytes. */
function* readString(reader: ByteReader, what: string): Generator<ReadRequest, string, ByteReader> {
  const lengthOffset = reader.offset;
  const length = reader.u32(`${what} length`);
  if (length > peerStringBytesMax) {
    reader.fail('too-large', lengthOffset, `${what} size ${length} exceeds limit ${peerStringBytesMax}`);
  }
  if (length === 0) return '';
  const bytesReader = yield { length, what };
  const offset = bytesReader.offset;
  return decodeUtf8(bytesReader.bytesOf(length, what), what, offset);
}

/** Runs the decoder over bytes in memory; bytes after the last record are an error. */
export function decodePeersFile(bytes: Uint8Array): DecodeResult<PersistedPeers> {
  return decodeWith(() => {
    const decoder = peersFileDecoder();
    let offset = 0;
    let step = decoder.next();
    while (!step.done) {
      const { length, what } = step.value;
      const remaining = bytes.length - offset;
      if (length > remaining) throw new DecodeError('truncated', offset, `${what} needs ${length} bytes but ${remaining} remain`);
      step = decoder.next(new ByteReader(bytes.subarray(offset, offset + length), offset));
      offset += length;
    }
    if (offset < bytes.length) throw trailingBytesError(bytes.length - offset, offset);
    return step.value;
  });
}

export function trailingBytesError(count: number, offset: number): DecodeError {
  return new DecodeError('trailing', offset, `${count} trailing bytes after the last peer record`);
}

/**
 * Encodes the peers file: peers are normalised and sorted. Throws RangeError when a limit is
 * exceeded or a peer has neither ID nor NodeID (the caller validates input first).
 */
export function encodePeersFile(state: PersistedPeers): Uint8Array {
  if (state.index < 0n || state.index > 0xffffffffffffffffn) throw new RangeError(`index ${state.index} is not a u64`);
  if (state.peers.length > peersCountMax) {
    throw new RangeError(`persisted peer count ${state.peers.length} exceeds limit ${peersCountMax}`);
  }
  const peers = state.peers.map((peer) => {
    const normalized = normalizePersistedPeer(peer);
    if (normalized === null) throw new RangeError(errPeerIdRequired);
    return normalized;
  });
  peers.sort(comparePeers);
  const writer = new ByteWriter(64);
  writer.raw(magicBytes).u32(peersFileVersion).u64(state.index).u32(peers.length);
  for (const peer of peers) {
    writer.u64(peer.nodeId);
    writeString(writer, peer.id, 'peer id');
    writeString(writer, peer.address, 'peer address');
  }
  return writer.finish();
}

function writeString(writer: ByteWriter, text: string, what: string): void {
  const bytes = encodeUtf8(text);
  if (bytes.length > peerStringBytesMax) {
    throw new RangeError(`${what} size ${bytes.length} exceeds limit ${peerStringBytesMax}`);
  }
  writer.lengthPrefixedBytes(bytes);
}

/**
 * The JSON `raftlab peers decode` prints, spaced as `{"index": "7", "peers": [{"nodeId": ...}]}`,
 * with u64 values as decimal strings and peers in file order.
 */
export function peersToJson(state: PersistedPeers): string {
  const quote = (text: string) => JSON.stringify(text);
  const peers = state.peers.map(
    (peer) => `{"nodeId": ${quote(peer.nodeId.toString(10))}, "id": ${quote(peer.id)}, "address": ${quote(peer.address)}}`,
  );
  return `{"index": ${quote(state.index.toString(10))}, "peers": [${peers.join(', ')}]}`;
}
