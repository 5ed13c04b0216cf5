// add-nodes: create nodes, optionally bootstrapped from a snapshot (etcd's handleAddNodes).
//
//   add-nodes <count> [voters=(1,2,3)] [learners=(4)] [index=10] [content=foo]
//     [inflight=N] [max-committed-size-per-ready=N] [async-storage-writes=bool] [prevote=bool]
//     [checkquorum=bool] [read-only=safe|lease-based] [disable-conf-change-validation=bool]
//     [step-down-on-removal=bool] [heartbeat-tick=N] [election-tick=N]
//     [max-size-per-msg=N] [max-inflight-bytes=N] [max-uncommitted-entries-size=N]
//
// max-size-per-msg is this project's addition (etcd's harness always sends unlimited appends):
// a small value makes a leader send one entry per MsgApp, so a scenario can hold a follower
// between two entries, as Figure 8 of the Raft paper needs. max-inflight-bytes and
// max-uncommitted-entries-size are this project's additions too, so that scenarios can show
// etcd's byte-based flow control and proposal quota.
import { utf8Encode } from '../bytes';
import { noLimit, ReadOnlyOption, type Config } from '../config';
import { cloneSnapshot } from '../log/log-storage';
import { RawNode } from '../rawnode';
import { RaftPanic } from '../logger';
import { seededRandom } from '../random';
import { emptySnapshot, type NodeId, type Snapshot } from '../types';
import {
  firstAsInt,
  InteractionError,
  scanBool,
  scanInt,
  scanUint,
  type CommandArg,
} from './command-args';
import type { InteractionEnv } from './interaction-env';
import { SnapOverrideStorage } from './interaction-storage';

/** Go's math.MaxInt32, etcd's stub value for "no inflight limit". */
const maxInt32 = 2147483647;

/** The config template every node starts from: no limits (etcd's raftConfigStub). */
export function raftConfigStub(): Omit<Config, 'id' | 'storage'> {
  return { electionTick: 3, heartbeatTick: 1, maxSizePerMsg: noLimit, maxInflightMsgs: maxInt32 };
}

export function handleAddNodes(env: InteractionEnv, args: CommandArg[]): void {
  const count = firstAsInt(args);
  const snapshot = emptySnapshot();
  const template = raftConfigStub();
  for (const arg of args.slice(1)) {
    for (let i = 0; i < arg.vals.length; i++) {
      applyAddNodesArg({ arg, i, snapshot, template });
    }
  }
  addNodes(env, count, template, snapshot);
}

interface AddNodesArg {
  arg: CommandArg;
  i: number;
  snapshot: Snapshot;
  template: Omit<Config, 'id' | 'storage'>;
}

function applyAddNodesArg({ arg, i, snapshot, template }: AddNodesArg): void {
  const confState = snapshot.metadata.confState;
  switch (arg.key) {
    case 'voters':
      confState.voters.push(scanUint(arg, i));
      return;
    case 'learners':
      confState.learners.push(scanUint(arg, i));
      return;
    case 'inflight':
      template.maxInflightMsgs = scanInt(arg, i);
      return;
    case 'index':
      snapshot.metadata.index = scanUint(arg, i);
      template.applied = snapshot.metadata.index;
      return;
    case 'content':
      snapshot.data = utf8Encode(arg.vals[i]);
      return;
    case 'async-storage-writes':
      template.asyncStorageWrites = scanBool(arg, i);
      return;
    case 'prevote':
      template.preVote = scanBool(arg, i);
      return;
    case 'checkquorum':
      template.checkQuorum = scanBool(arg, i);
      return;
    case 'max-size-per-msg':
      template.maxSizePerMsg = scanUint(arg, i);
      return;
    case 'max-inflight-bytes':
      template.maxInflightBytes = scanUint(arg, i);
      return;
    case 'max-uncommitted-entries-size':
      template.maxUncommittedEntriesSize = scanUint(arg, i);
      return;
    case 'max-committed-size-per-ready':
      template.maxCommittedSizePerReady = scanUint(arg, i);
      return;
    case 'disable-conf-change-validation':
      template.disableConfChangeValidation = scanBool(arg, i);
      return;
    case 'step-down-on-removal':
      template.stepDownOnRemoval = scanBool(arg, i);
      return;
    case 'heartbeat-tick':
      template.heartbeatTick = scanInt(arg, i);
      return;
    case 'election-tick':
      template.electionTick = scanInt(arg, i);
      return;
    case 'read-only':
      template.readOnlyOption = parseReadOnlyOption(arg.vals[i]);
      return;
    default:
      // etcd ignores keys it does not know.
      return;
  }
}

function parseReadOnlyOption(value: string): ReadOnlyOption {
  if (value === 'safe') return ReadOnlyOption.ReadOnlySafe;
  if (value === 'lease-based') return ReadOnlyOption.ReadOnlyLeaseBased;
  throw new InteractionError(`invalid read-only option ${JSON.stringify(value)}`);
}

/** True when the snapshot differs from Go's zero Snapshot in any field. */
function isZeroSnapshot(snapshot: Snapshot): boolean {
  const { confState, index, term } = snapshot.metadata;
  return (
    (snapshot.data === null || snapshot.data.length === 0) &&
    index === 0 &&
    term === 0 &&
    confState.voters.length === 0 &&
    confState.learners.length === 0 &&
    confState.votersOutgoing.length === 0 &&
    confState.learnersNext.length === 0 &&
    !confState.autoLeave
  );
}

/**
 * Adds count nodes with consecutive ids, each bootstrapped from the snapshot unless it is empty,
 * and configured from the template (etcd's AddNodes).
 */
export function addNodes(
  env: InteractionEnv,
  count: number,
  template: Omit<Config, 'id' | 'storage'>,
  initial: Snapshot,
): void {
  const bootstrap = !isZeroSnapshot(initial);
  for (let i = 0; i < count; i++) {
    const id: NodeId = env.nodes.length + 1;
    const snapshot = cloneSnapshot(initial);
    const storage = new SnapOverrideStorage(() => {
      const history = env.nodes[id - 1].history;
      return history[history.length - 1];
    });
    if (bootstrap) bootstrapStorage(storage, snapshot);
    const config: Config = { ...template, id, storage, random: seededRandom(id) };
    if (env.options.onConfig !== undefined) {
      env.options.onConfig(config);
      if (config.id !== id) throw new InteractionError('OnConfig must not change the ID');
    }
    if (config.logger !== undefined) throw new InteractionError('OnConfig must not set Logger');
    config.logger = env.output;
    const rawNode = newRawNode(config);
    env.nodes.push({
      rawNode,
      storage,
      config,
      appendWork: [],
      applyWork: [],
      history: [snapshot],
    });
  }
}

function bootstrapStorage(storage: SnapOverrideStorage, snapshot: Snapshot): void {
  // MemoryStorage cannot start from a snapshot at index 1; etcd's harness rejects it too.
  if (snapshot.metadata.index <= 1) {
    throw new InteractionError('index must be specified as > 1 due to bootstrap');
  }
  snapshot.metadata.term = 1;
  storage.applySnapshot(snapshot);
  const firstIndex = storage.firstIndex();
  const expected = snapshot.metadata.index + 1;
  if (firstIndex !== expected) {
    throw new InteractionError(`failed to establish first index ${expected}; got ${firstIndex}`);
  }
}

/** Builds the RawNode; an invalid config is a returned error in etcd, a panic stays a panic. */
function newRawNode(config: Config): RawNode {
  try {
    return new RawNode(config);
  } catch (error) {
    if (error instanceof RaftPanic || !(error instanceof Error)) throw error;
    throw new InteractionError(error.message);
  }
}
