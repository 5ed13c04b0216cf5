// A client history as the linearizability checker sees it: operations, each an invocation and
// (perhaps) a completion, ordered in real time by the positions of their events.

/** A client process. Jepsen numbers its workers; the simulator may name them. */
export type ProcessId = number | string;

/**
 * How an operation ended, as the client saw it:
 * - `ok`: it took effect exactly once, at some instant between its invocation and completion;
 * - `fail`: it definitely did not take effect (a model may read some failures as an observed
 *   outcome instead, see `Model.fate`);
 * - `info`: unknown; it may have taken effect at any instant after its invocation, or never.
 *   An operation that never completed (still open when the history ends) is `info` too.
 */
export type Completion = 'ok' | 'fail' | 'info';

export interface Operation<Input, Output> {
  /** Dense, 0-based, in invocation order. */
  id: number;
  process: ProcessId;
  input: Input;
  completion: Completion;
  /** What the completion reported; undefined when the outcome is unknown. */
  output: Output | undefined;
  /**
   * Position of the invocation event in the history. Positions are distinct across all events;
   * real time is their order: `a` precedes `b` when `a.completeIndex < b.invokeIndex`.
   */
  invokeIndex: number;
  /** Position of the completion event; null when the operation never completed. */
  completeIndex: number | null;
  /** Optional clock readings (milliseconds) for display only; ordering uses the indexes. */
  invokeTime?: number;
  completeTime?: number;
  /** Optional 1-based source lines, so a report can point into the file. */
  invokeLine?: number;
  completeLine?: number;
}

/** Events a history may hold at most: a named limit so bitsets and lists stay bounded. */
export const historyOperationsMax = 1_000_000;

/**
 * Asserts the history's shape (a programmer error otherwise): dense ids in invocation order,
 * distinct event positions, completions after invocations, and no process with two completed
 * operations overlapping.
 */
export function assertWellFormed<Input, Output>(
  operations: readonly Operation<Input, Output>[],
): void {
  if (operations.length > historyOperationsMax) {
    throw new Error(`history has ${operations.length} operations, above ${historyOperationsMax}`);
  }
  const positions = new Set<number>();
  const busyUntil = new Map<ProcessId, number>();
  for (let i = 0; i < operations.length; i++) {
    const operation = operations[i];
    if (operation.id !== i) throw new Error(`operation at ${i} has id ${operation.id}`);
    if (i > 0 && operations[i - 1].invokeIndex >= operation.invokeIndex) {
      throw new Error(`operation ${i} is not in invocation order`);
    }
    for (const position of [operation.invokeIndex, operation.completeIndex]) {
      if (position === null) continue;
      if (!Number.isInteger(position) || positions.has(position)) {
        throw new Error(`operation ${i}: event position ${position} is not a distinct integer`);
      }
      positions.add(position);
    }
    if (operation.completeIndex !== null && operation.completeIndex < operation.invokeIndex) {
      throw new Error(`operation ${i} completes before it is invoked`);
    }
    if (operation.completeIndex === null && operation.completion !== 'info') {
      throw new Error(`operation ${i} never completed but is marked ${operation.completion}`);
    }
    const busy = busyUntil.get(operation.process);
    if (busy !== undefined && busy > operation.invokeIndex) {
      throw new Error(`process ${String(operation.process)} invokes operation ${i} while busy`);
    }
    // An operation with an unknown outcome does not keep its process busy: a client that timed
    // out may move on (Jepsen gives it a new process id, a simulated client may not).
    if (operation.completeIndex !== null) busyUntil.set(operation.process, operation.completeIndex);
  }
}

/**
 * `a` is over before `b` starts, so a linearization holding both places `a` first. An `info`
 * operation is never over: it may take effect after its completion was reported.
 */
export function precedes<Input, Output>(
  a: Operation<Input, Output>,
  b: Operation<Input, Output>,
): boolean {
  return a.completion !== 'info' && a.completeIndex !== null && a.completeIndex < b.invokeIndex;
}

/** "lines 57-60" / "line 57, never completed": where an operation sits in its source file. */
export function describeLines<Input, Output>(operation: Operation<Input, Output>): string {
  const invoke = operation.invokeLine ?? operation.invokeIndex;
  const unit = operation.invokeLine === undefined ? 'events' : 'lines';
  if (operation.completeIndex === null)
    return `${unit === 'lines' ? 'line' : 'event'} ${invoke}, never completed`;
  const complete = operation.completeLine ?? operation.completeIndex;
  return `${unit} ${invoke}-${complete}`;
}
