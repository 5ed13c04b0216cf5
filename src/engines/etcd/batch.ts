// What the scheduler hands an etcd node host in one lockstep step, and what it gets back.
// A batch runs in a fixed order: commands, inbound messages, client requests, admin calls,
// ticks, then Ready rounds until the engine has nothing left. Messages in the result left the
// node only after the durable write they depend on (the Ready rule); everything is deterministic.
import type { Message, NodeId } from '../../raft/types';
import type { KvCommand } from '../kv-state-machine';
import type { EtcdHostSettings } from './settings';

/** A peer as the scheduler names it: a Raft node id and its address (the ID defaults to the decimal id). */
export interface PeerSpec {
  nodeId: NodeId;
  address: string;
  id?: string;
}

/** Everything a node host needs before its first batch. */
export interface NodeInit {
  id: NodeId;
  /** The initial voters for a new cluster; null for a node that joins one (it starts empty). */
  bootstrapPeers: PeerSpec[] | null;
  settings?: Partial<EtcdHostSettings>;
  /** Report a BatchObservation with every result (the simulator's invariants need it). */
  observe?: boolean;
  /**
   * The simulator's bug switches (`--bug`, src/sim/bugs.ts) by name: deliberate mistakes, off
   * unless named. Each host honours the names it implements; the simulator refuses the rest.
   */
  bugs?: string[];
}

/** A probability as an integer ratio. */
export interface FaultRatio {
  numerator: number;
  denominator: number;
}

/** Disk faults an incarnation's fault layer injects, each decision drawn from `seed`. */
export interface DiskFaultRates {
  /** How often a read returns the bytes with one bit flipped. */
  bitFlipOnReadRatio: FaultRatio;
  /** How often a write fails with ENOSPC (1/1: the disk is full). */
  writeFailureRatio: FaultRatio;
}

export type NodeCommand =
  /** Boot from the disk (the first boot is a restart from an empty disk); `seed` drives elections. */
  | { kind: 'restart'; seed: number; diskFaults?: DiskFaultRates & { seed: number } }
  /** The process dies now: unsynced writes are lost, except `keepPendingBytes` of the last one. */
  | { kind: 'crash'; keepPendingBytes?: number }
  /** The process will die at its n-th next disk write (0 = the next one), maybe torn. */
  | { kind: 'armCrash'; afterOperations: number; tornBytes?: number; keepPendingBytes?: number }
  /** Start an election at once (etcd's Campaign). */
  | { kind: 'campaign' }
  /** Changes the running incarnation's disk fault rates (a disk filling up or freed). */
  | { kind: 'setDiskFaults'; faults: DiskFaultRates }
  /** The transport's word on a MsgSnap sent to `peer` (etcd's ReportSnapshot). */
  | { kind: 'reportSnapshot'; peer: NodeId; delivered: boolean }
  /** The transport lost its stream to `peer` (etcd's ReportUnreachable). */
  | { kind: 'reportUnreachable'; peer: NodeId };

export type ClientRequest =
  /** Leader only: the command goes through the log (0x01 envelope) and is answered once applied. */
  | { kind: 'propose'; requestId: number; command: KvCommand }
  /** Any node: a ReadIndex round (0x02 context), then a local read once applied reaches it. */
  | { kind: 'read'; requestId: number; key: string };

export type AdminRequest =
  | { kind: 'addVoter'; requestId: number; nodeId: NodeId; address: string; prevIndex: number }
  | { kind: 'addLearner'; requestId: number; nodeId: NodeId; address: string; prevIndex: number }
  | { kind: 'removeServer'; requestId: number; nodeId: NodeId; prevIndex: number }
  | { kind: 'transferLeadership'; requestId: number; nodeId: NodeId };

export interface NodeBatch {
  commands: NodeCommand[];
  messages: Message[];
  requests: ClientRequest[];
  admin: AdminRequest[];
  ticks: number;
}

export type HostErrorCode =
  | 'node-down'
  | 'not-leader'
  | 'duplicate-request'
  | 'too-many-pending-requests'
  | 'proposal-dropped'
  /** The entry at the proposal's index is another one: it was never committed. */
  | 'proposal-lost'
  /** A snapshot replaced the log past the proposal: it may or may not have been applied. */
  | 'outcome-unknown'
  | 'too-many-pending-configs'
  | 'prev-index-mismatch'
  | 'conf-change-context-too-large'
  | 'leadership-lost';

export type RequestResult =
  | { ok: true; value: string | null; swapped: boolean; index: number }
  | { ok: false; code: HostErrorCode; message: string };

export interface RequestResponse {
  requestId: number;
  result: RequestResult;
}

/** One Ready's durable write, reported once its fsync returned. */
export interface PersistedRecord {
  hardState: { term: number; vote: number; commit: number } | null;
  /** The first and last index of the entries written, or null. */
  entries: { first: number; last: number; term: number } | null;
  snapshot: { index: number; term: number } | null;
}

export interface AppliedRecord {
  index: number;
  term: number;
  kind: 'empty' | 'command' | 'conf-change' | 'snapshot';
  /** The command's or conf change's description. */
  detail: string;
}

export interface LogLine {
  level: string;
  text: string;
}

export interface PeerStatus {
  /** The u64 NodeID in decimal. */
  nodeId: string;
  id: string;
  address: string;
}

export interface NodeStatus {
  id: NodeId;
  /** 'down' before the first restart and after a crash; 'removed' after applying its own removal. */
  role: 'down' | 'removed' | 'failed' | 'StateFollower' | 'StateCandidate' | 'StateLeader' | 'StatePreCandidate';
  /** Why the node stopped ('failed', or a crash), or null. */
  error: string | null;
  term: number;
  vote: number;
  commit: number;
  applied: number;
  lead: number;
  voters: number[];
  learners: number[];
  firstIndex: number;
  lastIndex: number;
  snapshotIndex: number;
  /** The last few log entries as "index/term/type". */
  logTail: string[];
  /** The index of the last applied configuration (the peers file's Index). */
  configIndex: number;
  peers: PeerStatus[];
  /** The state machine's keys and values, sorted (small clusters only: bounded by statusKeysMax). */
  kv: [string, string][];
}

export interface BatchResult {
  messages: Message[];
  persisted: PersistedRecord[];
  applied: AppliedRecord[];
  responses: RequestResponse[];
  logLines: LogLine[];
  status: NodeStatus;
  /** Present when the node was initialised with `observe`. */
  observation?: BatchObservation;
}

/** An entry as the invariants compare it: position and a digest of its type and data. */
export interface ObservedEntry {
  index: number;
  term: number;
  dataHash: number;
}

/**
 * What a simulator's invariants need to see of a node after a batch: the entries it made durable
 * and applied (in order), its durable state, and the shape of its log as term runs.
 */
export interface BatchObservation {
  /** The node booted in this batch. */
  restarted: boolean;
  appended: ObservedEntry[];
  /** The persisted term just before the first appended entry (0 when none). */
  appendedPrevTerm: number;
  applied: ObservedEntry[];
  /** Persisted HardState and last index at the end of the batch; null when the node is down. */
  durable: { term: number; vote: number; commit: number; lastIndex: number } | null;
  /**
   * The log's terms as runs [index, term]: the first is the snapshot's (firstIndex - 1), each next
   * one where the term changes; they cover up to the status's lastIndex. Empty when down.
   */
  termRuns: [number, number][];
}

export function emptyBatch(fields: Partial<NodeBatch> = {}): NodeBatch {
  return { commands: [], messages: [], requests: [], admin: [], ticks: 0, ...fields };
}
