// A sweep worker (node worker_threads): runs one simulator seed per request and answers with a
// summary. The main thread hands out seeds one at a time, so a slow seed never holds others.
// A durable sweep runs each seed's node hosts in-process inside the worker (one thread per seed,
// not per node), which gives the same transcript as any other driver.
import { parentPort } from 'node:worker_threads';
import { describeFailure, failureKind } from '../sim/bug-search';
import { runDurableSimulation, type DurableRunOptions } from '../sim/durable/durable-run';
import { runSimulation, type RunReport } from '../sim/run';

export interface SweepRequest {
  seed: number;
  /** The run's options; `engine` and `diskFaults` mean something only when `durable`. */
  options: Omit<DurableRunOptions, 'seed' | 'drivers' | 'driverName'>;
  /** Run node hosts on disks (`raftlab run --durable`) instead of the in-memory nodes. */
  durable?: boolean;
}

export interface SweepResult {
  seed: number;
  failed: boolean;
  /** One line: what failed (or the error that stopped the run). */
  failure: string | null;
  kind: string | null;
  transcriptHash: string | null;
  /** The history's verdict; null when the run stopped before the check (violation or error). */
  linearizability: 'linearizable' | 'not-linearizable' | 'unknown' | null;
}

export async function runSeed(request: SweepRequest): Promise<SweepResult> {
  try {
    const options = { ...request.options, seed: request.seed };
    const report: RunReport =
      request.durable === true ? await runDurableSimulation(options) : runSimulation(options);
    return {
      seed: request.seed,
      failed: report.failed,
      failure: report.failed ? describeFailure(report) : null,
      kind: failureKind(report),
      transcriptHash: report.simulation.transcriptHash,
      linearizability: report.linearizability?.verdict ?? null,
    };
  } catch (error) {
    return {
      seed: request.seed,
      failed: true,
      failure: `error: ${(error as Error).message}`,
      kind: 'error',
      transcriptHash: null,
      linearizability: null,
    };
  }
}

parentPort?.on('message', (request: SweepRequest) => {
  void runSeed(request).then((result) => parentPort!.postMessage(result));
});
