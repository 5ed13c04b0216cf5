// process-apply-thread: run one MsgStorageApply on each given node's apply thread (etcd's
// handleProcessApplyThread): apply its committed entries, then release its responses.
//
// The state machine is an "appender": each applied entry appends its payload (or, for a
// configuration change, the change's context) to the previous state, and the result is kept
// in the node's history as a snapshot at the entry's index.
import { describeMessage } from '../describe';
import { unmarshalConfChange, unmarshalConfChangeV2 } from '../encoding/conf-change';
import { EntryType, emptyConfState, type ConfState, type Entry, type Snapshot } from '../types';
import { nodeIdxs, type CommandArg } from './command-args';
import { defaultEntryFormatter } from './entry-formatter';
import type { InteractionEnv, InteractionNode } from './interaction-env';

export function handleProcessApplyThread(env: InteractionEnv, args: CommandArg[]): void {
  const idxs = nodeIdxs(args);
  for (const idx of idxs) {
    if (idxs.length > 1) {
      env.output.write(`> ${idx + 1} processing apply thread\n`);
      env.withIndent(() => processApplyThread(env, idx));
    } else {
      processApplyThread(env, idx);
    }
  }
}

/** Processes the oldest message waiting on the apply thread of the node at index idx. */
export function processApplyThread(env: InteractionEnv, idx: number): void {
  const node = env.node(idx);
  const m = node.applyWork.shift();
  if (m === undefined) {
    env.output.write('no apply work to perform');
    return;
  }
  const responses = m.responses;
  env.output.write('Processing:\n');
  env.output.write(`${describeMessage({ ...m, responses: [] }, defaultEntryFormatter)}\n`);
  processApply(node, m.entries);

  env.output.write('Responses:\n');
  for (const response of responses) {
    env.output.write(`${describeMessage(response, defaultEntryFormatter)}\n`);
  }
  env.messages.push(...responses);
}

/** Applies committed entries to the node, recording the new state after each one. */
export function processApply(node: InteractionNode, entries: Entry[]): void {
  for (const entry of entries) {
    const { update, confState } = applyEntry(node, entry);
    const last = node.history[node.history.length - 1];
    node.history.push(nextSnapshot({ last, entry, update, confState }));
  }
}

function applyEntry(
  node: InteractionNode,
  entry: Entry,
): { update: Uint8Array | null; confState: ConfState | null } {
  const data = entry.data ?? new Uint8Array();
  switch (entry.type) {
    case EntryType.EntryConfChange: {
      const cc = unmarshalConfChange(data);
      return { update: cc.context, confState: node.rawNode.applyConfChange(cc) };
    }
    case EntryType.EntryConfChangeV2: {
      const cc = unmarshalConfChangeV2(data);
      return { update: cc.context, confState: node.rawNode.applyConfChange(cc) };
    }
    default:
      return { update: entry.data, confState: null };
  }
}

interface NextSnapshot {
  last: Snapshot;
  entry: Entry;
  update: Uint8Array | null;
  confState: ConfState | null;
}

function nextSnapshot({ last, entry, update, confState }: NextSnapshot): Snapshot {
  const previous = last.data ?? new Uint8Array();
  const added = update ?? new Uint8Array();
  const data = new Uint8Array(previous.length + added.length);
  data.set(previous, 0);
  data.set(added, previous.length);
  return {
    // Go's append onto a nil slice stays nil when nothing is added.
    data: data.length === 0 ? null : data,
    metadata: {
      index: entry.index,
      term: entry.term,
      confState: confState ?? last.metadata.confState ?? emptyConfState(),
    },
  };
}
