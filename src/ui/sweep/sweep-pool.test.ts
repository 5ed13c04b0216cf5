// The background sweep's pool, with in-process workers: every seed of the range gets exactly one
// outcome, the outcomes equal runSimulation's verdicts, and a crashed worker's seed is reported.
import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../sim/run';
import { SweepPool, sweepRangeProblem, type SweepWorkerLike } from './sweep-pool';
import { runSweepJob, type SweepOutcome, type SweepRunOptions } from './sweep-protocol';

function inProcessWorker(crashOnSeed: number | null = null): SweepWorkerLike {
  const worker: SweepWorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage(job) {
      queueMicrotask(() => {
        if (job.seed === crashOnSeed) worker.onerror?.({ message: 'boom' });
        else worker.onmessage?.({ data: runSweepJob(job) });
      });
    },
    terminate() {
      worker.onmessage = null;
    },
  };
  return worker;
}

function sweep(options: SweepRunOptions, createWorker: () => SweepWorkerLike, last = 6) {
  return new Promise<SweepOutcome[]>((resolve) => {
    const outcomes: SweepOutcome[] = [];
    new SweepPool({
      firstSeed: 1,
      lastSeed: last,
      options,
      workerCount: 3,
      createWorker,
      onOutcome: (outcome) => outcomes.push(outcome),
      onDone: () => resolve(outcomes),
    });
  });
}

const buggy: SweepRunOptions = {
  nodeCount: 3,
  timeMs: 2_000,
  nemesis: ['partition', 'crash', 'loss'],
  bugs: ['apply-before-commit'],
};

describe('the background sweep pool', () => {
  it('gives every seed one outcome, the same verdict runSimulation gives', async () => {
    const outcomes = await sweep(buggy, () => inProcessWorker());
    expect(outcomes.map((outcome) => outcome.seed).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
    for (const outcome of outcomes) {
      const report = runSimulation({ seed: outcome.seed, ...buggy });
      expect(outcome.failed).toBe(report.failed);
    }
    expect(outcomes.some((outcome) => outcome.failed)).toBe(true);
  });

  it('reports the seed of a worker that crashed as an error and finishes the range', async () => {
    const options = { ...buggy, bugs: [] };
    const outcomes = await sweep(options, () => inProcessWorker(2), 4);
    expect(outcomes).toHaveLength(4);
    expect(outcomes.find((outcome) => outcome.seed === 2)).toMatchObject({
      failed: true,
      kind: 'error',
      failure: 'error: boom',
    });
  });

  it('refuses ranges that are backwards or too long', () => {
    expect(sweepRangeProblem({ firstSeed: 5, lastSeed: 4 })).toMatch(/before/);
    expect(sweepRangeProblem({ firstSeed: 1, lastSeed: 1e6 })).toMatch(/at most/);
    expect(sweepRangeProblem({ firstSeed: 1, lastSeed: 10 })).toBeNull();
  });
});
