// etcd's raft.Step: the rules every role shares — what a message's term does to this node, and
// the messages handled the same way in every role (MsgHup, votes, local storage responses).
// Then the role's own step function takes over.
import { StateType } from './ready';
import { MessageType, NONE, makeMessage, type Message } from './types';
import type { Raft } from './raft';
import { hex } from './raft';
import { hup, campaignTransferBytes, campaignPreElection, campaignElection } from './election';
import { entsSize, payloadsSize } from './encoding/sizes';
import { messageTypeString } from './describe';
import { voteRespMsgType } from './util';


export function stepByState(r: Raft, m: Message): void {
  if (m.term !== 0 && m.term > r.term) {
    if (!stepHigherTerm(r, m)) return;
  } else if (m.term !== 0 && m.term < r.term) {
    stepLowerTerm(r, m);
    return;
  }

  switch (m.type) {
    case MessageType.MsgHup:
      hup(r, r.preVote ? campaignPreElection : campaignElection);
      return;
    case MessageType.MsgStorageAppendResp:
      if (m.index !== 0) r.raftLog.stableTo({ term: m.logTerm, index: m.index });
      if (m.snapshot !== null) r.appliedSnapshot(m.snapshot.metadata.index);
      return;
    case MessageType.MsgStorageApplyResp:
      if (m.entries.length > 0) {
        const index = m.entries[m.entries.length - 1].index;
        r.appliedTo(index, entsSize(m.entries));
        r.reduceUncommittedSize(payloadsSize(m.entries));
      }
      return;
    case MessageType.MsgVote:
    case MessageType.MsgPreVote:
      stepVoteRequest(r, m);
      return;
    default:
      r.stepFunction(r, m);
  }
}

function isTransferCampaign(context: Uint8Array | null): boolean {
  if (context === null || context.length !== campaignTransferBytes.length) return false;
  for (let i = 0; i < context.length; i++) {
    if (context[i] !== campaignTransferBytes[i]) return false;
  }
  return true;
}

/** A message from a later term. Returns false when the message is to be ignored. */
function stepHigherTerm(r: Raft, m: Message): boolean {
  if (m.type === MessageType.MsgVote || m.type === MessageType.MsgPreVote) {
    const force = isTransferCampaign(m.context);
    const inLease = r.checkQuorum && r.lead !== NONE && r.electionElapsed < r.electionTimeout;
    if (!force && inLease) {
      // Within the minimum election timeout of hearing from a leader, a node neither updates its
      // term nor grants a vote (thesis 4.2.3).
      const last = r.raftLog.lastEntryID();
      r.logger.info(
        `${hex(r.id)} [logterm: ${last.term}, index: ${last.index}, vote: ${hex(r.vote)}] ignored ${messageTypeString(m.type)} from ${hex(m.from)} [logterm: ${m.logTerm}, index: ${m.index}] at term ${r.term}: lease is not expired (remaining ticks: ${r.electionTimeout - r.electionElapsed})`,
      );
      return false;
    }
  }
  if (m.type === MessageType.MsgPreVote) {
    // A pre-vote never changes our term.
  } else if (m.type === MessageType.MsgPreVoteResp && !m.reject) {
    // A granted pre-vote carries the term we will campaign for; the term moves on winning.
  } else if (r.bugNoStepDownHigherTerm && r.state === StateType.StateLeader) {
    // The no-stepdown-higher-term bug: the leader takes the new term and keeps leading in it.
    r.term = m.term;
    r.vote = NONE;
  } else {
    r.logger.info(
      `${hex(r.id)} [term: ${r.term}] received a ${messageTypeString(m.type)} message with higher term from ${hex(m.from)} [term: ${m.term}]`,
    );
    const fromLeader =
      m.type === MessageType.MsgApp ||
      m.type === MessageType.MsgHeartbeat ||
      m.type === MessageType.MsgSnap;
    r.becomeFollower(m.term, fromLeader ? m.from : NONE);
  }
  return true;
}

/** A message from an earlier term: answered only where that unsticks someone, else ignored. */
function stepLowerTerm(r: Raft, m: Message): void {
  if ((r.checkQuorum || r.preVote) && (m.type === MessageType.MsgHeartbeat || m.type === MessageType.MsgApp)) {
    // A stale leader, or this node ran ahead in term during a partition. With CheckQuorum or
    // PreVote, votes no longer raise terms, so answer with our term to let the sender catch up.
    r.send(makeMessage({ type: MessageType.MsgAppResp, to: m.from }));
  } else if (m.type === MessageType.MsgPreVote) {
    // Rejecting (rather than dropping) lets a pre-candidate with a higher term but a shorter log
    // learn of our term; otherwise a cluster moving to PreVote could deadlock.
    const last = r.raftLog.lastEntryID();
    r.logger.info(
      `${hex(r.id)} [logterm: ${last.term}, index: ${last.index}, vote: ${hex(r.vote)}] rejected ${messageTypeString(m.type)} from ${hex(m.from)} [logterm: ${m.logTerm}, index: ${m.index}] at term ${r.term}`,
    );
    r.send(makeMessage({ type: MessageType.MsgPreVoteResp, to: m.from, term: r.term, reject: true }));
  } else if (m.type === MessageType.MsgStorageAppendResp) {
    if (m.index !== 0) {
      // Entries written under an earlier term may have been overwritten in the unstable log since;
      // they are not marked stable.
      r.logger.info(
        `${hex(r.id)} [term: ${r.term}] ignored entry appends from a ${messageTypeString(m.type)} message with lower term [term: ${m.term}]`,
      );
    }
    // A snapshot holds committed state, whatever term it was applied under.
    if (m.snapshot !== null) r.appliedSnapshot(m.snapshot.metadata.index);
  } else {
    r.logger.info(
      `${hex(r.id)} [term: ${r.term}] ignored a ${messageTypeString(m.type)} message with lower term from ${hex(m.from)} [term: ${m.term}]`,
    );
  }
}

/** MsgVote and MsgPreVote, in any role (Raft paper 5.2 and 5.4.1). */
function stepVoteRequest(r: Raft, m: Message): void {
  // With the vote-before-persist bug, a vote answered but not yet persisted still binds.
  const vote = r.unpersistedVote === NONE ? r.vote : r.unpersistedVote;
  const canVote =
    // a repeat of the vote already cast, ...
    vote === m.from ||
    // ... or no vote yet and no known leader in this term, ...
    (vote === NONE && r.lead === NONE) ||
    // ... or a pre-vote for a future term.
    (m.type === MessageType.MsgPreVote && m.term > r.term);
  const last = r.raftLog.lastEntryID();
  const candidateLast = { term: m.logTerm, index: m.index };
  const typeName = messageTypeString(m.type);
  // The vote-no-uptodate-check bug skips the up-to-date check (Raft paper 5.4.1).
  if (canVote && (r.bugVoteNoUpToDateCheck || r.raftLog.isUpToDate(candidateLast))) {
    // Learners vote too: a learner may have been promoted without knowing it yet.
    r.logger.info(
      `${hex(r.id)} [logterm: ${last.term}, index: ${last.index}, vote: ${hex(r.vote)}] cast ${typeName} for ${hex(m.from)} [logterm: ${candidateLast.term}, index: ${candidateLast.index}] at term ${r.term}`,
    );
    // The response carries the request's term: for pre-votes it is ahead of ours, and the
    // pre-candidate ignores responses from terms other than the one it asked for.
    r.send(makeMessage({ type: voteRespMsgType(m.type), to: m.from, term: m.term }));
    if (m.type === MessageType.MsgVote) {
      r.electionElapsed = 0;
      // The vote-before-persist bug: the answer above leaves with this Ready, the vote does not.
      if (r.bugVoteBeforePersist) r.unpersistedVote = m.from;
      else r.vote = m.from;
    }
  } else {
    r.logger.info(
      `${hex(r.id)} [logterm: ${last.term}, index: ${last.index}, vote: ${hex(r.vote)}] rejected ${typeName} from ${hex(m.from)} [logterm: ${candidateLast.term}, index: ${candidateLast.index}] at term ${r.term}`,
    );
    r.send(
      makeMessage({ type: voteRespMsgType(m.type), to: m.from, term: r.term, reject: true }),
    );
  }
}

