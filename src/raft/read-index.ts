// The leader's side of ReadIndex (thesis 6.4): answer at once when alone, wait for the first
// commit of the term, then confirm leadership with a heartbeat round (ReadOnlySafe) or trust the
// lease (ReadOnlyLeaseBased).
import { ReadOnlyOption } from './config';
import { MessageType, NONE, makeMessage, type LogIndex, type Message } from './types';
import { VoteResult } from './quorum/quorum';
import type { Raft } from './raft';
import { bcastHeartbeatWithContext } from './replication';

export function stepLeaderReadIndex(r: Raft, m: Message): void {
  // Only one voter (this leader): the commit index is already safe to read at.
  if (r.trk.isSingleton()) {
    const response = responseToReadIndexReq(r, m, r.raftLog.committed);
    if (response !== null) r.send(response);
    return;
  }
  // Until it commits an entry of its own term, a new leader does not know the commit index.
  if (!r.committedEntryInCurrentTerm()) {
    r.pendingReadIndexMessages.push(m);
    return;
  }
  sendReadIndexResponse(r, m);
}

/** Counts a heartbeat response toward the pending safe reads; answers those now confirmed. */
export function stepLeaderHeartbeatReadAck(r: Raft, m: Message): void {
  if (r.readOnly.option !== ReadOnlyOption.ReadOnlySafe || m.context === null || m.context.length === 0) {
    return;
  }
  const acks = r.readOnly.recvAck(m.from, m.context);
  if (acks === null || r.trk.config.voters.voteResult(acks) !== VoteResult.VoteWon) return;
  for (const status of r.readOnly.advance(m)) {
    const response = responseToReadIndexReq(r, status.req, status.index);
    if (response !== null) r.send(response);
  }
}

export function releasePendingReadIndexMessages(r: Raft): void {
  if (r.pendingReadIndexMessages.length === 0) return;
  if (!r.committedEntryInCurrentTerm()) {
    r.logger.error('pending MsgReadIndex should be released only after first commit in current term');
    return;
  }
  const pending = r.pendingReadIndexMessages;
  r.pendingReadIndexMessages = [];
  for (const m of pending) sendReadIndexResponse(r, m);
}

function sendReadIndexResponse(r: Raft, m: Message): void {
  if (r.readOnly.option === ReadOnlyOption.ReadOnlySafe) {
    r.readOnly.addRequest(r.raftLog.committed, m);
    // The leader acknowledges its own request.
    r.readOnly.recvAck(r.id, m.entries[0].data);
    bcastHeartbeatWithContext(r, m.entries[0].data);
  } else {
    const response = responseToReadIndexReq(r, m, r.raftLog.committed);
    if (response !== null) r.send(response);
  }
}

/** A local request becomes a ReadState (and returns null); a forwarded one gets a response. */
export function responseToReadIndexReq(r: Raft, req: Message, readIndex: LogIndex): Message | null {
  if (req.from === NONE || req.from === r.id) {
    r.readStates.push({ index: readIndex, requestCtx: req.entries[0].data ?? new Uint8Array() });
    return null;
  }
  return makeMessage({
    type: MessageType.MsgReadIndexResp,
    to: req.from,
    index: readIndex,
    entries: req.entries,
  });
}
