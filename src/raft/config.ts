// The engine's configuration: etcd/raft's Config knobs, validated as etcd validates them.
import type { Logger } from './logger';
import type { RandomSource } from './random';
import type { NodeId, LogIndex } from './types';
import type { Storage } from './log/log-storage';
import type { RaftBug } from './bugs';

export enum ReadOnlyOption {
  /** Reads confirm leadership with a quorum round (thesis 6.4). */
  ReadOnlySafe = 0,
  /** Reads rely on the leader lease; unsafe under unbounded clock drift. */
  ReadOnlyLeaseBased = 1,
}

/** etcd's noLimit (math.MaxUint64): larger than any size the engine can count. */
export const noLimit = Number.POSITIVE_INFINITY;

/** The ids etcd reserves for the local storage threads when AsyncStorageWrites is on. */
export const localAppendThread: NodeId = Number.MAX_SAFE_INTEGER;
export const localApplyThread: NodeId = Number.MAX_SAFE_INTEGER - 1;

export interface Config {
  id: NodeId;
  electionTick: number;
  heartbeatTick: number;
  storage: Storage;
  applied?: LogIndex;
  asyncStorageWrites?: boolean;
  /** Bytes per MsgApp; 0 for at most one entry per message, noLimit for unlimited. */
  maxSizePerMsg?: number;
  maxCommittedSizePerReady?: number;
  /** 0 for no limit. */
  maxUncommittedEntriesSize?: number;
  maxInflightMsgs: number;
  /** 0 for no limit. */
  maxInflightBytes?: number;
  checkQuorum?: boolean;
  preVote?: boolean;
  readOnlyOption?: ReadOnlyOption;
  logger?: Logger;
  /** The injected random source for randomized election timeouts. */
  random?: RandomSource;
  disableProposalForwarding?: boolean;
  disableConfChangeValidation?: boolean;
  stepDownOnRemoval?: boolean;
  /**
   * Deliberate mistakes to inject (see bugs.ts); empty by default. Only the simulator's bug
   * switches set this, to show that its checkers catch each mistake.
   */
  bugs?: ReadonlySet<RaftBug>;
}

/** A Config with every default filled in, as etcd's validate() leaves it. */
export type ValidConfig = Required<Config>;
