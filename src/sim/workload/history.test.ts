import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../checker/linearizability/check';
import { describeHistoryEvent, toOperations, type HistoryEvent } from './history';
import { kvRegisterModel } from './kv-register-model';

const at = (timeMs: number, event: Omit<HistoryEvent, 'timeMs'>): HistoryEvent => ({
  ...event,
  timeMs,
});

describe('client history', () => {
  it('pairs invocations and completions into the checker operations, per process', () => {
    const history: HistoryEvent[] = [
      at(1, { process: 1, type: 'invoke', f: 'put', key: 'k0', value: 'a' }),
      at(2, { process: 2, type: 'invoke', f: 'get', key: 'k0', value: null }),
      at(3, { process: 1, type: 'ok', f: 'put', key: 'k0', value: 'a' }),
      at(4, { process: 2, type: 'ok', f: 'get', key: 'k0', value: 'a' }),
      at(5, { process: 1, type: 'invoke', f: 'cas', key: 'k1', value: [null, 'b'] }),
    ];
    const operations = toOperations(history);
    expect(
      operations.map((op) => [
        op.process,
        op.input,
        op.completion,
        op.output,
        op.invokeIndex,
        op.completeIndex,
      ]),
    ).toEqual([
      [1, { f: 'write', key: 'k0', value: 'a' }, 'ok', undefined, 0, 2],
      [2, { f: 'read', key: 'k0' }, 'ok', 'a', 1, 3],
      [1, { f: 'cas', key: 'k1', from: null, to: 'b' }, 'info', undefined, 4, null],
    ]);
    expect(describeHistoryEvent(history[4])).toBe('1 invoke cas k1 [nil "b"] @5ms');
  });

  it('reads a not-leader failure as "did not happen" and a cas mismatch as "took effect, found another value"', () => {
    const history: HistoryEvent[] = [
      at(1, { process: 1, type: 'invoke', f: 'cas', key: 'k', value: [null, 'x'] }),
      at(2, {
        process: 1,
        type: 'fail',
        f: 'cas',
        key: 'k',
        value: [null, 'x'],
        error: 'not-leader',
      }),
      at(3, { process: 1, type: 'invoke', f: 'cas', key: 'k', value: [null, 'y'] }),
      at(4, { process: 1, type: 'ok', f: 'cas', key: 'k', value: [null, 'y'] }),
    ];
    expect(checkHistory(kvRegisterModel, toOperations(history)).verdict).toBe('linearizable');
    const mismatch = history.map((event, i) =>
      i === 1 ? { ...event, error: 'mismatch' as const } : event,
    );
    // A cas from nil that found another value, on a key nothing had written: impossible.
    expect(checkHistory(kvRegisterModel, toOperations(mismatch)).verdict).toBe('not-linearizable');
  });

  it('checks each key on its own', () => {
    const history: HistoryEvent[] = [
      at(1, { process: 1, type: 'invoke', f: 'put', key: 'a', value: '1' }),
      at(2, { process: 1, type: 'ok', f: 'put', key: 'a', value: '1' }),
      at(3, { process: 2, type: 'invoke', f: 'get', key: 'b', value: null }),
      at(4, { process: 2, type: 'ok', f: 'get', key: 'b', value: '1' }),
    ];
    const result = checkHistory(kvRegisterModel, toOperations(history));
    expect(result.verdict).toBe('not-linearizable');
    expect(result.partitions.map((partition) => partition.key)).toEqual(['a', 'b']);
  });
});
