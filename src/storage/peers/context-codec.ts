// The byte envelopes elastickv's etcd engine puts in Raft entries and contexts (big-endian):
//   proposal            0x01, u64 request id, payload
//   ReadIndex context   0x02, u64 request id                      (exactly 9 bytes)
//   conf-change context 0x03, u64 request id, u64 NodeID, u16 id length, u16 address length,
//                       id bytes, address bytes                   (exactly 21 + lengths bytes)
// Decoders return null for bytes that are not such an envelope, as elastickv's return !ok.
import { decodeUtf8 } from '../codec/byte-reader';
import { DecodeError } from '../codec/decode-error';
import { encodeUtf8 } from '../codec/utf8';
import type { Peer } from './peer';

export const proposalContextVersion = 0x01;
export const readContextVersion = 0x02;
export const confChangeContextVersion = 0x03;
/** Version byte + u64 request id. */
export const envelopeHeaderBytes = 9;
/** Version byte + request id + NodeID + two u16 lengths. */
export const confChangeFixedBytes = 21;
const u16Max = 0xffff;

/** Thrown when an id or address does not fit a u16 length (elastickv's sentinel). */
export const errConfChangeContextTooLarge = new Error('etcd raft conf change context is too large');

export function encodeProposalEnvelope(requestId: bigint, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(envelopeHeaderBytes + payload.length);
  writeHeader(out, proposalContextVersion, requestId);
  out.set(payload, envelopeHeaderBytes);
  return out;
}

export function decodeProposalEnvelope(data: Uint8Array): { requestId: bigint; payload: Uint8Array } | null {
  if (data.length < envelopeHeaderBytes || data[0] !== proposalContextVersion) return null;
  return { requestId: view(data).getBigUint64(1), payload: data.slice(envelopeHeaderBytes) };
}

export function encodeReadContext(requestId: bigint): Uint8Array {
  const out = new Uint8Array(envelopeHeaderBytes);
  writeHeader(out, readContextVersion, requestId);
  return out;
}

export function decodeReadContext(data: Uint8Array): bigint | null {
  if (data.length !== envelopeHeaderBytes || data[0] !== readContextVersion) return null;
  return view(data).getBigUint64(1);
}

/** Throws errConfChangeContextTooLarge when the id or the address exceeds 65535 bytes. */
export function encodeConfChangeContext(requestId: bigint, peer: Peer): Uint8Array {
  const id = encodeUtf8(peer.id);
  const address = encodeUtf8(peer.address);
  if (id.length > u16Max || address.length > u16Max) throw errConfChangeContextTooLarge;
  const out = new Uint8Array(confChangeFixedBytes + id.length + address.length);
  writeHeader(out, confChangeContextVersion, requestId);
  const dataView = view(out);
  dataView.setBigUint64(9, peer.nodeId);
  dataView.setUint16(17, id.length);
  dataView.setUint16(19, address.length);
  out.set(id, confChangeFixedBytes);
  out.set(address, confChangeFixedBytes + id.length);
  return out;
}

export function decodeConfChangeContext(data: Uint8Array): { requestId: bigint; peer: Peer } | null {
  if (data.length < confChangeFixedBytes || data[0] !== confChangeContextVersion) return null;
  const dataView = view(data);
  const idLength = dataView.getUint16(17);
  const addressLength = dataView.getUint16(19);
  if (data.length !== confChangeFixedBytes + idLength + addressLength) return null;
  try {
    const id = decodeUtf8(data.subarray(21, 21 + idLength), 'peer id', 21);
    const address = decodeUtf8(data.subarray(21 + idLength), 'peer address', 21 + idLength);
    return { requestId: dataView.getBigUint64(1), peer: { nodeId: dataView.getBigUint64(9), id, address } };
  } catch (error) {
    if (error instanceof DecodeError) return null;
    throw error;
  }
}

function writeHeader(out: Uint8Array, version: number, requestId: bigint): void {
  if (requestId < 0n || requestId > 0xffffffffffffffffn) throw new RangeError(`request id ${requestId} is not a u64`);
  out[0] = version;
  view(out).setBigUint64(1, requestId);
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
