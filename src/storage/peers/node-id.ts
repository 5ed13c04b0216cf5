// elastickv's NodeID: the 64-bit FNV-1a hash of the peer's ID string (its UTF-8 bytes), with 0
// mapped to 1 because 0 means "none" in etcd/raft. Full u64 values, so bigint.
import { encodeUtf8 } from '../codec/utf8';

const fnvOffsetBasis = 0xcbf29ce484222325n;
const fnvPrime = 0x100000001b3n;
const u64Mask = 0xffffffffffffffffn;

/** FNV-1a 64 of `bytes`. */
export function fnv1a64(bytes: Uint8Array): bigint {
  let hash = fnvOffsetBasis;
  for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * fnvPrime) & u64Mask;
  return hash;
}

/** The NodeID for a peer ID (elastickv's DeriveNodeID); 0 for the empty ID. */
export function deriveNodeId(id: string): bigint {
  if (id === '') return 0n;
  const hash = fnv1a64(encodeUtf8(id));
  return hash === 0n ? 1n : hash;
}
