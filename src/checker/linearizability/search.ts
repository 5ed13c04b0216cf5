// The Wing–Gong search with Lowe's memoisation ("WGL"), for one partition of a history.
//
// Invocations and completions sit in a doubly linked list in real-time order. The search walks
// the list from its head: an invocation met before any completion may take effect next, so it
// is tried (the model must accept it), then lifted out of the list with its completion; meeting a
// completion means the operations before it cannot be ordered any further, so the search
// backtracks. A cache of (linearized set, state) pairs stops it exploring the same point twice.
// Operations whose outcome is unknown have no completion (they may take effect at any point
// after their invocation) and need not be linearized at all: they sit in a second list, tried
// after the required ones, and the search succeeds once every required operation is placed.
import type { Operation } from './history';
import type { Fate, Model } from './model';
import { Bitset, SearchCache } from './search-cache';

export interface LinearizationStep<State> {
  operationId: number;
  stateAfter: State;
}

/** Where the search got furthest on a history it could not linearize, as data for a report. */
export interface PartitionFailure<State, Input, Output> {
  key: string;
  /**
   * The first operation that cannot be placed: on the search's furthest path, every operation
   * that completed before this one's completion is linearized, but no order lets this one in.
   */
  blocking: Operation<Input, Output>;
  /**
   * `blocking`, then the other operations running at that point whose reported result
   * contradicts the state reached there.
   */
  unplaceable: Operation<Input, Output>[];
  /**
   * The longest prefix explained: the history's events before this position (the blocking
   * completion) are linearized by `linearization`.
   */
  prefixEndIndex: number;
  /** The operations placed on the furthest path, in order, with the state after each. */
  linearization: LinearizationStep<State>[];
  /** The state at the furthest point. */
  state: State;
}

export type PartitionOutcome<State, Input, Output> =
  | { verdict: 'linearizable'; linearization: LinearizationStep<State>[] }
  | { verdict: 'not-linearizable'; failure: PartitionFailure<State, Input, Output> }
  | { verdict: 'unknown'; reason: string };

/** Shared by all partitions of one check: the limits and what has been spent. */
export interface SearchBudget {
  steps: number;
  stepsMax: number;
  now: () => number;
  deadline: number;
  cacheBytesMax: number;
  timeLimitText: string;
}

/** How often (in steps) the clock is read: reading it every step would dominate. */
const clockCheckIntervalSteps = 1024;

interface ListEntry {
  /** Index into the partition's searched operations. */
  operation: number;
  position: number;
  isCall: boolean;
  /** For a call: its completion, or null when its outcome is unknown (never required). */
  match: ListEntry | null;
  prev: ListEntry | null;
  next: ListEntry | null;
}

interface Frame<State> {
  entry: ListEntry;
  stateBefore: State;
  /** For an optional entry: the completion that bounded the scan it was taken in. */
  blockingReturn: ListEntry | null;
}

interface Lists {
  /** Required operations' invocations and completions, in real-time order. */
  head: ListEntry;
  /** Optional operations' invocations (they have no completion), in real-time order. */
  optionalHead: ListEntry;
}

function newHead(): ListEntry {
  return { operation: -1, position: -1, isCall: false, match: null, prev: null, next: null };
}

function link(entries: ListEntry[]): ListEntry {
  entries.sort((a, b) => a.position - b.position);
  const head = newHead();
  let last = head;
  for (const entry of entries) {
    last.next = entry;
    entry.prev = last;
    last = entry;
  }
  return head;
}

function buildLists<Input, Output>(operations: Operation<Input, Output>[], fates: Fate[]): Lists {
  const required: ListEntry[] = [];
  const optional: ListEntry[] = [];
  operations.forEach((operation, index) => {
    const call: ListEntry = {
      operation: index,
      position: operation.invokeIndex,
      isCall: true,
      match: null,
      prev: null,
      next: null,
    };
    if (fates[index] !== 'required') {
      optional.push(call);
      return;
    }
    if (operation.completeIndex === null) {
      throw new Error(`operation ${operation.id} is required but never completed`);
    }
    call.match = { ...call, position: operation.completeIndex, isCall: false };
    required.push(call, call.match);
  });
  return { head: link(required), optionalHead: link(optional) };
}

function findTwins<State, Input, Output>(
  model: Model<State, Input, Output>,
  operations: Operation<Input, Output>[],
  fates: Fate[],
): Int32Array {
  const previous = new Int32Array(operations.length).fill(-1);
  if (model.inputKey === undefined) return previous;
  const lastByKey = new Map<string, number>();
  operations.forEach((operation, index) => {
    if (fates[index] !== 'optional') return;
    const key = model.inputKey!(operation.input);
    previous[index] = lastByKey.get(key) ?? -1;
    lastByKey.set(key, index);
  });
  return previous;
}

function lift(entry: ListEntry): void {
  entry.prev!.next = entry.next;
  if (entry.next !== null) entry.next.prev = entry.prev;
  const match = entry.match;
  if (match === null) return;
  match.prev!.next = match.next;
  if (match.next !== null) match.next.prev = match.prev;
}

/** Undoes `lift`; lifts are undone in reverse order, so neighbours are as they were. */
function unlift(entry: ListEntry): void {
  const match = entry.match;
  if (match !== null) {
    match.prev!.next = match;
    if (match.next !== null) match.next.prev = match;
  }
  entry.prev!.next = entry;
  if (entry.next !== null) entry.next.prev = entry;
}

function overBudget(budget: SearchBudget, cache: SearchCache<unknown>): string | null {
  if (budget.steps >= budget.stepsMax) return `step limit of ${budget.stepsMax} reached`;
  if (cache.bytes > budget.cacheBytesMax) {
    return `memory limit of ${Math.round(budget.cacheBytesMax / 2 ** 20)} MiB for the search cache reached`;
  }
  if (budget.steps % clockCheckIntervalSteps === 0 && budget.now() >= budget.deadline) {
    return `time limit of ${budget.timeLimitText} reached`;
  }
  return null;
}

class PartitionSearch<State, Input, Output> {
  private readonly fates: Fate[];
  private readonly head: ListEntry;
  private readonly optionalHead: ListEntry;
  /**
   * For an optional operation: the previous optional operation with the same input, or -1.
   * Invariant: of each such chain, the linearized operations are a prefix, because one is taken
   * only once its predecessor is (the swap argument: both are already invoked wherever the
   * later one could be taken, and have the same effect, so using the earlier one loses nothing).
   */
  private readonly previousTwin: Int32Array;
  private readonly bits: Bitset;
  private readonly cache: SearchCache<State>;
  private readonly stack: Frame<State>[] = [];
  private state: State;
  private failure: PartitionFailure<State, Input, Output> | null = null;

  constructor(
    private readonly model: Model<State, Input, Output>,
    private readonly key: string,
    private readonly operations: Operation<Input, Output>[],
    private readonly budget: SearchBudget,
  ) {
    this.fates = operations.map((operation) => model.fate(operation));
    if (this.fates.includes('absent')) throw new Error('absent operations must be filtered out');
    const lists = buildLists(operations, this.fates);
    this.head = lists.head;
    this.optionalHead = lists.optionalHead;
    this.previousTwin = findTwins(model, operations, this.fates);
    this.bits = new Bitset(operations.length);
    this.cache = new SearchCache(model.equal, model.hash);
    this.state = model.init();
  }

  /**
   * The children of a search point are the required invocations before the first completion
   * (phase one, main list), then the optional invocations before that completion (phase two,
   * `blocking` set). Trying required operations first finds a linearization sooner; the order
   * does not change which points are reachable, so the search stays exhaustive.
   */
  run(): PartitionOutcome<State, Input, Output> {
    let remaining = this.fates.filter((fate) => fate === 'required').length;
    let entry = this.head.next;
    let blocking: ListEntry | null = null;
    while (remaining > 0) {
      this.budget.steps++;
      const exhausted = overBudget(this.budget, this.cache as SearchCache<unknown>);
      if (exhausted !== null) return { verdict: 'unknown', reason: this.unknownReason(exhausted) };
      if (blocking === null) {
        // Invariant: a required operation is still in the list, so its completion lies ahead.
        if (entry === null) throw new Error('search ran off the end of the list');
        if (!entry.isCall) {
          blocking = entry;
          entry = this.optionalHead.next;
        } else if (this.tryLinearize(entry, null)) {
          remaining--;
          entry = this.head.next;
        } else {
          entry = entry.next;
        }
        continue;
      }
      if (entry !== null && entry.position < blocking.position) {
        if (this.tryLinearize(entry, blocking)) {
          entry = this.head.next;
          blocking = null;
        } else {
          entry = entry.next;
        }
        continue;
      }
      this.noteFurthest(blocking);
      const frame = this.stack.pop();
      if (frame === undefined) return { verdict: 'not-linearizable', failure: this.failure! };
      this.bits.delete(frame.entry.operation);
      this.state = frame.stateBefore;
      if (this.fates[frame.entry.operation] === 'required') remaining++;
      unlift(frame.entry);
      entry = frame.entry.next;
      blocking = frame.blockingReturn;
    }
    return { verdict: 'linearizable', linearization: this.currentLinearization() };
  }

  /** Takes `entry`'s operation next if the model allows it and the point is new. */
  private tryLinearize(entry: ListEntry, blockingReturn: ListEntry | null): boolean {
    const twin = this.previousTwin[entry.operation];
    if (twin >= 0 && !this.bits.has(twin)) return false;
    const operation = this.operations[entry.operation];
    const fate = this.fates[entry.operation];
    const result = this.model.step(this.state, operation, fate);
    if (!result.ok) return false;
    // An optional operation that changes nothing here is never worth taking here: leaving it out
    // reaches the same state, and it stays available for later (it has no completion).
    if (fate === 'optional' && this.model.equal(result.state, this.state)) return false;
    this.bits.add(entry.operation);
    if (!this.cache.add(this.bits, result.state)) {
      this.bits.delete(entry.operation);
      return false;
    }
    this.stack.push({ entry, stateBefore: this.state, blockingReturn });
    this.state = result.state;
    lift(entry);
    return true;
  }

  private currentLinearization(): LinearizationStep<State>[] {
    return this.stack.map((frame, index) => ({
      operationId: this.operations[frame.entry.operation].id,
      stateAfter: index + 1 < this.stack.length ? this.stack[index + 1].stateBefore : this.state,
    }));
  }

  /** Keeps the failure data of the furthest completion the search could not get past. */
  private noteFurthest(completion: ListEntry): void {
    if (this.failure !== null && this.failure.prefixEndIndex >= completion.position) return;
    const blocking = this.operations[completion.operation];
    const unplaceable = [blocking];
    for (let entry = this.head.next; entry !== completion && entry !== null; entry = entry.next) {
      if (!entry.isCall || entry.operation === completion.operation) continue;
      const fate = this.fates[entry.operation];
      const operation = this.operations[entry.operation];
      if (fate === 'required' && !this.model.step(this.state, operation, fate).ok) {
        unplaceable.push(operation);
      }
    }
    this.failure = {
      key: this.key,
      blocking,
      unplaceable,
      prefixEndIndex: completion.position,
      linearization: this.currentLinearization(),
      state: this.state,
    };
  }

  private unknownReason(exhausted: string): string {
    const where = this.key === '' ? '' : ` on key ${JSON.stringify(this.key)}`;
    const placed = this.failure === null ? 0 : this.failure.linearization.length;
    return (
      `${exhausted}${where} after ${this.budget.steps} search steps ` +
      `(${this.operations.length} operations; the furthest path placed ${placed})`
    );
  }
}

/**
 * Searches one partition. `operations` must exclude those whose fate is `absent`, and be in
 * invocation order.
 */
export function searchPartition<State, Input, Output>(
  model: Model<State, Input, Output>,
  key: string,
  operations: Operation<Input, Output>[],
  budget: SearchBudget,
): PartitionOutcome<State, Input, Output> {
  return new PartitionSearch(model, key, operations, budget).run();
}
