// Leadership transfer (thesis 3.10): the leader catches the transferee up, then tells it to
// campaign at once with MsgTimeoutNow. A transfer not done within an election timeout is aborted
// (see tickHeartbeat).
import type { Message } from './types';
import { NONE } from './types';
import type { Progress } from './tracker/progress';
import type { Raft } from './raft';
import { hex } from './raft';
import { sendAppend } from './replication';

export function stepLeaderTransfer(r: Raft, m: Message, pr: Progress): void {
  if (pr.isLearner) {
    r.logger.debug(`${hex(r.id)} is learner. Ignored transferring leadership`);
    return;
  }
  const transferee = m.from;
  const previous = r.leadTransferee;
  if (previous !== NONE) {
    if (previous === transferee) {
      r.logger.info(
        `${hex(r.id)} [term ${r.term}] transfer leadership to ${hex(transferee)} is in progress, ignores request to same node ${hex(transferee)}`,
      );
      return;
    }
    r.abortLeaderTransfer();
    r.logger.info(`${hex(r.id)} [term ${r.term}] abort previous transferring leadership to ${hex(previous)}`);
  }
  if (transferee === r.id) {
    r.logger.debug(`${hex(r.id)} is already leader. Ignored transferring leadership to self`);
    return;
  }
  r.logger.info(`${hex(r.id)} [term ${r.term}] starts to transfer leadership to ${hex(transferee)}`);
  // The transfer must finish within one election timeout.
  r.electionElapsed = 0;
  r.leadTransferee = transferee;
  if (pr.match === r.raftLog.lastIndex()) {
    r.sendTimeoutNow(transferee);
    r.logger.info(
      `${hex(r.id)} sends MsgTimeoutNow to ${hex(transferee)} immediately as ${hex(transferee)} already has up-to-date log`,
    );
  } else {
    sendAppend(r, transferee);
  }
}
