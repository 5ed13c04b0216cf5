// The HashiCorp-style host's settings: the engine's Config (hashicorp's defaults) plus the host's
// own: the simulated length of a tick, when to take a local snapshot (hashicorp's
// SnapshotThreshold, 8192 entries, checked after every batch instead of every SnapshotInterval),
// how many snapshots to keep, and how many client requests may wait.
import { defaultRaftConfig, resolveRaftConfig, type RaftConfig } from './raft-config';

export interface HashicorpHostSettings {
  /** Simulated milliseconds per tick of a batch. */
  tickIntervalMs: number;
  raft: Partial<RaftConfig>;
  /** A local snapshot is taken when applied - last snapshot index reaches this. */
  snapshotThresholdEntries: number;
  snapshotsRetained: number;
  /** Client requests waiting for an answer on one node. */
  pendingRequestsMax: number;
}

export const defaultHashicorpHostSettings: Readonly<HashicorpHostSettings> = Object.freeze({
  tickIntervalMs: 10,
  raft: defaultRaftConfig,
  snapshotThresholdEntries: 8192,
  snapshotsRetained: 2,
  pendingRequestsMax: 1_024,
});

export interface ResolvedHashicorpHostSettings extends Omit<HashicorpHostSettings, 'raft'> {
  raft: RaftConfig;
}

export function resolveHashicorpSettings(overrides: Partial<HashicorpHostSettings> = {}): ResolvedHashicorpHostSettings {
  const settings = { ...defaultHashicorpHostSettings, ...overrides };
  for (const name of ['tickIntervalMs', 'snapshotThresholdEntries', 'snapshotsRetained', 'pendingRequestsMax'] as const) {
    const value = settings[name];
    if (!(Number.isSafeInteger(value) && value >= 1)) throw new RangeError(`setting ${name} must be a positive integer, got ${value}`);
  }
  return { ...settings, raft: resolveRaftConfig(settings.raft) };
}
