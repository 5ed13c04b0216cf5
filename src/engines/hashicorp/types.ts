// The vocabulary of the HashiCorp-style engine, after hashicorp/raft: servers with a suffrage,
// configurations, typed log entries, and its four RPCs as request/response pairs. Server ids are
// the simulator's numeric node ids (hashicorp's ServerID is a string; the numbers print as one).
import type { NodeId } from '../../raft/types';

export type ServerId = NodeId;

/** Whether a server's vote counts (hashicorp's ServerSuffrage; the numbers are written to disk). */
export enum Suffrage {
  Voter = 0,
  Nonvoter = 1,
  /** Acts like a nonvoter until promoted; AddVoter in hashicorp/raft gives a vote at once instead. */
  Staging = 2,
}

export const suffrageNames: Record<Suffrage, string> = {
  [Suffrage.Voter]: 'Voter',
  [Suffrage.Nonvoter]: 'Nonvoter',
  [Suffrage.Staging]: 'Staging',
};

export interface Server {
  suffrage: Suffrage;
  id: ServerId;
  address: string;
}

/** The servers of the cluster, in the order changes added them. */
export interface Configuration {
  servers: Server[];
}

/** hashicorp's LogType values that this engine writes (the numbers are written to disk). */
export enum LogType {
  Command = 0,
  Noop = 1,
  Configuration = 5,
}

export interface LogEntry {
  index: number;
  term: number;
  type: LogType;
  data: Uint8Array;
}

export enum RaftRole {
  Follower = 'Follower',
  Candidate = 'Candidate',
  Leader = 'Leader',
  Shutdown = 'Shutdown',
}

/** What the stable store keeps (hashicorp's CurrentTerm, LastVoteTerm, LastVoteCand keys). */
export interface StableState {
  currentTerm: number;
  lastVoteTerm: number;
  /** The candidate voted for in lastVoteTerm; 0 = none. */
  lastVoteCand: ServerId;
}

/** A snapshot's metadata, as the file snapshot store records it. */
export interface SnapshotMeta {
  index: number;
  term: number;
  configuration: Configuration;
  configurationIndex: number;
  size: number;
}

interface RpcHeader {
  from: ServerId;
  to: ServerId;
  /** Pairs a response with its request; unique per sender and incarnation. */
  rpcId: number;
}

export interface AppendEntriesRequest extends RpcHeader {
  type: 'AppendEntriesRequest';
  term: number;
  leader: ServerId;
  prevLogEntry: number;
  prevLogTerm: number;
  entries: LogEntry[];
  leaderCommitIndex: number;
}

export interface AppendEntriesResponse extends RpcHeader {
  type: 'AppendEntriesResponse';
  term: number;
  lastLog: number;
  success: boolean;
  /** The follower's log did not match: retry at once with an earlier entry, no backoff. */
  noRetryBackoff: boolean;
}

export interface RequestVoteRequest extends RpcHeader {
  type: 'RequestVoteRequest';
  term: number;
  candidate: ServerId;
  lastLogIndex: number;
  lastLogTerm: number;
  /** Set by a candidate that a TimeoutNow started: voters ignore the leader they know. */
  leadershipTransfer: boolean;
}

export interface RequestVoteResponse extends RpcHeader {
  type: 'RequestVoteResponse';
  term: number;
  granted: boolean;
}

export interface InstallSnapshotRequest extends RpcHeader {
  type: 'InstallSnapshotRequest';
  term: number;
  leader: ServerId;
  lastLogIndex: number;
  lastLogTerm: number;
  configuration: Configuration;
  configurationIndex: number;
  size: number;
  data: Uint8Array;
}

export interface InstallSnapshotResponse extends RpcHeader {
  type: 'InstallSnapshotResponse';
  term: number;
  success: boolean;
}

export interface TimeoutNowRequest extends RpcHeader {
  type: 'TimeoutNowRequest';
}

export interface TimeoutNowResponse extends RpcHeader {
  type: 'TimeoutNowResponse';
}

export type RpcRequest = AppendEntriesRequest | RequestVoteRequest | InstallSnapshotRequest | TimeoutNowRequest;
export type RpcResponse = AppendEntriesResponse | RequestVoteResponse | InstallSnapshotResponse | TimeoutNowResponse;
export type RpcMessage = RpcRequest | RpcResponse;

/** Every RPC's type name (the event log's type filter lists them). */
export const rpcTypeNames: readonly RpcMessage['type'][] = [
  'AppendEntriesRequest',
  'AppendEntriesResponse',
  'RequestVoteRequest',
  'RequestVoteResponse',
  'InstallSnapshotRequest',
  'InstallSnapshotResponse',
  'TimeoutNowRequest',
  'TimeoutNowResponse',
];

export function isRequest(message: RpcMessage): message is RpcRequest {
  return message.type.endsWith('Request');
}

/** One line per RPC, for logs and transcripts. */
export function describeRpc(message: RpcMessage): string {
  const head = `${message.from}->${message.to} #${message.rpcId} ${message.type}`;
  switch (message.type) {
    case 'AppendEntriesRequest':
      return `${head} term=${message.term} prev=${message.prevLogEntry}/${message.prevLogTerm} entries=${message.entries.length} commit=${message.leaderCommitIndex}`;
    case 'AppendEntriesResponse':
      return `${head} term=${message.term} lastLog=${message.lastLog} success=${message.success}${message.noRetryBackoff ? ' noRetryBackoff' : ''}`;
    case 'RequestVoteRequest':
      return `${head} term=${message.term} last=${message.lastLogIndex}/${message.lastLogTerm}${message.leadershipTransfer ? ' transfer' : ''}`;
    case 'RequestVoteResponse':
      return `${head} term=${message.term} granted=${message.granted}`;
    case 'InstallSnapshotRequest':
      return `${head} term=${message.term} last=${message.lastLogIndex}/${message.lastLogTerm} size=${message.size}`;
    case 'InstallSnapshotResponse':
      return `${head} term=${message.term} success=${message.success}`;
    default:
      return head;
  }
}
