// Bootstrapping an empty storage with an initial membership (etcd's RawNode.Bootstrap). Hosts
// may instead start from a storage whose first index is > 1 and whose ConfState names the voters.
import { RaftError } from './errors';
import { ConfChangeType, EntryType, NONE, emptyHardState, type Entry, type NodeId } from './types';
import { marshalConfChange } from './encoding/conf-change';
import { applyConfChange } from './raft-conf-change';
import { asV2 } from './encoding/conf-change';
import type { RawNode } from './rawnode';

export interface Peer {
  id: NodeId;
  context: Uint8Array | null;
}

export function bootstrap(rawNode: RawNode, peers: Peer[]): void {
  if (peers.length === 0) throw new RaftError('must provide at least one peer to Bootstrap');
  const r = rawNode.raft;
  if (r.raftLog.storage.lastIndex() !== 0) throw new RaftError("can't bootstrap a nonempty Storage");
  // Nothing is persisted yet: start from an empty HardState so the first Ready persists one.
  rawNode.prevHardState = emptyHardState();
  r.becomeFollower(1, NONE);
  const entries: Entry[] = peers.map((peer, i) => ({
    type: EntryType.EntryConfChange,
    term: 1,
    index: i + 1,
    data: marshalConfChange({
      type: ConfChangeType.ConfChangeAddNode,
      nodeId: peer.id,
      context: peer.context,
      id: 0,
    }),
  }));
  r.raftLog.append(entries);
  // Apply the membership now so the host may campaign at once; the entries stay unapplied, so the
  // host still sees them as committed entries and applies them again.
  r.raftLog.committed = entries.length;
  for (const peer of peers) {
    applyConfChange(
      r,
      asV2({ type: ConfChangeType.ConfChangeAddNode, nodeId: peer.id, context: null, id: 0 }),
    );
  }
}
