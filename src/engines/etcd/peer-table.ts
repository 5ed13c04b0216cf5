// The etcd host's peer metadata (who is in the configuration and at which address), kept as
// elastickv keeps it and written to `etcd-raft-peers.bin` with every applied conf change:
// - a conf-change context whose NodeID differs from the change's NodeID is ignored (a batch V2
//   change carries one context for all its changes);
// - an AddNode without a usable context adds a placeholder {NodeID, ID = decimal NodeID, no
//   address} only when the NodeID is unknown: a known address is never overwritten by nothing;
// - learners are recorded like voters; removed nodes are dropped.
// Raft node ids here are small numbers (the engine's NodeId); elastickv derives them from the ID
// string with FNV-1a 64, which needs all 64 bits, so raftlab names peers by number instead.
import { ConfChangeType, type ConfChangeV2, type ConfState, type LogIndex, type NodeId } from '../../raft/types';
import { decodeConfChangeContext } from '../../storage/peers/context-codec';
import type { Peer } from '../../storage/peers/peer';
import type { PersistedPeers } from '../../storage/peers/peers-file';
import type { PeerSpec, PeerStatus } from './batch';

export function peerFromSpec(spec: PeerSpec): Peer {
  return { nodeId: BigInt(spec.nodeId), id: spec.id ?? String(spec.nodeId), address: spec.address };
}

export function placeholderPeer(nodeId: NodeId): Peer {
  return { nodeId: BigInt(nodeId), id: String(nodeId), address: '' };
}

export class PeerTable {
  private constructor(
    /** The Raft index of the configuration these peers describe. */
    private indexValue: bigint,
    private readonly peers: Map<bigint, Peer>,
  ) {}

  static from(persisted: PersistedPeers): PeerTable {
    return new PeerTable(persisted.index, new Map(persisted.peers.map((peer) => [peer.nodeId, { ...peer }])));
  }

  get index(): bigint {
    return this.indexValue;
  }

  get(nodeId: NodeId): Peer | null {
    return this.peers.get(BigInt(nodeId)) ?? null;
  }

  toPersisted(): PersistedPeers {
    return { index: this.indexValue, peers: this.sorted().map((peer) => ({ ...peer })) };
  }

  toStatus(): PeerStatus[] {
    return this.sorted().map((peer) => ({ nodeId: peer.nodeId.toString(10), id: peer.id, address: peer.address }));
  }

  /** Applies a committed conf change at `index`; false (nothing done) when the table is already newer. */
  applyConfChange(index: LogIndex, cc: ConfChangeV2): boolean {
    if (BigInt(index) <= this.indexValue) return false;
    const context = cc.context === null ? null : decodeConfChangeContext(cc.context);
    for (const change of cc.changes) {
      const nodeId = BigInt(change.nodeId);
      const fromContext = context !== null && context.peer.nodeId === nodeId ? context.peer : null;
      switch (change.type) {
        case ConfChangeType.ConfChangeAddNode:
        case ConfChangeType.ConfChangeAddLearnerNode:
        case ConfChangeType.ConfChangeUpdateNode:
          if (fromContext !== null) this.peers.set(nodeId, normalized(fromContext));
          else if (!this.peers.has(nodeId) && change.type !== ConfChangeType.ConfChangeUpdateNode) {
            this.peers.set(nodeId, placeholderPeer(change.nodeId));
          }
          break;
        case ConfChangeType.ConfChangeRemoveNode:
          this.peers.delete(nodeId);
          break;
      }
    }
    this.indexValue = BigInt(index);
    return true;
  }

  /**
   * Follows a snapshot received from the leader: members of its configuration keep their known
   * entry or get a placeholder, everyone else is dropped. False when the table is already newer.
   */
  applySnapshot(index: LogIndex, confState: ConfState): boolean {
    if (BigInt(index) <= this.indexValue) return false;
    const members = new Set(
      [...confState.voters, ...confState.votersOutgoing, ...confState.learners, ...confState.learnersNext].map(BigInt),
    );
    for (const nodeId of [...this.peers.keys()]) if (!members.has(nodeId)) this.peers.delete(nodeId);
    for (const nodeId of members) if (!this.peers.has(nodeId)) this.peers.set(nodeId, placeholderPeer(Number(nodeId)));
    this.indexValue = BigInt(index);
    return true;
  }

  private sorted(): Peer[] {
    return [...this.peers.values()].sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  }
}

function normalized(peer: Peer): Peer {
  return { nodeId: peer.nodeId, id: peer.id === '' ? peer.nodeId.toString(10) : peer.id, address: peer.address };
}
