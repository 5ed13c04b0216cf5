// Checks a whole history: splits it into independent partitions (P-compositionality), searches
// each within one shared budget, and combines the verdicts.
import { assertWellFormed, describeLines, type Operation } from './history';
import type { Model } from './model';
import {
  searchPartition,
  type LinearizationStep,
  type PartitionFailure,
  type PartitionOutcome,
  type SearchBudget,
} from './search';

export interface CheckOptions {
  /** Search steps over all partitions; the verdict is `unknown` beyond it. */
  stepsMax?: number;
  /** Wall-clock limit; needs `now` (the checker reads no clock of its own). */
  timeLimitMs?: number;
  /** A clock in milliseconds, e.g. `() => performance.now()`. */
  now?: () => number;
  /** Estimated bytes the search caches may hold. */
  cacheBytesMax?: number;
}

export const checkStepsMaxDefault = 200_000_000;
export const checkCacheBytesMaxDefault = 1024 * 2 ** 20;

export interface PartitionResult<State, Input, Output> {
  key: string;
  /** Operations in the partition, and how many the search had to consider (not `absent`). */
  operationCount: number;
  searchedCount: number;
  outcome: PartitionOutcome<State, Input, Output>;
}

interface CheckResultBase<State, Input, Output> {
  partitions: PartitionResult<State, Input, Output>[];
  steps: number;
}

export type CheckResult<State, Input, Output> = CheckResultBase<State, Input, Output> &
  (
    | { verdict: 'linearizable' }
    | {
        verdict: 'not-linearizable';
        /** Of the failing partitions, the one whose blocking operation completed first. */
        firstFailure: PartitionFailure<State, Input, Output>;
        failures: PartitionFailure<State, Input, Output>[];
      }
    | { verdict: 'unknown'; reason: string }
  );

function createBudget(options: CheckOptions): SearchBudget {
  const limit = options.timeLimitMs;
  if (limit !== undefined && (!(limit > 0) || options.now === undefined)) {
    throw new Error('timeLimitMs must be positive and comes with a clock (now)');
  }
  const now = options.now ?? (() => 0);
  return {
    steps: 0,
    stepsMax: options.stepsMax ?? checkStepsMaxDefault,
    now,
    deadline: limit === undefined ? Number.POSITIVE_INFINITY : now() + limit,
    cacheBytesMax: options.cacheBytesMax ?? checkCacheBytesMaxDefault,
    timeLimitText: limit === undefined ? '' : `${limit / 1000} s`,
  };
}

export function checkHistory<State, Input, Output>(
  model: Model<State, Input, Output>,
  operations: Operation<Input, Output>[],
  options: CheckOptions = {},
): CheckResult<State, Input, Output> {
  assertWellFormed(operations);
  const budget = createBudget(options);
  const partitions = model.partition(operations);
  const total = partitions.reduce((sum, partition) => sum + partition.operations.length, 0);
  if (total !== operations.length) throw new Error(`${model.name}: partition lost operations`);
  // Small partitions first: a cheap failure is decisive even if a big partition runs out.
  const order = partitions.map((_, index) => index);
  order.sort((a, b) => partitions[a].operations.length - partitions[b].operations.length || a - b);
  const results: PartitionResult<State, Input, Output>[] = new Array(partitions.length);
  let unknownReason: string | null = null;
  for (const index of order) {
    const { key, operations: all } = partitions[index];
    const searched = all.filter((operation) => model.fate(operation) !== 'absent');
    const outcome = searchPartition(model, key, searched, budget);
    results[index] = { key, operationCount: all.length, searchedCount: searched.length, outcome };
    // The first partition (in search order) that ran out is the one that spent the budget; the
    // ones after it were never searched, so its reason is the one to report.
    if (outcome.verdict === 'unknown') unknownReason ??= outcome.reason;
  }
  return combine(results, budget.steps, unknownReason);
}

function combine<State, Input, Output>(
  partitions: PartitionResult<State, Input, Output>[],
  steps: number,
  reason: string | null,
): CheckResult<State, Input, Output> {
  const failures: PartitionFailure<State, Input, Output>[] = [];
  for (const { outcome } of partitions) {
    if (outcome.verdict === 'not-linearizable') failures.push(outcome.failure);
  }
  if (failures.length > 0) {
    const firstFailure = failures.reduce((first, failure) =>
      failure.prefixEndIndex < first.prefixEndIndex ? failure : first,
    );
    return { verdict: 'not-linearizable', firstFailure, failures, partitions, steps };
  }
  if (reason !== null) return { verdict: 'unknown', reason, partitions, steps };
  return { verdict: 'linearizable', partitions, steps };
}

/** The witness of a linearizable history: each partition's order, as operation ids. */
export function linearizationOf<State, Input, Output>(
  result: CheckResult<State, Input, Output>,
): LinearizationStep<State>[][] {
  return result.partitions.map(({ outcome }) =>
    outcome.verdict === 'linearizable' ? outcome.linearization : [],
  );
}

/** One line for a person: "linearizable", "not linearizable (<operation>)", "unknown (<why>)". */
export function describeVerdict<State, Input, Output>(
  model: Model<State, Input, Output>,
  result: CheckResult<State, Input, Output>,
): string {
  switch (result.verdict) {
    case 'linearizable':
      return 'linearizable';
    case 'not-linearizable': {
      const blocking = result.firstFailure.blocking;
      return `not linearizable (${model.describeOperation(blocking)}, ${describeLines(blocking)})`;
    }
    case 'unknown':
      return `unknown (${result.reason})`;
  }
}
