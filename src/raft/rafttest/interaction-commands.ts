// The interaction harness's commands, by name (etcd's handleSingle switch), and a constructor for
// an environment that knows all of them.
import { handleAddNodes } from './handle-add-nodes';
import { handleDeliverMsgs } from './handle-deliver-msgs';
import {
  handleCompact,
  handleLogLevel,
  handleRaftLog,
  handleRaftState,
  handleSendSnapshot,
  handleStatus,
} from './handle-inspect';
import {
  handleCampaign,
  handleForgetLeader,
  handlePropose,
  handleReportUnreachable,
  handleSetRandomizedElectionTimeout,
  handleTickElection,
  handleTickHeartbeat,
  handleTransferLeadership,
} from './handle-node-commands';
import { handleProcessAppendThread } from './handle-process-append-thread';
import { handleProcessApplyThread } from './handle-process-apply-thread';
import { handleProcessReady } from './handle-process-ready';
import { handleProposeConfChange } from './handle-propose-conf-change';
import { handleReadIndex } from './handle-read-index';
import { handleStabilize } from './handle-stabilize';
import { InteractionEnv, type CommandHandler, type InteractionOptions } from './interaction-env';

export const interactionCommands: ReadonlyMap<string, CommandHandler> = new Map<
  string,
  CommandHandler
>([
  // A place to set a debugger breakpoint in a long file; does nothing.
  ['_breakpoint', () => {}],
  ['add-nodes', handleAddNodes],
  ['campaign', handleCampaign],
  ['compact', handleCompact],
  ['deliver-msgs', handleDeliverMsgs],
  ['process-ready', handleProcessReady],
  ['process-append-thread', handleProcessAppendThread],
  ['process-apply-thread', handleProcessApplyThread],
  ['log-level', handleLogLevel],
  ['raft-log', handleRaftLog],
  ['raft-state', (env) => handleRaftState(env)],
  ['set-randomized-election-timeout', handleSetRandomizedElectionTimeout],
  ['stabilize', handleStabilize],
  ['status', handleStatus],
  ['tick-election', handleTickElection],
  ['tick-heartbeat', handleTickHeartbeat],
  ['transfer-leadership', handleTransferLeadership],
  ['forget-leader', handleForgetLeader],
  ['send-snapshot', handleSendSnapshot],
  ['propose', handlePropose],
  ['propose-conf-change', handleProposeConfChange],
  ['report-unreachable', handleReportUnreachable],
  ['read-index', handleReadIndex],
]);

/** A fresh environment with every interaction command (etcd's NewInteractionEnv). */
export function newInteractionEnv(options: InteractionOptions = {}): InteractionEnv {
  return new InteractionEnv(interactionCommands, options);
}
