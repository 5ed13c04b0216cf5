// Commands that show or change a node's state from outside the protocol: raft-log, raft-state,
// status, compact, send-snapshot, log-level.
import { noLimit } from '../config';
import { describeEntries, describeMessage } from '../describe';
import { stateTypeString } from '../ready';
import type { Status } from '../status';
import type { Progress } from '../tracker/progress';
import { MessageType, makeMessage, type LogIndex, type NodeId } from '../types';
import {
  InteractionError,
  firstAsNodeIdx,
  nodeIdxs,
  parseUintStrict,
  type CommandArg,
} from './command-args';
import { defaultEntryFormatter } from './entry-formatter';
import type { InteractionEnv } from './interaction-env';
import { logLevelsError } from './handle-stabilize';
import { parseLogLevel } from './redirect-logger';

/** raft-log <id>: the entries in the node's storage. */
export function handleRaftLog(env: InteractionEnv, args: CommandArg[]): void {
  raftLog(env, firstAsNodeIdx(args));
}

export function raftLog(env: InteractionEnv, idx: number): void {
  const storage = env.node(idx).storage;
  const firstIndex = storage.firstIndex();
  const lastIndex = storage.lastIndex();
  if (lastIndex < firstIndex) {
    env.output.write(`log is empty: first index=${firstIndex}, last index=${lastIndex}`);
    return;
  }
  const entries = storage.entries(firstIndex, lastIndex + 1, noLimit);
  env.output.write(describeEntries(entries, defaultEntryFormatter));
}

/** raft-state: each node's role, voter status, term and leader, as that node sees them. */
export function handleRaftState(env: InteractionEnv): void {
  for (const node of env.nodes) {
    const status = node.rawNode.status();
    const voter = isVoter(status.basic.id, status) ? '(Voter)' : '(Non-Voter)';
    const { raftState, lead } = status.basic.softState;
    const line = `${status.basic.id}: ${stateTypeString(raftState)} ${voter} Term:${status.basic.hardState.term} Lead:${lead}\n`;
    env.output.write(line);
  }
}

/** True when id is a voter in either half of the node's (possibly joint) configuration. */
function isVoter(id: NodeId, status: Status): boolean {
  return status.config.voters.ids().has(id);
}

/** status <id>: the leader's view of each peer's progress (empty on non-leaders). */
export function handleStatus(env: InteractionEnv, args: CommandArg[]): void {
  const status = env.node(firstAsNodeIdx(args)).rawNode.status();
  env.output.write(progressMapString(status.progress));
}

/** etcd's ProgressMap.String: one "id: progress" line per peer, by id. */
export function progressMapString(progress: ReadonlyMap<NodeId, Progress>): string {
  const ids = [...progress.keys()].sort((a, b) => a - b);
  return ids.map((id) => `${id}: ${progress.get(id)!.string()}\n`).join('');
}

/** compact <id> <new first index>: compact the node's storage, then print its log. */
export function handleCompact(env: InteractionEnv, args: CommandArg[]): void {
  const idx = firstAsNodeIdx(args);
  if (args.length < 2) throw new InteractionError('compact needs a node id and a new first index');
  const newFirstIndex: LogIndex = parseUintStrict(args[1].key);
  env.node(idx).storage.compact(newFirstIndex);
  raftLog(env, idx);
}

/** send-snapshot <from> <to>: queue a MsgSnap carrying the sender's latest applied state. */
export function handleSendSnapshot(env: InteractionEnv, args: CommandArg[]): void {
  const idxs = nodeIdxs(args);
  if (idxs.length !== 2) throw new InteractionError('send-snapshot needs exactly two node ids');
  const [fromIdx, toIdx] = idxs;
  const sender = env.node(fromIdx);
  const snapshot = sender.storage.snapshot();
  const m = makeMessage({
    type: MessageType.MsgSnap,
    term: sender.rawNode.basicStatus().hardState.term,
    from: fromIdx + 1,
    to: toIdx + 1,
    snapshot,
  });
  env.messages.push(m);
  env.output.write(describeMessage(m));
}

/** log-level <level>: DEBUG, INFO, WARN, ERROR, FATAL or NONE (silences the harness too). */
export function handleLogLevel(env: InteractionEnv, args: CommandArg[]): void {
  const level = args.length > 0 ? parseLogLevel(args[0].key) : null;
  if (level === null) throw new InteractionError(logLevelsError());
  env.output.level = level;
}
