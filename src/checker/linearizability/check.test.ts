// Hand-written histories: the textbook cases, Jepsen's reading of unknown and failed operations,
// the failure data a UI draws, and the budget that turns a hang into "unknown".
import { describe, expect, it } from 'vitest';
import { checkHistory, describeVerdict } from './check';
import type { Completion, Operation } from './history';
import { kvModel, type KvInput, type KvOutput } from './kv-model';
import {
  createRegisterModel,
  registerModel,
  type RegisterInput,
  type RegisterOutput,
} from './register-model';

type Spec<Input, Output> = [
  process: number,
  input: Input,
  invoke: number,
  complete: number | null,
  completion: Completion,
  output?: Output,
];

/** Operations from (process, input, invoke position, completion position, completion, output). */
function history<Input, Output>(specs: Spec<Input, Output>[]): Operation<Input, Output>[] {
  return specs
    .slice()
    .sort((a, b) => a[2] - b[2])
    .map(([process, input, invokeIndex, completeIndex, completion, output], id) => ({
      id,
      process,
      input,
      completion,
      output,
      invokeIndex,
      completeIndex,
    }));
}

const read = { f: 'read' } as const;
const write = (value: number): RegisterInput => ({ f: 'write', value });
const cas = (from: number | null, to: number): RegisterInput => ({ f: 'cas', from, to });

describe('register (Herlihy & Wing: a real-time order every linearization respects)', () => {
  it('accepts a read of a concurrent write, and one that overlaps a later read of the old value', () => {
    // write(100) spans everything; a read sees 100 then a later read sees nil: 6.824's example.
    const ops = history<RegisterInput, RegisterOutput>([
      [0, write(100), 0, 5, 'ok'],
      [1, read, 1, 4, 'ok', 100],
      [2, read, 2, 3, 'ok', null],
    ]);
    expect(checkHistory(registerModel, ops).verdict).toBe('linearizable');
  });

  it('refuses a stale read after a newer read completed, naming the stale read', () => {
    const ops = history<RegisterInput, RegisterOutput>([
      [0, write(200), 0, 5, 'ok'],
      [1, read, 1, 2, 'ok', 200],
      [2, read, 3, 4, 'ok', null],
    ]);
    const result = checkHistory(registerModel, ops);
    expect(result.verdict).toBe('not-linearizable');
    if (result.verdict !== 'not-linearizable') return;
    const failure = result.firstFailure;
    expect(failure.blocking.id).toBe(2);
    expect(failure.unplaceable.map((op) => op.id)).toEqual([2]);
    expect(failure.prefixEndIndex).toBe(4);
    expect(failure.linearization.map((step) => [step.operationId, step.stateAfter])).toEqual([
      [0, 200],
      [1, 200],
    ]);
    expect(describeVerdict(registerModel, result)).toBe(
      'not linearizable (process 2: read -> nil, events 3-4)',
    );
  });

  it('lets an unknown write take effect long after it was reported, or never', () => {
    const late = history<RegisterInput, RegisterOutput>([
      [0, write(1), 0, 1, 'info'],
      [1, read, 2, 3, 'ok', null],
      [1, read, 4, 5, 'ok', 1],
    ]);
    expect(checkHistory(registerModel, late).verdict).toBe('linearizable');
    const never = history<RegisterInput, RegisterOutput>([
      [0, write(1), 0, null, 'info'],
      [1, read, 2, 3, 'ok', null],
    ]);
    expect(checkHistory(registerModel, never).verdict).toBe('linearizable');
  });

  it('uses two identical unknown writes twice when the reads need both', () => {
    // nil, then 1 (first unknown write), then 0 (the ok write), then 1 again (the second one).
    const ops = history<RegisterInput, RegisterOutput>([
      [0, write(1), 0, null, 'info'],
      [1, write(1), 1, null, 'info'],
      [2, read, 2, 3, 'ok', 1],
      [2, write(0), 4, 5, 'ok'],
      [2, read, 6, 7, 'ok', 0],
      [2, read, 8, 9, 'ok', 1],
    ]);
    expect(checkHistory(registerModel, ops).verdict).toBe('linearizable');
    const once = ops.filter((op) => op.id !== 1).map((op, id) => ({ ...op, id }));
    expect(checkHistory(registerModel, once).verdict).toBe('not-linearizable');
  });

  it('never lets an unknown write take effect before it was invoked', () => {
    const ops = history<RegisterInput, RegisterOutput>([
      [1, read, 0, 1, 'ok', 1],
      [0, write(1), 2, null, 'info'],
    ]);
    expect(checkHistory(registerModel, ops).verdict).toBe('not-linearizable');
  });

  it('drops failed writes and reads, and reads a failed cas as an observed mismatch', () => {
    const failedWrite = history<RegisterInput, RegisterOutput>([
      [0, write(1), 0, 1, 'fail'],
      [1, read, 2, 3, 'ok', 1],
    ]);
    expect(checkHistory(registerModel, failedWrite).verdict).toBe('not-linearizable');
    const failedCas = history<RegisterInput, RegisterOutput>([
      [0, cas(null, 1), 0, 1, 'fail'],
      [1, read, 2, 3, 'ok', null],
    ]);
    expect(checkHistory(registerModel, failedCas).verdict).toBe('not-linearizable');
    const dropped = createRegisterModel({ failedCas: 'did-not-happen' });
    expect(checkHistory(dropped, failedCas).verdict).toBe('linearizable');
    const okCas = history<RegisterInput, RegisterOutput>([
      [0, cas(null, 1), 0, 1, 'ok'],
      [1, read, 2, 3, 'ok', 1],
    ]);
    expect(checkHistory(registerModel, okCas).verdict).toBe('linearizable');
  });

  it('accepts the empty history', () => {
    expect(checkHistory(registerModel, []).verdict).toBe('linearizable');
  });
});

describe('kv (P-compositionality: each key alone)', () => {
  const get = (key: string): KvInput => ({ f: 'get', key });
  const append = (key: string, value: string): KvInput => ({ f: 'append', key, value });

  it('checks keys independently and reports the failing key', () => {
    const ops = history<KvInput, KvOutput>([
      [0, append('a', 'x'), 0, 1, 'ok'],
      [1, append('b', 'y'), 2, 3, 'ok'],
      [0, get('a'), 4, 5, 'ok', 'x'],
      [1, get('b'), 6, 7, 'ok', 'yy'],
    ]);
    const result = checkHistory(kvModel, ops);
    expect(result.partitions.map((p) => [p.key, p.outcome.verdict])).toEqual([
      ['a', 'linearizable'],
      ['b', 'not-linearizable'],
    ]);
    expect(describeVerdict(kvModel, result)).toBe(
      'not linearizable (process 1: get "b" -> "yy", events 6-7)',
    );
  });
});

describe('budget', () => {
  // Many concurrent unknown writes and a read nobody wrote: the search must try every subset.
  const hard = history<RegisterInput, RegisterOutput>([
    ...Array.from({ length: 24 }, (_, i): Spec<RegisterInput, RegisterOutput> => [
      i,
      write(i),
      i,
      null,
      'info',
    ]),
    [99, read, 30, 31, 'ok', 1000],
  ]);

  it('answers unknown, with the reason, when the step limit is reached', () => {
    const result = checkHistory(registerModel, hard, { stepsMax: 5000 });
    expect(result.verdict).toBe('unknown');
    if (result.verdict === 'unknown') {
      expect(result.reason).toMatch(
        /^step limit of 5000 reached after 5000 search steps \(25 operations/,
      );
    }
  });

  it('answers unknown when the time limit is reached, reading only the injected clock', () => {
    let clock = 0;
    const result = checkHistory(registerModel, hard, {
      timeLimitMs: 1000,
      now: () => (clock += 10),
    });
    expect(result.verdict).toBe('unknown');
    if (result.verdict === 'unknown') expect(result.reason).toMatch(/^time limit of 1 s reached/);
  });

  it('answers unknown when the cache outgrows its memory limit', () => {
    const result = checkHistory(registerModel, hard, { cacheBytesMax: 100_000 });
    expect(result.verdict).toBe('unknown');
    if (result.verdict === 'unknown') expect(result.reason).toMatch(/^memory limit/);
  });

  it('still finds a failure in a small partition when a big one runs out', () => {
    const get = (key: string): KvInput => ({ f: 'get', key });
    const put = (key: string, value: string): KvInput => ({ f: 'put', key, value });
    const ops = history<KvInput, KvOutput>([
      ...Array.from({ length: 24 }, (_, i): Spec<KvInput, KvOutput> => [
        i,
        put('big', `${i}`),
        i,
        null,
        'info',
      ]),
      [99, get('big'), 30, 31, 'ok', 'nobody wrote this'],
      [98, get('small'), 32, 33, 'ok', 'nor this'],
    ]);
    const result = checkHistory(kvModel, ops, { stepsMax: 5000 });
    expect(result.verdict).toBe('not-linearizable');
    if (result.verdict === 'not-linearizable') expect(result.firstFailure.key).toBe('small');
  });
});
