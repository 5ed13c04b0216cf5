// The leader's message handling (etcd's stepLeader), split into the messages that need no
// progress for the sender and those that do.
import { errProposalDropped } from './errors';
import { MessageType, NONE, EntryType, type Message } from './types';
import { ProgressState } from './tracker/state';
import type { Progress } from './tracker/progress';
import type { Raft } from './raft';
import { hex } from './raft';
import { bcastAppend, bcastHeartbeat, maybeSendAppend, sendAppend } from './replication';
import { unmarshalConfChange, unmarshalConfChangeV2, asV2, type ConfChangeI } from './encoding/conf-change';
import { describeConfChangeI } from './raft-conf-change';
import { releasePendingReadIndexMessages, stepLeaderHeartbeatReadAck, stepLeaderReadIndex } from './read-index';
import { stepLeaderTransfer } from './leader-transfer';

export function stepLeader(r: Raft, m: Message): void {
  switch (m.type) {
    case MessageType.MsgBeat:
      bcastHeartbeat(r);
      return;
    case MessageType.MsgCheckQuorum:
      stepCheckQuorum(r);
      return;
    case MessageType.MsgProp:
      stepPropose(r, m);
      return;
    case MessageType.MsgReadIndex:
      stepLeaderReadIndex(r, m);
      return;
    case MessageType.MsgForgetLeader:
      return; // A leader has no leader to forget.
  }

  const pr = r.trk.progress.get(m.from);
  if (pr === undefined) {
    r.logger.debug(`${hex(r.id)} no progress available for ${hex(m.from)}`);
    return;
  }
  switch (m.type) {
    case MessageType.MsgAppResp:
      // Also reached from advance(), where the leader acknowledges its own durable entries.
      pr.recentActive = true;
      if (m.reject) stepAppendRejected(r, m, pr);
      else stepAppendAccepted(r, m, pr);
      return;
    case MessageType.MsgHeartbeatResp:
      stepHeartbeatResponse(r, m, pr);
      return;
    case MessageType.MsgSnapStatus:
      stepSnapshotStatus(r, m, pr);
      return;
    case MessageType.MsgUnreachable:
      // An unreachable peer in optimistic replication has most likely lost an append.
      if (pr.state === ProgressState.StateReplicate) pr.becomeProbe();
      r.logger.debug(
        `${hex(r.id)} failed to send message to ${hex(m.from)} because it is unreachable [${pr.string()}]`,
      );
      return;
    case MessageType.MsgTransferLeader:
      stepLeaderTransfer(r, m, pr);
      return;
  }
}

function stepCheckQuorum(r: Raft): void {
  if (!r.trk.quorumActive()) {
    r.logger.warning(`${hex(r.id)} stepped down to follower since quorum is not active`);
    r.becomeFollower(r.term, NONE);
  }
  // Everyone but this node must prove itself active again before the next check.
  r.trk.visit((id, pr) => {
    if (id !== r.id) pr.recentActive = false;
  });
}

function stepPropose(r: Raft, m: Message): void {
  if (m.entries.length === 0) r.logger.panic(`${hex(r.id)} stepped empty MsgProp`);
  // A leader removed from the configuration accepts no new proposals.
  if (!r.trk.progress.has(r.id)) throw errProposalDropped;
  if (r.leadTransferee !== NONE) {
    r.logger.debug(
      `${hex(r.id)} [term ${r.term}] transfer leadership to ${hex(r.leadTransferee)} is in progress; dropping proposal`,
    );
    throw errProposalDropped;
  }
  for (let i = 0; i < m.entries.length; i++) {
    const entry = m.entries[i];
    let cc: ConfChangeI | null = null;
    if (entry.type === EntryType.EntryConfChange) cc = unmarshalConfChange(entry.data ?? new Uint8Array());
    else if (entry.type === EntryType.EntryConfChangeV2) {
      cc = unmarshalConfChangeV2(entry.data ?? new Uint8Array());
    }
    if (cc === null) continue;
    const failedCheck = confChangeRefusal(r, cc);
    if (failedCheck !== '' && !r.disableConfChangeValidation) {
      r.logger.info(
        `${hex(r.id)} ignoring conf change ${describeConfChangeI(cc)} at config ${r.trk.config.string()}: ${failedCheck}`,
      );
      m.entries[i] = { term: 0, index: 0, type: EntryType.EntryNormal, data: null };
    } else {
      r.pendingConfIndex = r.raftLog.lastIndex() + i + 1;
    }
  }
  if (!r.appendEntry(m.entries)) throw errProposalDropped;
  bcastAppend(r);
}

/** Why a proposed conf change must be refused, or '' (etcd's propose-time validation). */
function confChangeRefusal(r: Raft, cc: ConfChangeI): string {
  const alreadyPending = r.pendingConfIndex > r.raftLog.applied;
  const alreadyJoint = r.trk.config.voters.outgoing.size > 0;
  const wantsLeaveJoint = asV2(cc).changes.length === 0;
  if (alreadyPending) {
    return `possible unapplied conf change at index ${r.pendingConfIndex} (applied to ${r.raftLog.applied})`;
  }
  if (alreadyJoint && !wantsLeaveJoint) return 'must transition out of joint config first';
  if (!alreadyJoint && wantsLeaveJoint) return 'not in joint state; refusing empty conf change';
  return '';
}

function stepAppendRejected(r: Raft, m: Message, pr: Progress): void {
  // RejectHint is where the follower suggests appending next, LogTerm its term there.
  r.logger.debug(
    `${hex(r.id)} received MsgAppResp(rejected, hint: (index ${m.rejectHint}, term ${m.logTerm})) from ${hex(m.from)} for index ${m.index}`,
  );
  let nextProbeIndex = m.rejectHint;
  if (m.logTerm > 0) {
    // Skip every index where the leader's term exceeds the follower's term at the hint: a probe
    // there must fail too, since terms never decrease along a log. This probes at most once per
    // term in the leader's log.
    nextProbeIndex = r.raftLog.findConflictByTerm(m.rejectHint, m.logTerm).index;
  }
  if (pr.maybeDecrTo(m.index, nextProbeIndex)) {
    r.logger.debug(`${hex(r.id)} decreased progress of ${hex(m.from)} to [${pr.string()}]`);
    if (pr.state === ProgressState.StateReplicate) pr.becomeProbe();
    sendAppend(r, m.from);
  }
}

function stepAppendAccepted(r: Raft, m: Message, pr: Progress): void {
  // A probing follower that is fully caught up moves back to StateReplicate as well.
  if (!(pr.maybeUpdate(m.index) || (pr.match === m.index && pr.state === ProgressState.StateProbe))) {
    return;
  }
  if (pr.state === ProgressState.StateProbe) {
    pr.becomeReplicate();
  } else if (pr.state === ProgressState.StateSnapshot && pr.match + 1 >= r.raftLog.firstIndex()) {
    // Whatever snapshot the follower applied, it can now be caught up from the log.
    r.logger.debug(
      `${hex(r.id)} recovered from needing snapshot, resumed sending replication messages to ${hex(m.from)} [${pr.string()}]`,
    );
    pr.becomeProbe();
    pr.becomeReplicate();
  } else if (pr.state === ProgressState.StateReplicate) {
    pr.inflights.freeLE(m.index);
  }

  if (r.maybeCommit()) {
    // A commit in this term releases reads that waited for it.
    releasePendingReadIndexMessages(r);
    bcastAppend(r);
  } else if (r.id !== m.from && pr.canBumpCommit(r.raftLog.committed)) {
    // This follower may be missing the latest commit index; don't make it wait for a heartbeat.
    sendAppend(r, m.from);
  }
  // Flow control may now allow several appends at once; send all of them (but no empty ones).
  if (r.id !== m.from) {
    while (maybeSendAppend(r, m.from, false)) {
      // keep sending
    }
  }
  if (m.from === r.leadTransferee && pr.match === r.raftLog.lastIndex()) {
    r.logger.info(`${hex(r.id)} sent MsgTimeoutNow to ${hex(m.from)} after received MsgAppResp`);
    r.sendTimeoutNow(m.from);
  }
}

function stepHeartbeatResponse(r: Raft, m: Message, pr: Progress): void {
  pr.recentActive = true;
  pr.msgAppFlowPaused = false;
  // A paused follower still gets an (empty) append here, so that lost appends cannot stall it;
  // a caught-up follower in StateProbe gets one so it can return to StateReplicate.
  if (pr.match < r.raftLog.lastIndex() || pr.state === ProgressState.StateProbe) {
    sendAppend(r, m.from);
  }
  stepLeaderHeartbeatReadAck(r, m);
}

function stepSnapshotStatus(r: Raft, m: Message, pr: Progress): void {
  if (pr.state !== ProgressState.StateSnapshot) return;
  if (!m.reject) {
    pr.becomeProbe();
    r.logger.debug(
      `${hex(r.id)} snapshot succeeded, resumed sending replication messages to ${hex(m.from)} [${pr.string()}]`,
    );
  } else {
    // Clear the pending snapshot first, or probing would start from a snapshot never applied.
    pr.pendingSnapshot = 0;
    pr.becomeProbe();
    r.logger.debug(
      `${hex(r.id)} snapshot failed, resumed sending replication messages to ${hex(m.from)} [${pr.string()}]`,
    );
  }
  // After success wait for the follower's MsgAppResp; after failure wait for a heartbeat.
  pr.msgAppFlowPaused = true;
}
