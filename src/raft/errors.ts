// etcd/raft's sentinel errors. The engine throws these singletons where etcd returns them, and
// callers compare by identity exactly where etcd compares errors.

export class RaftError extends Error {
  override name = 'RaftError';
}

/** A proposal was ignored (no leader, leader transfer in progress, size limits, ...). */
export const errProposalDropped = new RaftError('raft proposal dropped');
/** A local message (MsgHup, MsgBeat, ...) was passed to RawNode.step. */
export const errStepLocalMsg = new RaftError('raft: cannot step raft local message');
/** A response came from a peer the progress tracker does not know. */
export const errStepPeerNotFound = new RaftError('raft: cannot step as peer not found');

/** Storage: the requested index is older than the first available one. */
export const errCompacted = new RaftError('requested index is unavailable due to compaction');
/** Storage: a snapshot older than the existing one was applied. */
export const errSnapOutOfDate = new RaftError('requested index is older than the existing snapshot');
/** Storage: the requested entries are not available (beyond the last index). */
export const errUnavailable = new RaftError('requested entry at index is unavailable');
/** Storage: the snapshot is being made and is not ready yet. */
export const errSnapshotTemporarilyUnavailable = new RaftError(
  'snapshot is temporarily unavailable',
);
