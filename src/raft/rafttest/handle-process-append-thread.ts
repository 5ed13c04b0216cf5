// process-append-thread: run one MsgStorageAppend on each given node's append thread (etcd's
// handleProcessAppendThread): persist its HardState, entries or snapshot, then release the
// responses it carries into the network.
import { describeMessage } from '../describe';
import { cloneSnapshot } from '../log/log-storage';
import {
  emptySnapshot,
  isEmptyHardState,
  isEmptySnapshot,
  type Entry,
  type HardState,
  type Snapshot,
} from '../types';
import { InteractionError, nodeIdxs, type CommandArg } from './command-args';
import { defaultEntryFormatter } from './entry-formatter';
import type { InteractionEnv, InteractionNode } from './interaction-env';

export function handleProcessAppendThread(env: InteractionEnv, args: CommandArg[]): void {
  const idxs = nodeIdxs(args);
  for (const idx of idxs) {
    if (idxs.length > 1) {
      env.output.write(`> ${idx + 1} processing append thread\n`);
      env.withIndent(() => processAppendThread(env, idx));
    } else {
      processAppendThread(env, idx);
    }
  }
}

/** Processes the oldest message waiting on the append thread of the node at index idx. */
export function processAppendThread(env: InteractionEnv, idx: number): void {
  const node = env.node(idx);
  const m = node.appendWork.shift();
  if (m === undefined) {
    env.output.write('no append work to perform');
    return;
  }
  const responses = m.responses;
  env.output.write('Processing:\n');
  env.output.write(`${describeMessage({ ...m, responses: [] }, defaultEntryFormatter)}\n`);
  const hardState: HardState = { term: m.term, vote: m.vote, commit: m.commit };
  const snapshot = m.snapshot === null ? emptySnapshot() : cloneSnapshot(m.snapshot);
  processAppend(node, { hardState, entries: m.entries, snapshot });

  env.output.write('Responses:\n');
  for (const response of responses) {
    env.output.write(`${describeMessage(response, defaultEntryFormatter)}\n`);
  }
  env.messages.push(...responses);
}

export interface AppendWork {
  hardState: HardState;
  entries: Entry[];
  snapshot: Snapshot;
}

/** Writes a HardState and either a snapshot or entries to the node's storage. */
export function processAppend(node: InteractionNode, work: AppendWork): void {
  const storage = node.storage;
  if (!isEmptyHardState(work.hardState)) storage.setHardState(work.hardState);
  if (!isEmptySnapshot(work.snapshot)) {
    if (work.entries.length > 0) {
      throw new InteractionError("can't apply snapshot and entries at the same time");
    }
    storage.applySnapshot(work.snapshot);
    return;
  }
  storage.append(work.entries);
}
