// The engine's configuration, after hashicorp/raft's Config, in simulated milliseconds. Defaults
// are hashicorp's (DefaultConfig): heartbeat 1000 ms, election 1000 ms, commit 50 ms, lease 500 ms,
// 64 entries per AppendEntries, 10,240 trailing logs, shutdown on removal.
import type { RandomSource } from '../../raft/random';

export interface RaftConfig {
  /** A follower without contact from a leader this long starts an election. */
  heartbeatTimeoutMs: number;
  /** A candidate without a result this long starts a new election. */
  electionTimeoutMs: number;
  /** The leader replicates at least this often (randomized), so followers learn the commit index. */
  commitTimeoutMs: number;
  /** A leader that has not heard from a quorum this long steps down. */
  leaderLeaseTimeoutMs: number;
  /** Entries in one AppendEntries request. */
  maxAppendEntries: number;
  /** Entries kept in the log behind a snapshot, for slow followers. */
  trailingLogs: number;
  /** A leader removed (or demoted) by a committed configuration shuts down instead of following. */
  shutdownOnRemove: boolean;
  /** A request without a response this long is a failed RPC (the transport's timeout). */
  rpcTimeoutMs: number;
  /** Configuration changes a leader holds while one is in flight. */
  configurationChangesPendingMax: number;
  /** Entries a leader holds uncommitted before refusing new applies. */
  inflightEntriesMax: number;
}

export const defaultRaftConfig: Readonly<RaftConfig> = Object.freeze({
  heartbeatTimeoutMs: 1000,
  electionTimeoutMs: 1000,
  commitTimeoutMs: 50,
  leaderLeaseTimeoutMs: 500,
  maxAppendEntries: 64,
  trailingLogs: 10_240,
  shutdownOnRemove: true,
  rpcTimeoutMs: 10_000,
  configurationChangesPendingMax: 64,
  inflightEntriesMax: 4096,
});

/** hashicorp's ValidateConfig, plus our limits. */
export function validateRaftConfig(config: RaftConfig): string | null {
  for (const [name, value] of Object.entries(config)) {
    if (typeof value === 'number' && !(Number.isSafeInteger(value) && value >= 0)) return `${name} must be a non-negative integer, got ${value}`;
  }
  if (config.heartbeatTimeoutMs < 5) return 'HeartbeatTimeout is too low';
  if (config.electionTimeoutMs < 5) return 'ElectionTimeout is too low';
  if (config.commitTimeoutMs < 1) return 'CommitTimeout is too low';
  if (config.leaderLeaseTimeoutMs < 5) return 'LeaderLeaseTimeout is too low';
  if (config.leaderLeaseTimeoutMs > config.heartbeatTimeoutMs) return 'LeaderLeaseTimeout cannot be larger than heartbeat timeout';
  if (config.electionTimeoutMs < config.heartbeatTimeoutMs) return 'ElectionTimeout must be equal or greater than Heartbeat Timeout';
  if (config.maxAppendEntries < 1 || config.maxAppendEntries > 1024) return 'MaxAppendEntries must be in 1..1024';
  if (config.rpcTimeoutMs < 1) return 'rpcTimeoutMs must be positive';
  return null;
}

export function resolveRaftConfig(overrides: Partial<RaftConfig> = {}): RaftConfig {
  const config = { ...defaultRaftConfig, ...overrides };
  const problem = validateRaftConfig(config);
  if (problem !== null) throw new RangeError(problem);
  return config;
}

/** hashicorp's randomTimeout: a duration in [minimumMs, 2 * minimumMs). */
export function randomTimeoutMs(random: RandomSource, minimumMs: number): number {
  return minimumMs + (minimumMs > 0 ? random.intn(minimumMs) : 0);
}

/** The smallest wait between retries (hashicorp's failureWait). */
export const failureWaitMs = 10;
/** Failures beyond this do not lengthen the backoff (hashicorp's maxFailureScale). */
export const maxFailureScale = 12;

/** hashicorp's backoff: the base, doubled for every failure past the second, up to a limit. */
export function backoffMs(baseMs: number, failures: number, limit: number): number {
  let power = Math.min(failures, limit);
  let wait = baseMs;
  while (power > 2) {
    wait *= 2;
    power--;
  }
  return wait;
}

/** hashicorp's minCheckInterval: the lease check never runs more often than this. */
export const minCheckIntervalMs = 10;
