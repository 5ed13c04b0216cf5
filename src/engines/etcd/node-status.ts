// The status snapshot a node host returns with every batch: enough for the scheduler, the checker
// and the UI to follow the node without a second copy of its state.
import { stateTypeString } from '../../raft/ready';
import { EntryType, type NodeId } from '../../raft/types';
import type { NodeStatus } from './batch';
import type { EtcdNode } from './etcd-node';

/** Log entries listed in a status. */
export const statusLogTailMax = 5;
/** Keys listed in a status (the rest are only counted by the checker through reads). */
export const statusKeysMax = 64;

export function downStatus(id: NodeId, role: NodeStatus['role'], error: string | null): NodeStatus {
  return {
    id,
    role,
    error,
    term: 0,
    vote: 0,
    commit: 0,
    applied: 0,
    lead: 0,
    voters: [],
    learners: [],
    firstIndex: 0,
    lastIndex: 0,
    snapshotIndex: 0,
    logTail: [],
    configIndex: 0,
    peers: [],
    kv: [],
  };
}

export function nodeStatus(node: EtcdNode): NodeStatus {
  const raft = node.rawNode.raft;
  const memory = node.storage.storage;
  const confState = raft.trk.confState();
  const first = memory.firstIndex();
  const last = memory.lastIndex();
  const from = Math.max(first, last - statusLogTailMax + 1);
  const tail = last >= from ? memory.entries(from, last + 1, Number.POSITIVE_INFINITY) : [];
  return {
    id: node.id,
    role: node.removed ? 'removed' : (stateTypeString(raft.state) as NodeStatus['role']),
    error: null,
    term: raft.term,
    vote: raft.vote,
    commit: raft.raftLog.committed,
    applied: node.applied,
    lead: raft.lead,
    voters: confState.voters,
    learners: confState.learners,
    firstIndex: first,
    lastIndex: last,
    snapshotIndex: memory.snapshot().metadata.index,
    logTail: tail.map((entry) => `${entry.index}/${entry.term}/${entryTypeShort(entry.type)}`),
    configIndex: Number(node.peers.index),
    peers: node.peers.toStatus(),
    kv: node.fsm.entries().slice(0, statusKeysMax),
  };
}

function entryTypeShort(type: EntryType): string {
  return type === EntryType.EntryNormal ? 'normal' : type === EntryType.EntryConfChange ? 'cc' : 'ccv2';
}
