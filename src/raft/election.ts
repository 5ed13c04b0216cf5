// Elections (Raft paper 5.2, thesis 9.6 for PreVote, 3.10 for leadership transfer): starting a
// campaign, asking for votes, and counting them.
import { MessageType, makeMessage, EntryType, type NodeId } from './types';
import { StateType } from './ready';
import type { Raft } from './raft';
import { hex } from './raft';
import { messageTypeString } from './describe';
import { voteRespMsgType } from './util';
import type { VoteResult } from './quorum/quorum';

export type CampaignType = 'CampaignPreElection' | 'CampaignElection' | 'CampaignTransfer';
export const campaignPreElection: CampaignType = 'CampaignPreElection';
export const campaignElection: CampaignType = 'CampaignElection';
export const campaignTransfer: CampaignType = 'CampaignTransfer';

/** The context of a transfer campaign's vote requests: the campaign type's ASCII bytes. */
export const campaignTransferBytes = Uint8Array.from(campaignTransfer, (c) => c.charCodeAt(0));
/** Thrown to stop a scan early (etcd's errBreak). */
const scanBreak = new Error('break');

export function hup(r: Raft, campaignType: CampaignType): void {
  if (r.state === StateType.StateLeader) {
    r.logger.debug(`${hex(r.id)} ignoring MsgHup because already leader`);
    return;
  }
  if (!r.promotable()) {
    r.logger.warning(`${hex(r.id)} is unpromotable and can not campaign`);
    return;
  }
  if (hasUnappliedConfChanges(r)) {
    r.logger.warning(
      `${hex(r.id)} cannot campaign at term ${r.term} since there are still pending configuration changes to apply`,
    );
    return;
  }
  r.logger.info(`${hex(r.id)} is starting a new election at term ${r.term}`);
  campaign(r, campaignType);
}

/** A committed but unapplied conf change blocks campaigning: the config may be about to change. */
function hasUnappliedConfChanges(r: Raft): boolean {
  const log = r.raftLog;
  if (log.applied >= log.committed) return false;
  let found = false;
  // Page through the unapplied committed entries, bounded like the apply path.
  try {
    log.scan(log.applied + 1, log.committed + 1, log.maxApplyingEntsSize, (entries) => {
      for (const entry of entries) {
        if (entry.type === EntryType.EntryConfChange || entry.type === EntryType.EntryConfChangeV2) {
          found = true;
          throw scanBreak;
        }
      }
    });
  } catch (error) {
    if (error !== scanBreak) {
      const text = error instanceof Error ? error.message : String(error);
      r.logger.panic(`error scanning unapplied entries [${log.applied + 1}, ${log.committed + 1}): ${text}`);
    }
  }
  return found;
}

/** Becomes (pre-)candidate and asks every voter, in id order, for its vote. */
export function campaign(r: Raft, campaignType: CampaignType): void {
  if (!r.promotable()) {
    r.logger.warning(`${hex(r.id)} is unpromotable; campaign() should have been called`);
  }
  let term: number;
  let voteMsg: MessageType;
  if (campaignType === campaignPreElection) {
    r.becomePreCandidate();
    voteMsg = MessageType.MsgPreVote;
    // Pre-votes ask for the next term before this node moves to it.
    term = r.term + 1;
  } else {
    r.becomeCandidate();
    voteMsg = MessageType.MsgVote;
    term = r.term;
  }
  const ids = [...r.trk.config.voters.ids()].sort((a, b) => a - b);
  for (const id of ids) {
    if (id === r.id) {
      // The self-vote counts once it is durable, through the same path as a peer's response.
      r.send(makeMessage({ type: voteRespMsgType(voteMsg), to: id, term }));
      continue;
    }
    const last = r.raftLog.lastEntryID();
    r.logger.info(
      `${hex(r.id)} [logterm: ${last.term}, index: ${last.index}] sent ${messageTypeString(voteMsg)} request to ${hex(id)} at term ${r.term}`,
    );
    const context = campaignType === campaignTransfer ? campaignTransferBytes : null;
    r.send(
      makeMessage({
        type: voteMsg,
        to: id,
        term,
        index: last.index,
        logTerm: last.term,
        context,
      }),
    );
  }
}

export function poll(
  r: Raft,
  id: NodeId,
  type: MessageType,
  granted: boolean,
): { granted: number; rejected: number; result: VoteResult } {
  if (granted) {
    r.logger.info(`${hex(r.id)} received ${messageTypeString(type)} from ${hex(id)} at term ${r.term}`);
  } else {
    r.logger.info(
      `${hex(r.id)} received ${messageTypeString(type)} rejection from ${hex(id)} at term ${r.term}`,
    );
  }
  r.trk.recordVote(id, granted);
  return r.trk.tallyVotes();
}

