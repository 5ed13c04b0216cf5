// The leader's outgoing replication traffic (Raft paper 5.3): appends, snapshots and heartbeats,
// with etcd's flow control (probe, replicate, snapshot states and inflight limits).
import { MessageType, makeMessage, isEmptySnapshot, type NodeId, type Entry } from './types';
import { ProgressState } from './tracker/state';
import type { Progress } from './tracker/progress';
import type { Raft } from './raft';
import { hex } from './raft';
import { errCompacted, errSnapshotTemporarilyUnavailable, errUnavailable } from './errors';
import { payloadsSize } from './encoding/sizes';
import { RaftPanic } from './logger';

/** Sends an append (empty if there is nothing new) with the commit index. */
export function sendAppend(r: Raft, to: NodeId): void {
  maybeSendAppend(r, to, true);
}

/**
 * Sends an append to `to` unless its progress is paused. Empty appends (which only carry the
 * commit index) are sent only when `sendIfEmpty`. Returns true when a message was sent.
 */
export function maybeSendAppend(r: Raft, to: NodeId, sendIfEmpty: boolean): boolean {
  const pr = r.trk.progress.get(to)!;
  if (pr.isPaused()) return false;

  const prevIndex = pr.next - 1;
  const prevTerm = termOrUndefined(r, prevIndex);
  // The log was compacted past what this follower needs: only a snapshot can catch it up.
  if (prevTerm === undefined) return maybeSendSnapshot(r, to, pr);

  let entries: Entry[] = [];
  // A throttled follower in StateReplicate gets empty appends only, so that replication cannot
  // stall when every inflight append was lost.
  if (pr.state !== ProgressState.StateReplicate || !pr.inflights.full()) {
    const read = entriesOrUndefined(r, pr.next);
    if (read === undefined) {
      return sendIfEmpty ? maybeSendSnapshot(r, to, pr) : false;
    }
    entries = read;
  }
  if (entries.length === 0 && !sendIfEmpty) return false;

  r.send(
    makeMessage({
      type: MessageType.MsgApp,
      to,
      index: prevIndex,
      logTerm: prevTerm,
      entries,
      commit: r.raftLog.committed,
    }),
  );
  pr.sentEntries(entries.length, payloadsSize(entries));
  pr.sentCommit(r.raftLog.committed);
  return true;
}

function termOrUndefined(r: Raft, index: number): number | undefined {
  try {
    return r.raftLog.term(index);
  } catch (error) {
    if (error === errCompacted || error === errUnavailable) return undefined;
    throw error;
  }
}

function entriesOrUndefined(r: Raft, from: number): Entry[] | undefined {
  try {
    return r.raftLog.entries(from, r.maxMsgSize);
  } catch (error) {
    if (error === errCompacted || error === errUnavailable) return undefined;
    throw error;
  }
}

/** Sends the storage's snapshot to `to`. Returns true when the MsgSnap was emitted. */
export function maybeSendSnapshot(r: Raft, to: NodeId, pr: Progress): boolean {
  if (!pr.recentActive) {
    r.logger.debug(`ignore sending snapshot to ${hex(to)} since it is not recently active`);
    return false;
  }
  let snapshot;
  try {
    snapshot = r.raftLog.snapshot();
  } catch (error) {
    if (error === errSnapshotTemporarilyUnavailable) {
      r.logger.debug(
        `${hex(r.id)} failed to send snapshot to ${hex(to)} because snapshot is temporarily unavailable`,
      );
      return false;
    }
    throw error;
  }
  if (isEmptySnapshot(snapshot)) throw new RaftPanic('need non-empty snapshot');
  const { index, term } = snapshot.metadata;
  r.logger.debug(
    `${hex(r.id)} [firstindex: ${r.raftLog.firstIndex()}, commit: ${r.raftLog.committed}] sent snapshot[index: ${index}, term: ${term}] to ${hex(to)} [${pr.string()}]`,
  );
  pr.becomeSnapshot(index);
  r.logger.debug(`${hex(r.id)} paused sending replication messages to ${hex(to)} [${pr.string()}]`);
  r.send(makeMessage({ type: MessageType.MsgSnap, to, snapshot }));
  return true;
}

/**
 * Sends a heartbeat. Its commit is min(match, committed): a follower must never learn a commit
 * index beyond what it is known to hold.
 */
export function sendHeartbeat(r: Raft, to: NodeId, context: Uint8Array | null): void {
  const pr = r.trk.progress.get(to)!;
  const commit = Math.min(pr.match, r.raftLog.committed);
  r.send(makeMessage({ type: MessageType.MsgHeartbeat, to, commit, context }));
  pr.sentCommit(commit);
}

export function bcastAppend(r: Raft): void {
  r.trk.visit((id) => {
    if (id !== r.id) sendAppend(r, id);
  });
}

export function bcastHeartbeat(r: Raft): void {
  const lastContext = r.readOnly.lastPendingRequestCtx();
  bcastHeartbeatWithContext(r, lastContext);
}

export function bcastHeartbeatWithContext(r: Raft, context: Uint8Array | null): void {
  r.trk.visit((id) => {
    if (id !== r.id) sendHeartbeat(r, id, context);
  });
}
