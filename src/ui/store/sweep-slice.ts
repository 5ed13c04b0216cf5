// The sweep slice of the app's store: the background sweep's range, options, progress and
// outcomes (plain data; the workers live in sweep-actions.ts).
import type { StateCreator } from 'zustand/vanilla';
import type { BugName } from '../../sim/bugs';
import type { SweepOutcome } from '../sweep/sweep-protocol';

export interface SweepState {
  panelOpen: boolean;
  firstSeed: number;
  lastSeed: number;
  /** Safety-phase length of each seed's run, simulated milliseconds. */
  timeMs: number;
  /** The bug switch the sweep runs with ('none': the engine as etcd has it). */
  bug: BugName | 'none';
  running: boolean;
  /** Seeds in the sweep (last - first + 1) and how many have an outcome. */
  total: number;
  finished: number;
  failedCount: number;
  /** The failing seeds' outcomes, sorted by seed. */
  failures: SweepOutcome[];
  workerCount: number;
  /** Why the last sweep could not start, or null. */
  problem: string | null;
}

export interface SweepSlice {
  sweep: SweepState;
}

export const initialSweepState: SweepState = {
  panelOpen: false,
  firstSeed: 1,
  lastSeed: 20,
  timeMs: 5_000,
  bug: 'none',
  running: false,
  total: 0,
  finished: 0,
  failedCount: 0,
  failures: [],
  workerCount: 0,
  problem: null,
};

export const sweepSlice: StateCreator<SweepSlice, [], [], SweepSlice> = () => ({
  sweep: initialSweepState,
});
