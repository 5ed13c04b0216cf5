// Candidates and pre-candidates (etcd's stepCandidate): count votes, and yield to a leader of
// the same term.
import { errProposalDropped } from './errors';
import { MessageType, NONE, type Message } from './types';
import { StateType } from './ready';
import { VoteResult } from './quorum/quorum';
import type { Raft } from './raft';
import { hex } from './raft';
import { campaign, campaignElection, poll } from './election';
import { bcastAppend } from './replication';
import { handleAppendEntries, handleHeartbeat, handleSnapshot } from './follower-handlers';
import { messageTypeString } from './describe';

export function stepCandidate(r: Raft, m: Message): void {
  // Only responses to this candidacy count: a candidate may still get stale pre-vote responses.
  const myVoteRespType =
    r.state === StateType.StatePreCandidate ? MessageType.MsgPreVoteResp : MessageType.MsgVoteResp;
  switch (m.type) {
    case MessageType.MsgProp:
      r.logger.info(`${hex(r.id)} no leader at term ${r.term}; dropping proposal`);
      throw errProposalDropped;
    case MessageType.MsgApp:
      r.becomeFollower(m.term, m.from); // m.term === r.term here
      handleAppendEntries(r, m);
      return;
    case MessageType.MsgHeartbeat:
      r.becomeFollower(m.term, m.from);
      handleHeartbeat(r, m);
      return;
    case MessageType.MsgSnap:
      r.becomeFollower(m.term, m.from);
      handleSnapshot(r, m);
      return;
    case myVoteRespType: {
      const { granted, rejected, result } = poll(r, m.from, m.type, !m.reject);
      r.logger.info(
        `${hex(r.id)} has received ${granted} ${messageTypeString(m.type)} votes and ${rejected} vote rejections`,
      );
      if (result === VoteResult.VoteWon) {
        if (r.state === StateType.StatePreCandidate) {
          campaign(r, campaignElection);
        } else {
          r.becomeLeader();
          bcastAppend(r);
        }
      } else if (result === VoteResult.VoteLost) {
        // A pre-vote response carries the future term; stay at ours.
        r.becomeFollower(r.term, NONE);
      }
      return;
    }
    case MessageType.MsgTimeoutNow:
      r.logger.debug(
        `${hex(r.id)} [term ${r.term} state ${stateName(r.state)}] ignored MsgTimeoutNow from ${hex(m.from)}`,
      );
      return;
  }
}

function stateName(state: StateType): string {
  return StateType[state];
}
