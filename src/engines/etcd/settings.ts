// The etcd engine host's settings, with elastickv's values as defaults (../shared/ELASTICKV.md):
// tick 10 ms, heartbeat 20 ticks, election 200 ticks, 1 MiB per message, 256 messages in flight,
// CheckQuorum, PreVote and ReadOnlySafe on, a local snapshot every 10,000 applied entries.
// Tests override them (a smaller election timeout, a lower snapshot threshold).
import { ReadOnlyOption } from '../../raft/config';

export interface EtcdHostSettings {
  /** Simulated milliseconds per tick; the host never reads a clock, the scheduler does. */
  tickIntervalMs: number;
  heartbeatTicks: number;
  electionTicks: number;
  maxSizePerMsg: number;
  maxInflightMsgs: number;
  checkQuorum: boolean;
  preVote: boolean;
  readOnlyOption: ReadOnlyOption;
  /** A local snapshot is taken when applied - last snapshot index reaches this. */
  snapshotThresholdEntries: number;
  /** Entries kept in the log behind a local snapshot, for slow followers (etcd's catch-up). */
  snapshotCatchUpEntries: number;
  /** elastickv's cap on configuration changes waiting to be applied (errTooManyPendingConfigs). */
  pendingConfChangesMax: number;
  /** Client requests (proposals and reads) waiting for an answer on one node. */
  pendingRequestsMax: number;
  /** The WAL's segment cut size. */
  walSegmentBytesMax: number;
}

export const defaultEtcdHostSettings: Readonly<EtcdHostSettings> = Object.freeze({
  tickIntervalMs: 10,
  heartbeatTicks: 20,
  electionTicks: 200,
  maxSizePerMsg: 1024 * 1024,
  maxInflightMsgs: 256,
  checkQuorum: true,
  preVote: true,
  readOnlyOption: ReadOnlyOption.ReadOnlySafe,
  snapshotThresholdEntries: 10_000,
  snapshotCatchUpEntries: 5_000,
  pendingConfChangesMax: 64,
  pendingRequestsMax: 1_024,
  walSegmentBytesMax: 64 * 1024 * 1024,
});

export function resolveSettings(overrides: Partial<EtcdHostSettings> = {}): EtcdHostSettings {
  const settings = { ...defaultEtcdHostSettings, ...overrides };
  for (const [name, value] of Object.entries(settings)) {
    if (typeof value === 'number' && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new RangeError(`setting ${name} must be a non-negative integer, got ${value}`);
    }
  }
  if (settings.heartbeatTicks < 1 || settings.electionTicks <= settings.heartbeatTicks) {
    throw new RangeError('settings need 1 <= heartbeatTicks < electionTicks');
  }
  if (settings.snapshotThresholdEntries < 1) throw new RangeError('snapshotThresholdEntries must be positive');
  return settings;
}
