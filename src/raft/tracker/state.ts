// etcd's tracker.StateType: how the leader replicates to one follower.
export enum ProgressState {
  /** Probe: at most one append per heartbeat interval, to find where the logs match. */
  StateProbe = 0,
  /** Replicate: stream appends optimistically, limited by the inflights window. */
  StateReplicate = 1,
  /** Snapshot: a snapshot is on its way; no appends are sent. */
  StateSnapshot = 2,
}

const progressStateNames: Record<ProgressState, string> = {
  [ProgressState.StateProbe]: 'StateProbe',
  [ProgressState.StateReplicate]: 'StateReplicate',
  [ProgressState.StateSnapshot]: 'StateSnapshot',
};

/** etcd's StateType.String. */
export function progressStateString(state: ProgressState): string {
  const name = progressStateNames[state];
  if (name === undefined) throw new Error(`unknown progress state ${state as number}`);
  return name;
}
