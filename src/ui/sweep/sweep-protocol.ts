// What the app's background sweep sends to a worker and gets back: one seed per job, run to the
// end with runSimulation under the sweep's options, answered with a one-line summary. Shared by
// the Web Worker entry (sweep-worker.ts) and by tests that run the jobs in-process.
import type { BugName } from '../../sim/bugs';
import { describeFailure, failureKind } from '../../sim/bug-search';
import type { FaultKind } from '../../sim/nemesis/plan';
import { runSimulation } from '../../sim/run';

/** The run options a sweep varies the seed under (the app's current options). */
export interface SweepRunOptions {
  nodeCount: number;
  /** Safety-phase length in simulated milliseconds. */
  timeMs: number;
  /** The faults switched on; undefined lets each seed choose. */
  nemesis?: readonly FaultKind[];
  bugs: readonly BugName[];
}

export interface SweepJob {
  seed: number;
  options: SweepRunOptions;
}

export interface SweepOutcome {
  seed: number;
  failed: boolean;
  /** One line: what failed (or the error that stopped the run); null when it passed. */
  failure: string | null;
  /** The failure's kind (an invariant, linearizability, liveness or error). */
  kind: string | null;
}

export function runSweepJob(job: SweepJob): SweepOutcome {
  const { nodeCount, timeMs, nemesis, bugs } = job.options;
  try {
    const report = runSimulation({ seed: job.seed, nodeCount, timeMs, nemesis, bugs });
    return {
      seed: job.seed,
      failed: report.failed,
      failure: report.failed ? describeFailure(report) : null,
      kind: failureKind(report),
    };
  } catch (error) {
    return {
      seed: job.seed,
      failed: true,
      failure: `error: ${(error as Error).message}`,
      kind: 'error',
    };
  }
}
