// What a follower does with the leader's appends, heartbeats and snapshots (Raft paper 5.3, 7).
import { MessageType, makeMessage, emptySnapshot, type Message } from './types';
import type { Raft } from './raft';
import { hex } from './raft';
import { restoreSnapshot } from './raft-conf-change';

export function handleAppendEntries(r: Raft, m: Message): void {
  const slice = { term: m.term, prev: { term: m.logTerm, index: m.index }, entries: m.entries };
  if (slice.prev.index < r.raftLog.committed) {
    r.send(makeMessage({ type: MessageType.MsgAppResp, to: m.from, index: r.raftLog.committed }));
    return;
  }
  const appended = r.raftLog.maybeAppend(slice, m.commit);
  if (appended.ok) {
    r.send(makeMessage({ type: MessageType.MsgAppResp, to: m.from, index: appended.lastIndex }));
    return;
  }
  r.logger.debug(
    `${hex(r.id)} [logterm: ${r.raftLog.zeroTermOnOutOfBounds(m.index)}, index: ${m.index}] rejected MsgApp [logterm: ${m.logTerm}, index: ${m.index}] from ${hex(m.from)}`,
  );
  // Hint the leader at the largest (index, term) that may match: the last entry at or below
  // m.index whose term is <= m.logTerm. It skips a divergent tail of higher terms at once.
  const hintIndex = Math.min(m.index, r.raftLog.lastIndex());
  const hint = r.raftLog.findConflictByTerm(hintIndex, m.logTerm);
  r.send(
    makeMessage({
      type: MessageType.MsgAppResp,
      to: m.from,
      index: m.index,
      reject: true,
      rejectHint: hint.index,
      logTerm: hint.term,
    }),
  );
}

export function handleHeartbeat(r: Raft, m: Message): void {
  r.raftLog.commitTo(m.commit);
  r.send(makeMessage({ type: MessageType.MsgHeartbeatResp, to: m.from, context: m.context }));
}

export function handleSnapshot(r: Raft, m: Message): void {
  // A MsgSnap always carries a snapshot; a missing one is treated as empty.
  const snapshot = m.snapshot ?? emptySnapshot();
  const { index, term } = snapshot.metadata;
  if (restoreSnapshot(r, snapshot)) {
    r.logger.info(
      `${hex(r.id)} [commit: ${r.raftLog.committed}] restored snapshot [index: ${index}, term: ${term}]`,
    );
    r.send(makeMessage({ type: MessageType.MsgAppResp, to: m.from, index: r.raftLog.lastIndex() }));
  } else {
    r.logger.info(
      `${hex(r.id)} [commit: ${r.raftLog.committed}] ignored snapshot [index: ${index}, term: ${term}]`,
    );
    r.send(makeMessage({ type: MessageType.MsgAppResp, to: m.from, index: r.raftLog.committed }));
  }
}
