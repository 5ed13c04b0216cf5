// Followers (etcd's stepFollower): forward what only the leader can do, and take the leader's
// appends, heartbeats and snapshots.
import { errProposalDropped } from './errors';
import { ReadOnlyOption } from './config';
import { MessageType, NONE, type Message } from './types';
import type { Raft } from './raft';
import { hex } from './raft';
import { campaignTransfer } from './election';
import { handleAppendEntries, handleHeartbeat, handleSnapshot } from './follower-handlers';

export function stepFollower(r: Raft, m: Message): void {
  switch (m.type) {
    case MessageType.MsgProp:
      if (r.lead === NONE) {
        r.logger.info(`${hex(r.id)} no leader at term ${r.term}; dropping proposal`);
        throw errProposalDropped;
      }
      if (r.disableProposalForwarding) {
        r.logger.info(
          `${hex(r.id)} not forwarding to leader ${hex(r.lead)} at term ${r.term}; dropping proposal`,
        );
        throw errProposalDropped;
      }
      m.to = r.lead;
      r.send(m);
      return;
    case MessageType.MsgApp:
      r.electionElapsed = 0;
      r.lead = m.from;
      handleAppendEntries(r, m);
      return;
    case MessageType.MsgHeartbeat:
      r.electionElapsed = 0;
      r.lead = m.from;
      handleHeartbeat(r, m);
      return;
    case MessageType.MsgSnap:
      r.electionElapsed = 0;
      r.lead = m.from;
      handleSnapshot(r, m);
      return;
    case MessageType.MsgTransferLeader:
      if (r.lead === NONE) {
        r.logger.info(`${hex(r.id)} no leader at term ${r.term}; dropping leader transfer msg`);
        return;
      }
      m.to = r.lead;
      r.send(m);
      return;
    case MessageType.MsgForgetLeader:
      // Forgetting the leader would break the lease that lease-based reads rely on.
      if (r.readOnly.option === ReadOnlyOption.ReadOnlyLeaseBased) {
        r.logger.error('ignoring MsgForgetLeader due to ReadOnlyLeaseBased');
        return;
      }
      if (r.lead !== NONE) {
        r.logger.info(`${hex(r.id)} forgetting leader ${hex(r.lead)} at term ${r.term}`);
        r.lead = NONE;
      }
      return;
    case MessageType.MsgTimeoutNow:
      r.logger.info(
        `${hex(r.id)} [term ${r.term}] received MsgTimeoutNow from ${hex(m.from)} and starts an election to get leadership.`,
      );
      // A transfer never needs the pre-vote round: no partition is being recovered from.
      r.hup(campaignTransfer);
      return;
    case MessageType.MsgReadIndex:
      if (r.lead === NONE) {
        r.logger.info(`${hex(r.id)} no leader at term ${r.term}; dropping index reading msg`);
        return;
      }
      m.to = r.lead;
      r.send(m);
      return;
    case MessageType.MsgReadIndexResp:
      if (m.entries.length !== 1) {
        r.logger.error(
          `${hex(r.id)} invalid format of MsgReadIndexResp from ${hex(m.from)}, entries count: ${m.entries.length}`,
        );
        return;
      }
      r.readStates.push({ index: m.index, requestCtx: m.entries[0].data ?? new Uint8Array() });
      return;
  }
}
