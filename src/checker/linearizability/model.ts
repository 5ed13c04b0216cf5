// The sequential specification a history is checked against.
import type { Operation } from './history';

export interface StepResult<State> {
  /** False when the operation's reported outcome is impossible from this state. */
  ok: boolean;
  /** The state after the operation takes effect (ignored when `ok` is false). */
  state: State;
}

/**
 * What the search must do with an operation:
 * - `required`: it took effect, once, between invocation and completion, with the reported output;
 * - `optional`: it may have taken effect at any instant after its invocation, or never; its output
 *   is unknown, so `step` must only apply its effect;
 * - `absent`: it certainly had no effect (a failed write, or any read whose result is unknown),
 *   so the search leaves it out.
 */
export type Fate = 'required' | 'optional' | 'absent';

/** One independent sub-history (P-compositionality): checked alone, with a fresh `init()`. */
export interface Partition<Input, Output> {
  /** A name for reports: the key, or "" for a model with a single object. */
  key: string;
  operations: Operation<Input, Output>[];
}

export interface Model<State, Input, Output> {
  name: string;
  init(): State;
  /**
   * Applies `operation` to `state`. For a `required` operation, `ok` says whether its reported
   * output is possible here. For an `optional` one the output is unknown: `ok` must then be true
   * (an unknown outcome is never impossible), only the effect is computed.
   * Must not mutate `state`.
   */
  step(state: State, operation: Operation<Input, Output>, fate: Fate): StepResult<State>;
  equal(a: State, b: State): boolean;
  /** A 32-bit hash consistent with `equal`. */
  hash(state: State): number;
  fate(operation: Operation<Input, Output>): Fate;
  /**
   * Splits a history into independent parts whose states do not interact. Every operation must
   * land in exactly one part, in the same relative order.
   */
  partition(operations: Operation<Input, Output>[]): Partition<Input, Output>[];
  /**
   * Optional: a key equal for two inputs exactly when they have the same effect from every
   * state. Unknown-outcome operations with equal keys are then interchangeable, and the search
   * tries only the earliest unused one of each kind.
   */
  inputKey?(input: Input): string;
  /** e.g. `process 3: read -> 2`, for reports. */
  describeOperation(operation: Operation<Input, Output>): string;
  describeState(state: State): string;
}

/** Jepsen's reading of completions: ok happened, fail did not, info may have. */
export function defaultFate<Input, Output>(operation: Operation<Input, Output>): Fate {
  if (operation.completion === 'ok') return 'required';
  if (operation.completion === 'fail') return 'absent';
  return 'optional';
}

/** FNV-1a over a string's UTF-16 code units: cheap, deterministic, good enough for a cache. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Mixes a 32-bit integer (murmur3's finaliser), so nearby ids spread over the hash space. */
export function mix32(value: number): number {
  let x = value | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
