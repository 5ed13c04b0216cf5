import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../checker/linearizability/check';
import type { Model } from '../../checker/linearizability/model';
import type { RegisterOutput, RegisterValue } from '../../checker/linearizability/register-model';
import type { HistoryEvent, KeyedRegisterInput } from './history';
import { toOperations } from './history';
import { kvRegisterModel } from './kv-register-model';

type KvModel = Model<RegisterValue, KeyedRegisterInput, RegisterOutput>;

/** The same model without the unread-value renaming: what the renaming must agree with. */
const plainModel: KvModel = {
  ...kvRegisterModel,
  inputKey: undefined,
  partition: (operations) =>
    kvRegisterModel.partition(operations).map(({ key, operations: part }) => ({
      key,
      operations: part.map((operation) => {
        const { unread: _unread, ...input } = operation.input;
        return { ...operation, input };
      }),
    })),
};

interface Step {
  process: number;
  f: 'get' | 'put' | 'cas';
  completion: 'ok' | 'fail' | 'info' | 'mismatch';
  /** Index into the values written so far (reads' results, cas's `from`); -1 for nil. */
  pick: number;
  /** Whether the completion comes before the next invocation or later. */
  late: boolean;
}

/** A random history of one key over up to 3 processes, with puts of distinct values. */
function buildHistory(steps: Step[]): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const written: string[] = [];
  const pending: HistoryEvent[] = [];
  const flush = () => events.push(...pending.splice(0));
  steps.forEach((step, index) => {
    const neverCompletes = step.completion === 'info' && step.late;
    // A client that timed out moves on as another process, as the simulated clients do.
    const process = neverCompletes ? 100 + index : step.process;
    if (pending.some((event) => event.process === process)) flush();
    const pickValue = () =>
      step.pick < 0 || written.length === 0 ? null : written[step.pick % written.length];
    const value: HistoryEvent['value'] =
      step.f === 'put' ? `v${index}` : step.f === 'cas' ? [pickValue(), `v${index}`] : null;
    if (step.f !== 'get') written.push(`v${index}`);
    const base = { process, f: step.f, key: 'k', timeMs: index };
    events.push({ ...base, type: 'invoke', value });
    if (neverCompletes) return;
    let complete: HistoryEvent;
    if (step.completion === 'mismatch') {
      complete =
        step.f === 'cas'
          ? { ...base, type: 'fail', value, error: 'mismatch' }
          : { ...base, type: 'info', value };
    } else if (step.f === 'get' && step.completion === 'ok') {
      complete = { ...base, type: 'ok', value: pickValue() };
    } else if (step.completion === 'fail') {
      complete = { ...base, type: 'fail', value, error: 'not-leader' };
    } else {
      complete = { ...base, type: step.completion, value };
    }
    pending.push(complete);
    if (!step.late) flush();
  });
  flush();
  return events;
}

const stepArbitrary = fc.record({
  process: fc.integer({ min: 1, max: 3 }),
  f: fc.constantFrom<Step['f']>('get', 'put', 'put', 'cas'),
  completion: fc.constantFrom<Step['completion']>('ok', 'ok', 'info', 'info', 'fail', 'mismatch'),
  pick: fc.integer({ min: -1, max: 6 }),
  late: fc.boolean(),
});

describe('kv register model: values no one observed count as one', () => {
  it('gives the verdict of the plain model on random histories', () => {
    const seen = { linearizable: 0, 'not-linearizable': 0, unknown: 0, unread: 0 };
    fc.assert(
      fc.property(fc.array(stepArbitrary, { minLength: 1, maxLength: 12 }), (steps) => {
        const operations = toOperations(buildHistory(steps));
        const renamed = checkHistory(kvRegisterModel, operations).verdict;
        const plain = checkHistory(plainModel, toOperations(buildHistory(steps))).verdict;
        expect(renamed).toBe(plain);
        seen[renamed]++;
        const marked = kvRegisterModel.partition(operations)[0]?.operations ?? [];
        if (marked.some((operation) => operation.input.unread)) seen.unread++;
      }),
      { numRuns: 1500 },
    );
    // The generator must reach both verdicts and histories with unread writes to mean anything.
    expect(seen['not-linearizable']).toBeGreaterThan(100);
    expect(seen.linearizable).toBeGreaterThan(100);
    expect(seen.unread).toBeGreaterThan(500);
  });

  it('decides a history of many timed-out puts that the plain search cannot within its budget', () => {
    const events: HistoryEvent[] = [];
    // 40 clients each time out on a put nobody reads, then one reads back the first put's value.
    for (let p = 1; p <= 40; p++) {
      events.push({ process: p, type: 'invoke', f: 'put', key: 'k', value: `x${p}`, timeMs: p });
    }
    for (let round = 0; round < 30; round++) {
      const t = 100 + round * 2;
      events.push({
        process: 100,
        type: 'invoke',
        f: 'put',
        key: 'k',
        value: `w${round}`,
        timeMs: t,
      });
      events.push({ process: 100, type: 'ok', f: 'put', key: 'k', value: `w${round}`, timeMs: t });
      events.push({ process: 101, type: 'invoke', f: 'get', key: 'k', value: null, timeMs: t + 1 });
      events.push({
        process: 101,
        type: 'ok',
        f: 'get',
        key: 'k',
        value: round === 15 ? 'x1' : `w${round}`,
        timeMs: t + 1,
      });
    }
    const stepsMax = 2_000_000;
    expect(checkHistory(kvRegisterModel, toOperations(events), { stepsMax }).verdict).toBe(
      'linearizable',
    );
    // A read of a value no one wrote is impossible; proving it means ruling out every way of
    // placing the timed-out puts, which the plain search cannot do within the budget.
    events.push({ process: 102, type: 'invoke', f: 'get', key: 'k', value: null, timeMs: 500 });
    events.push({
      process: 102,
      type: 'ok',
      f: 'get',
      key: 'k',
      value: 'never-written',
      timeMs: 501,
    });
    expect(checkHistory(plainModel, toOperations(events), { stepsMax }).verdict).toBe('unknown');
    expect(checkHistory(kvRegisterModel, toOperations(events), { stepsMax }).verdict).toBe(
      'not-linearizable',
    );
  });
});
