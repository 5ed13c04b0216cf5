// A single register with read, write and compare-and-set, as in Jepsen's etcd tests: it starts
// empty (nil); a read returns the value; a write sets it; a cas sets `to` when the value equals
// `from`.
import type { Operation } from './history';
import { defaultFate, hashString, mix32, type Fate, type Model, type StepResult } from './model';

export type RegisterValue = number | string | null;

export type RegisterInput =
  | { f: 'read' }
  | { f: 'write'; value: RegisterValue }
  | { f: 'cas'; from: RegisterValue; to: RegisterValue };

/** A read's result; writes and cas report only through their completion (ok or fail). */
export type RegisterOutput = RegisterValue;

export type RegisterOperation = Operation<RegisterInput, RegisterOutput>;

export interface RegisterModelOptions {
  /**
   * What a cas that completed with `fail` means. `mismatch` (the default, and the reading of the
   * shared histories' README): it took effect between invocation and completion, found a value
   * other than `from` and changed nothing. `did-not-happen`: Knossos's reading, where a failed
   * operation is dropped from the history; it is weaker, so it accepts more histories.
   */
  failedCas?: 'mismatch' | 'did-not-happen';
}

export function formatRegisterValue(value: RegisterValue | undefined): string {
  if (value === undefined) return '?';
  if (value === null) return 'nil';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function hashRegisterValue(value: RegisterValue): number {
  if (value === null) return 0x9e3779b9;
  if (typeof value === 'number')
    return Number.isInteger(value) ? mix32(value) : hashString(String(value));
  return hashString(value, 0x2545f491);
}

function registerFate(
  operation: RegisterOperation,
  failedCas: 'mismatch' | 'did-not-happen',
): Fate {
  const fate = defaultFate(operation);
  // A read changes nothing, so a read whose result is unknown constrains nothing.
  if (operation.input.f === 'read' && fate === 'optional') return 'absent';
  if (operation.input.f === 'cas' && operation.completion === 'fail' && failedCas === 'mismatch') {
    return 'required';
  }
  return fate;
}

function registerStep(
  state: RegisterValue,
  operation: RegisterOperation,
  fate: Fate,
): StepResult<RegisterValue> {
  const input = operation.input;
  switch (input.f) {
    case 'read':
      return { ok: fate !== 'required' || operation.output === state, state };
    case 'write':
      return { ok: true, state: input.value };
    case 'cas': {
      const matches = state === input.from;
      if (fate !== 'required') return { ok: true, state: matches ? input.to : state };
      if (operation.completion === 'fail') return { ok: !matches, state };
      return { ok: matches, state: input.to };
    }
  }
}

export function describeRegisterOperation(operation: RegisterOperation): string {
  const input = operation.input;
  const who = `process ${String(operation.process)}`;
  const outcome = operation.completeIndex === null ? 'open' : operation.completion;
  switch (input.f) {
    case 'read':
      return operation.completion === 'ok'
        ? `${who}: read -> ${formatRegisterValue(operation.output)}`
        : `${who}: read -> ${outcome}`;
    case 'write':
      return `${who}: write ${formatRegisterValue(input.value)} -> ${outcome}`;
    case 'cas':
      return `${who}: cas [${formatRegisterValue(input.from)} ${formatRegisterValue(input.to)}] -> ${outcome}`;
  }
}

export function createRegisterModel(
  options: RegisterModelOptions = {},
): Model<RegisterValue, RegisterInput, RegisterOutput> {
  const failedCas = options.failedCas ?? 'mismatch';
  return {
    name: 'register',
    init: () => null,
    step: registerStep,
    equal: (a, b) => a === b,
    hash: hashRegisterValue,
    fate: (operation) => registerFate(operation, failedCas),
    partition: (operations) => [{ key: '', operations }],
    inputKey: (input) => JSON.stringify(input),
    describeOperation: describeRegisterOperation,
    describeState: formatRegisterValue,
  };
}

export const registerModel = createRegisterModel();
