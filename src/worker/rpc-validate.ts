// The HashiCorp-style engine's RPCs as they cross a worker boundary: each of the eight message
// shapes (types.ts) checked whole, every count and byte length bounded before anything is built,
// like the etcd Message decoder in protocol.ts. A wire message of either engine is told apart by
// its `type`: a number for etcd's Message, a name for hashicorp's RPCs.
import { configurationServersMax, serverAddressBytesMax } from '../engines/hashicorp/configuration';
import { LogType, Suffrage, type Configuration, type LogEntry, type RpcMessage } from '../engines/hashicorp/types';
import type { Message } from '../raft/types';
import type { WireMessage } from '../sim/durable/node-driver';
import { array, bool, bytes, object, safeInt, string, tagged, type Check, ProtocolError } from './validate';

/** Limits of one RPC: entries per AppendEntries and bytes per entry or snapshot. */
export const rpcLimits = {
  entriesPerRequestMax: 10_000,
  entryDataBytesMax: 16 * 1024 * 1024,
  snapshotDataBytesMax: 256 * 1024 * 1024,
} as const;

const u = safeInt();
const serverId = safeInt(0);
const logTypes: readonly number[] = [LogType.Command, LogType.Noop, LogType.Configuration];

const logTypeCheck: Check<LogType> = (value, path) => {
  const type = safeInt(0, 255)(value, path);
  if (!logTypes.includes(type)) throw new ProtocolError(path, `unknown log type ${type}`);
  return type as LogType;
};

const logEntryCheck: Check<LogEntry> = object<LogEntry>({
  index: u,
  term: u,
  type: logTypeCheck,
  data: bytes(rpcLimits.entryDataBytesMax),
});

const configurationCheck: Check<Configuration> = object<Configuration>({
  servers: array(
    object({
      suffrage: safeInt(Suffrage.Voter, Suffrage.Staging) as Check<Suffrage>,
      id: serverId,
      address: string(serverAddressBytesMax),
    }),
    configurationServersMax,
  ),
});

const header = { from: serverId, to: serverId, rpcId: u };

function rpc<T extends RpcMessage['type']>(type: T, fields: Record<string, Check<unknown>>): Check<RpcMessage> {
  const literalType: Check<unknown> = (value, path) => {
    if (value !== type) throw new ProtocolError(path, `expected ${type}`);
    return type;
  };
  return object({ type: literalType, ...header, ...fields } as never) as Check<RpcMessage>;
}

export const rpcMessageValidator: Check<RpcMessage> = tagged<RpcMessage>('type', {
  AppendEntriesRequest: rpc('AppendEntriesRequest', {
    term: u,
    leader: serverId,
    prevLogEntry: u,
    prevLogTerm: u,
    entries: array(logEntryCheck, rpcLimits.entriesPerRequestMax),
    leaderCommitIndex: u,
  }),
  AppendEntriesResponse: rpc('AppendEntriesResponse', { term: u, lastLog: u, success: bool, noRetryBackoff: bool }),
  RequestVoteRequest: rpc('RequestVoteRequest', {
    term: u,
    candidate: serverId,
    lastLogIndex: u,
    lastLogTerm: u,
    leadershipTransfer: bool,
  }),
  RequestVoteResponse: rpc('RequestVoteResponse', { term: u, granted: bool }),
  InstallSnapshotRequest: rpc('InstallSnapshotRequest', {
    term: u,
    leader: serverId,
    lastLogIndex: u,
    lastLogTerm: u,
    configuration: configurationCheck,
    configurationIndex: u,
    size: u,
    data: bytes(rpcLimits.snapshotDataBytesMax),
  }),
  InstallSnapshotResponse: rpc('InstallSnapshotResponse', { term: u, success: bool }),
  TimeoutNowRequest: rpc('TimeoutNowRequest', {}),
  TimeoutNowResponse: rpc('TimeoutNowResponse', {}),
});

/** A wire message of either engine: etcd's Message (numeric type) or a hashicorp RPC (named type). */
export function wireMessageValidator(etcdMessage: Check<Message>): Check<WireMessage> {
  return (value, path) => {
    const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
    return typeof type === 'string' ? rpcMessageValidator(value, path) : etcdMessage(value, path);
  };
}
