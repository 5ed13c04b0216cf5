// The client history as the linearizability timeline draws it: each operation with its client,
// key, invocation and completion times and how it ended, plus what the checker found. When the
// history is not linearizable, the first operation that cannot be placed (the checker's
// `blocking` operation of the failing key that completed first), the others running then whose
// results contradict the state reached, the operations the search's furthest path did place, and
// the end of the longest prefix it explained. Plain data: no React, no checker state objects.
import { checkHistory, describeVerdict } from '../../checker/linearizability/check';
import type { Completion } from '../../checker/linearizability/history';
import { checkStepsMaxDefault } from '../../sim/run';
import {
  toOperations,
  type HistoryEvent,
  type KvRegisterOperation,
} from '../../sim/workload/history';
import { kvRegisterModel } from '../../sim/workload/kv-register-model';

/** How the checker saw an operation. */
export type OperationStatus =
  /** The first operation no order can place. */
  | 'impossible'
  /** Running when the search stalled, with a result the state reached there contradicts. */
  | 'unplaceable'
  /** Placed: in the witness order, or on the furthest path of a failed search. */
  | 'linearized'
  /** Not placed (never needed: failed or unknown outcome, or past where the search stopped). */
  | 'open';

export interface TimelineOperation {
  /** The checker's operation id (0-based, in invocation order). */
  id: number;
  process: number;
  key: string;
  /** e.g. `put k1=3-4`, `get k1 → nil`, `cas k1 nil→2-7`. */
  text: string;
  completion: Completion;
  invokeMs: number;
  /** Null while the operation is still open. */
  completeMs: number | null;
  status: OperationStatus;
}

export type LinearizabilityVerdict = 'linearizable' | 'not-linearizable' | 'unknown';

export interface LinearizabilityView {
  verdict: LinearizabilityVerdict;
  /** The checker's one line, as `raftlab run` prints it. */
  text: string;
  operations: TimelineOperation[];
  /** The operation marked as the first that cannot be placed (null unless not linearizable). */
  firstImpossibleId: number | null;
  /** The key whose history failed first. */
  failingKey: string | null;
  /**
   * The longest linearizable prefix of the failing key's history ends at this time (the first
   * impossible operation's completion); null unless not linearizable.
   */
  prefixEndMs: number | null;
  /** The latest time in the history (invocations and completions). */
  endMs: number;
}

/** Operations a timeline keeps: beyond it the oldest are left out (and counted). */
export const timelineOperationsMax = 20_000;

function describeOperation(operation: KvRegisterOperation): string {
  const { input } = operation;
  const value = (text: string | null | undefined): string =>
    text === undefined ? '?' : text === null ? 'nil' : text;
  switch (input.f) {
    case 'read':
      return `get ${input.key} → ${operation.completion === 'ok' ? value(operation.output as string | null) : '?'}`;
    case 'write':
      return `put ${input.key}=${value(input.value as string)}`;
    case 'cas':
      return `cas ${input.key} ${value(input.from as string | null)}→${value(input.to as string)}`;
  }
}

/** Checks `history` and returns what the timeline draws. */
export function linearizabilityViewOf(
  history: readonly HistoryEvent[],
  stepsMax = checkStepsMaxDefault,
): LinearizabilityView {
  const operations = toOperations(history);
  const result = checkHistory(kvRegisterModel, operations, { stepsMax });
  const status = new Map<number, OperationStatus>();
  let firstImpossibleId: number | null = null;
  let failingKey: string | null = null;
  let prefixEndMs: number | null = null;
  if (result.verdict === 'not-linearizable') {
    const failure = result.firstFailure;
    for (const step of failure.linearization) status.set(step.operationId, 'linearized');
    for (const operation of failure.unplaceable) status.set(operation.id, 'unplaceable');
    status.set(failure.blocking.id, 'impossible');
    firstImpossibleId = failure.blocking.id;
    failingKey = failure.key;
    prefixEndMs = history[failure.prefixEndIndex]?.timeMs ?? null;
  } else {
    for (const partition of result.partitions)
      if (partition.outcome.verdict === 'linearizable')
        for (const step of partition.outcome.linearization)
          status.set(step.operationId, 'linearized');
  }
  return {
    verdict: result.verdict,
    text: describeVerdict(kvRegisterModel, result),
    operations: operations.slice(-timelineOperationsMax).map((operation) => ({
      id: operation.id,
      process: operation.process as number,
      key: operation.input.key,
      text: describeOperation(operation),
      completion: operation.completion,
      invokeMs: operation.invokeTime ?? 0,
      completeMs: operation.completeIndex === null ? null : (operation.completeTime ?? 0),
      status: status.get(operation.id) ?? 'open',
    })),
    firstImpossibleId,
    failingKey,
    prefixEndMs,
    endMs: history.length === 0 ? 0 : history[history.length - 1].timeMs,
  };
}
