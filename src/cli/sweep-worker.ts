// A sweep worker (node worker_threads): runs one simulator seed per request and answers with a
// summary. The main thread hands out seeds one at a time, so a slow seed never holds others.
import { parentPort } from 'node:worker_threads';
import { describeFailure, failureKind } from '../sim/bug-search';
import { runSimulation, type RunOptions } from '../sim/run';

export interface SweepRequest {
  seed: number;
  options: Omit<RunOptions, 'seed'>;
}

export interface SweepResult {
  seed: number;
  failed: boolean;
  /** One line: what failed (or the error that stopped the run). */
  failure: string | null;
  kind: string | null;
  transcriptHash: string | null;
}

export function runSeed(request: SweepRequest): SweepResult {
  try {
    const report = runSimulation({ ...request.options, seed: request.seed });
    return {
      seed: request.seed,
      failed: report.failed,
      failure: report.failed ? describeFailure(report) : null,
      kind: failureKind(report),
      transcriptHash: report.simulation.transcriptHash,
    };
  } catch (error) {
    return {
      seed: request.seed,
      failed: true,
      failure: `error: ${(error as Error).message}`,
      kind: 'error',
      transcriptHash: null,
    };
  }
}

parentPort?.on('message', (request: SweepRequest) => {
  parentPort!.postMessage(runSeed(request));
});
