// The WGL checker against a brute-force reference on random small histories, both models:
// same verdicts, a valid witness order when linearizable, and on failure a prefix that is the
// longest the reference can explain.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory } from './check';
import { precedes, type Operation } from './history';
import { kvModel } from './kv-model';
import type { Model } from './model';
import { createRegisterModel } from './register-model';
import type { LinearizationStep } from './search';
import {
  buildHistory,
  commandsArbitrary,
  kvSpec,
  registerSpec,
  type Command,
  type HistorySpec,
} from './testing/arbitraries';
import { bruteForceExplains, bruteForceLinearizable } from './testing/brute-force';

const operationsMax = 7;
const runs = 600;

/** Replays a partition's witness: real-time order, the model accepts it, states match. */
function expectValidOrder<State, Input, Output>(
  model: Model<State, Input, Output>,
  operations: Operation<Input, Output>[],
  steps: LinearizationStep<State>[],
  mustHold: Operation<Input, Output>[],
): State {
  const placed = steps.map((step) => operations[step.operationId]);
  expect(new Set(placed).size).toBe(placed.length);
  for (const operation of mustHold) expect(placed).toContain(operation);
  let state = model.init();
  placed.forEach((operation, index) => {
    expect(model.fate(operation)).not.toBe('absent');
    for (const later of placed.slice(index + 1)) expect(precedes(later, operation)).toBe(false);
    const result = model.step(state, operation, model.fate(operation));
    expect(result.ok).toBe(true);
    expect(model.equal(result.state, steps[index].stateAfter)).toBe(true);
    state = result.state;
  });
  return state;
}

function checkAgainstBruteForce<State, Input, Output>(
  model: Model<State, Input, Output>,
  operations: Operation<Input, Output>[],
): void {
  const result = checkHistory(model, operations);
  expect(result.verdict).not.toBe('unknown');
  expect(result.verdict === 'linearizable').toBe(bruteForceLinearizable(model, operations));
  const partitions = model.partition(operations);
  if (result.verdict === 'linearizable') {
    result.partitions.forEach((partition, index) => {
      if (partition.outcome.verdict !== 'linearizable')
        throw new Error('partition not linearizable');
      const required = partitions[index].operations.filter((op) => model.fate(op) === 'required');
      expectValidOrder(model, operations, partition.outcome.linearization, required);
    });
    return;
  }
  if (result.verdict !== 'not-linearizable') return;
  for (const failure of result.failures) {
    const part = partitions.find((partition) => partition.key === failure.key)!.operations;
    const cut = failure.prefixEndIndex;
    const completedBefore = (limit: number) => (op: Operation<Input, Output>) =>
      model.fate(op) === 'required' && op.completeIndex! < limit;
    // The prefix before the blocking completion is explained, and no order gets past it.
    expect(failure.blocking.completeIndex).toBe(cut);
    expect(bruteForceExplains(model, part, completedBefore(cut))).toBe(true);
    expect(bruteForceExplains(model, part, completedBefore(cut + 1))).toBe(false);
    const required = part.filter(completedBefore(cut));
    const state = expectValidOrder(model, operations, failure.linearization, required);
    expect(model.equal(state, failure.state)).toBe(true);
    expect(failure.unplaceable[0]).toBe(failure.blocking);
    for (const other of failure.unplaceable.slice(1)) {
      expect(model.step(failure.state, other, model.fate(other)).ok).toBe(false);
    }
  }
  expect(result.failures).toContain(result.firstFailure);
}

function property<State, Input, Output, SpecState>(
  model: Model<State, Input, Output>,
  spec: HistorySpec<SpecState, Input, Output>,
  corruptAll: boolean,
) {
  return fc.property(commandsArbitrary, (commands: Command[]) => {
    const operations = buildHistory(spec, commands, { operationsMax, corruptAll });
    checkAgainstBruteForce(model, operations);
  });
}

describe('WGL search agrees with brute force on small random histories', () => {
  const verdictCounts = { linearizable: 0, not: 0 };
  const countingModel = <S, I, O>(model: Model<S, I, O>, spec: HistorySpec<unknown, I, O>) =>
    fc.property(commandsArbitrary, (commands) => {
      const operations = buildHistory(spec, commands, { operationsMax, corruptAll: false });
      const verdict = checkHistory(model, operations).verdict;
      if (verdict === 'linearizable') verdictCounts.linearizable++;
      else verdictCounts.not++;
    });

  it('register (a failed cas observed a mismatch): plausible histories', () => {
    fc.assert(property(createRegisterModel(), registerSpec, false), { numRuns: runs });
  });
  it('register (a failed cas observed a mismatch): random results', () => {
    fc.assert(property(createRegisterModel(), registerSpec, true), { numRuns: runs });
  });
  it('register (a failed cas did not happen): plausible and random histories', () => {
    const model = createRegisterModel({ failedCas: 'did-not-happen' });
    fc.assert(property(model, registerSpec, false), { numRuns: runs / 2 });
    fc.assert(property(model, registerSpec, true), { numRuns: runs / 2 });
  });
  it('register with few distinct inputs (interchangeable unknown operations)', () => {
    // Reads, write 0 and write 1 only: 0 -> read, 1 -> write 0, 4 -> write 1 (see registerSpec).
    const fewInputs = {
      ...registerSpec,
      input: (choice: number) => registerSpec.input([0, 1, 4, 0][choice % 4]),
    };
    fc.assert(property(createRegisterModel(), fewInputs, false), { numRuns: runs * 3 });
    fc.assert(property(createRegisterModel(), fewInputs, true), { numRuns: runs });
  });
  it('kv, checked per key, against brute force over the whole history', () => {
    fc.assert(property(kvModel, kvSpec, false), { numRuns: runs });
    fc.assert(property(kvModel, kvSpec, true), { numRuns: runs });
  });
  it('the generators give both verdicts often', () => {
    fc.assert(
      countingModel(createRegisterModel(), registerSpec as HistorySpec<unknown, never, never>),
      {
        numRuns: 300,
        seed: 7,
      },
    );
    expect(verdictCounts.linearizable).toBeGreaterThan(150);
    expect(verdictCounts.not).toBeGreaterThan(20);
  });
});
