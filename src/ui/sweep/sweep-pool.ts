// The background sweep's model, without React: a range of seeds run on a few workers, one seed
// per worker at a time, in seed order as workers free up. It reports each outcome as it arrives;
// results come back in completion order, so the caller sorts what it shows.
import type { SweepJob, SweepOutcome, SweepRunOptions } from './sweep-protocol';

/** The part of a Worker the pool uses, so tests can run jobs in-process. */
export interface SweepWorkerLike {
  postMessage(job: SweepJob): void;
  onmessage: ((event: { data: SweepOutcome }) => void) | null;
  onerror: ((event: { message?: string }) => void) | null;
  terminate(): void;
}

/** Seeds one sweep may cover: the results list must stay a size a page can hold. */
export const sweepSeedsMax = 100_000;
export const sweepWorkersMax = 4;

export interface SweepRange {
  firstSeed: number;
  lastSeed: number;
}

export interface SweepPoolOptions extends SweepRange {
  options: SweepRunOptions;
  workerCount: number;
  createWorker: () => SweepWorkerLike;
  onOutcome: (outcome: SweepOutcome) => void;
  /** Called once, when every seed has an outcome (not after cancel). */
  onDone: () => void;
}

/** Why a range cannot be swept, or null when it can. */
export function sweepRangeProblem(range: SweepRange): string | null {
  const { firstSeed, lastSeed } = range;
  if (!Number.isSafeInteger(firstSeed) || !Number.isSafeInteger(lastSeed))
    return 'seeds must be integers';
  if (lastSeed < firstSeed) return 'the last seed comes before the first';
  if (lastSeed - firstSeed + 1 > sweepSeedsMax)
    return `at most ${sweepSeedsMax} seeds in one sweep`;
  return null;
}

export class SweepPool {
  private readonly workers: SweepWorkerLike[] = [];
  private nextSeed: number;
  private pending = 0;
  private stopped = false;

  constructor(private readonly config: SweepPoolOptions) {
    const problem = sweepRangeProblem(config);
    if (problem !== null) throw new Error(problem);
    if (!(Number.isSafeInteger(config.workerCount) && config.workerCount >= 1))
      throw new Error(`workerCount must be a positive integer, got ${config.workerCount}`);
    this.nextSeed = config.firstSeed;
    this.pending = config.lastSeed - config.firstSeed + 1;
    const count = Math.min(config.workerCount, sweepWorkersMax, this.pending);
    for (let index = 0; index < count; index++) this.startWorker();
  }

  get running(): boolean {
    return !this.stopped && this.pending > 0;
  }

  /** Stops every worker; outcomes still in flight are ignored. */
  cancel(): void {
    this.stopped = true;
    for (const worker of this.workers) worker.terminate();
    this.workers.length = 0;
  }

  private startWorker(): void {
    const worker = this.config.createWorker();
    this.workers.push(worker);
    let seed: number | null = null;
    const finish = (outcome: SweepOutcome, alive: boolean): void => {
      if (this.stopped) return;
      seed = null;
      this.pending--;
      this.config.onOutcome(outcome);
      if (this.pending === 0) {
        this.cancel();
        this.config.onDone();
        return;
      }
      if (alive) seed = this.handOut(worker);
      else if (this.workers.every((other) => other.onmessage === null)) this.failRemaining();
    };
    worker.onmessage = (event) => finish(event.data, true);
    worker.onerror = (event) => {
      // A worker that crashed reports its seed as an error and stops taking seeds.
      const lost = seed;
      worker.onmessage = null;
      worker.onerror = null;
      if (lost !== null)
        finish(
          {
            seed: lost,
            failed: true,
            failure: `error: ${event.message ?? 'worker crashed'}`,
            kind: 'error',
          },
          false,
        );
    };
    seed = this.handOut(worker);
  }

  /** Every worker crashed: the seeds not yet run are reported as errors, so the sweep ends. */
  private failRemaining(): void {
    while (!this.stopped && this.nextSeed <= this.config.lastSeed) {
      const seed = this.nextSeed++;
      this.pending--;
      this.config.onOutcome({
        seed,
        failed: true,
        failure: 'error: no worker left',
        kind: 'error',
      });
    }
    if (!this.stopped && this.pending === 0) {
      this.cancel();
      this.config.onDone();
    }
  }

  /** Gives the worker the next seed; null when none are left. */
  private handOut(worker: SweepWorkerLike): number | null {
    if (this.stopped || this.nextSeed > this.config.lastSeed) return null;
    const seed = this.nextSeed++;
    worker.postMessage({ seed, options: this.config.options });
    return seed;
  }
}
