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

export function decodePeersFile(bytes: Uint8Array): DecodeResult<PersistedPeers> {
  return decodeWith(() => {
    const reader = new ByteReader(bytes);
    const magic = reader.bytesOf(4, `${kind} magic`);
    if (!magic.every((byte, i) => byte === magicBytes[i])) reader.fail('invalid', 0, `invalid ${kind} magic`);
    const version = reader.u32(`${kind} version`);
    if (version !== peersFileVersion) reader.fail('invalid', 4, `unsupported ${kind} version ${version}`);
    const index = reader.u64(`${kind} index`);
    const countOffset = reader.offset;
    const count = reader.u32('persisted peer count');
    if (count > peersCountMax) {
      reader.fail('too-large', countOffset, `persisted peer count ${count} exceeds limit ${peersCountMax}`);
    }
    const peers: Peer[] = [];
    for (let i = 0; i < count; i++) peers.push(readPeer(reader));
    reader.expectEnd('the last peer record');
    return { index, peers };
  });
}

function readPeer(reader: ByteReader): Peer {
  const recordOffset = reader.offset;
  const nodeId = reader.u64('peer node id');
  const id = readString(reader, 'peer id');
  const address = readString(reader, 'peer address');
  const normalized = normalizePersistedPeer({ nodeId, id, address });
  if (normalized === null) throw new DecodeError('invalid', recordOffset, errPeerIdRequired);
  return normalized;
}

function readString(reader: ByteReader, what: string): string {
  const offset = reader.offset + 4;
  const bytes = reader.lengthPrefixedBytes(what, peerStringBytesMax);
  return decodeUtf8(bytes, what, offset);
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

/** The JSON shape `raftlab peers decode` prints (u64 values as decimal strings). */
export function peersToJson(state: PersistedPeers): string {
  const peers = state.peers.map((peer) => ({ nodeId: peer.nodeId.toString(10), id: peer.id, address: peer.address }));
  return JSON.stringify({ index: state.index.toString(10), peers });
}
