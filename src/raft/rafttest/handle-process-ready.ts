// process-ready: handle one Ready on each given node (etcd's handleProcessReady). Without async
// storage writes the harness persists, applies and advances itself; with them, the storage work
// arrives as MsgStorageAppend/MsgStorageApply messages queued for the node's append and apply
// threads.
import { describeReady, messageTypeString } from '../describe';
import { RaftPanic } from '../logger';
import { MessageType } from '../types';
import { nodeIdxs, type CommandArg } from './command-args';
import { defaultEntryFormatter } from './entry-formatter';
import type { InteractionEnv } from './interaction-env';
import { processAppend } from './handle-process-append-thread';
import { processApply } from './handle-process-apply-thread';
import { isLocalMsgTarget } from '../util';

export function handleProcessReady(env: InteractionEnv, args: CommandArg[]): void {
  const idxs = nodeIdxs(args);
  for (const idx of idxs) {
    if (idxs.length > 1) {
      env.output.write(`> ${idx + 1} handling Ready\n`);
      env.withIndent(() => processReady(env, idx));
    } else {
      processReady(env, idx);
    }
  }
}

/** Handles one Ready on the node at index idx. */
export function processReady(env: InteractionEnv, idx: number): void {
  const node = env.node(idx);
  const rd = node.rawNode.ready();
  env.output.write(describeReady(rd, defaultEntryFormatter));

  const asyncStorageWrites = node.config.asyncStorageWrites === true;
  if (!asyncStorageWrites) {
    processAppend(node, { hardState: rd.hardState, entries: rd.entries, snapshot: rd.snapshot });
    processApply(node, rd.committedEntries);
  }

  for (const m of rd.messages) {
    if (!isLocalMsgTarget(m.to)) {
      env.messages.push(m);
      continue;
    }
    if (!asyncStorageWrites) throw new RaftPanic('unexpected local msg target');
    if (m.type === MessageType.MsgStorageAppend) node.appendWork.push(m);
    else if (m.type === MessageType.MsgStorageApply) node.applyWork.push(m);
    else throw new RaftPanic(`unexpected message type ${messageTypeString(m.type)}`);
  }

  if (!asyncStorageWrites) node.rawNode.advance(rd);
}
