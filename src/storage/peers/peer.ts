// A peer as elastickv's etcd engine records it, and the normalisation it applies to persisted
// peers: a missing NodeID is derived from the ID, a missing ID becomes the address, or else the
// decimal NodeID.
import { encodeUtf8 } from '../codec/utf8';
import { deriveNodeId } from './node-id';

export interface Peer {
  /** The u64 NodeID. */
  nodeId: bigint;
  id: string;
  /** May be empty (a placeholder peer added without a usable context). */
  address: string;
}

export const errPeerIdRequired = 'etcd raft peer id is required';

/** elastickv's normalizePersistedPeer; null when the peer has neither an ID nor a NodeID. */
export function normalizePersistedPeer(peer: Peer): Peer | null {
  if (peer.id === '' && peer.nodeId === 0n) return null;
  const nodeId = peer.nodeId === 0n ? deriveNodeId(peer.id) : peer.nodeId;
  let id = peer.id;
  if (id === '') id = peer.address !== '' ? peer.address : nodeId.toString(10);
  return { nodeId, id, address: peer.address };
}

/** Orders peers by NodeID, then by the bytes of their ID (as Go compares strings). */
export function comparePeers(a: Peer, b: Peer): number {
  if (a.nodeId !== b.nodeId) return a.nodeId < b.nodeId ? -1 : 1;
  return compareBytes(encodeUtf8(a.id), encodeUtf8(b.id));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
