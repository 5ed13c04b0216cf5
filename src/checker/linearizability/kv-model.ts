// A map from string keys to string values, every key starting as "": get returns the value,
// put replaces it, append concatenates to it. Keys are independent, so the history is checked
// per key (P-compositionality).
import type { Operation } from './history';
import {
  defaultFate,
  hashString,
  type Fate,
  type Model,
  type Partition,
  type StepResult,
} from './model';

export type KvInput =
  | { f: 'get'; key: string }
  | { f: 'put'; key: string; value: string }
  | { f: 'append'; key: string; value: string };

/** A get's result; put and append report only through their completion. */
export type KvOutput = string;

export type KvOperation = Operation<KvInput, KvOutput>;

/** The keys holding a non-empty value, sorted by key; a missing key holds "". */
export type KvState = readonly (readonly [string, string])[];

function lookup(state: KvState, key: string): string {
  for (const [stateKey, value] of state) if (stateKey === key) return value;
  return '';
}

function withValue(state: KvState, key: string, value: string): KvState {
  const next = state.filter(([stateKey]) => stateKey !== key);
  // Invariant: no entry holds "" (a missing key does), so equal states have equal arrays.
  if (value === '') return next;
  next.push([key, value]);
  next.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return next;
}

function kvStep(state: KvState, operation: KvOperation, fate: Fate): StepResult<KvState> {
  const input = operation.input;
  switch (input.f) {
    case 'get':
      return { ok: fate !== 'required' || operation.output === lookup(state, input.key), state };
    case 'put':
      return { ok: true, state: withValue(state, input.key, input.value) };
    case 'append':
      return {
        ok: true,
        state: withValue(state, input.key, lookup(state, input.key) + input.value),
      };
  }
}

function kvEqual(a: KvState, b: KvState): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i][0] !== b[i][0] || a[i][1] !== b[i][1]) return false;
  }
  return true;
}

function kvHash(state: KvState): number {
  let hash = 0x811c9dc5;
  for (const [key, value] of state) hash = hashString(value, hashString(key, hash));
  return hash;
}

function kvFate(operation: KvOperation): Fate {
  const fate = defaultFate(operation);
  // A get changes nothing, so a get whose result is unknown constrains nothing.
  if (operation.input.f === 'get' && fate === 'optional') return 'absent';
  return fate;
}

function kvPartition(operations: KvOperation[]): Partition<KvInput, KvOutput>[] {
  const byKey = new Map<string, KvOperation[]>();
  for (const operation of operations) {
    const list = byKey.get(operation.input.key);
    if (list === undefined) byKey.set(operation.input.key, [operation]);
    else list.push(operation);
  }
  return [...byKey.keys()].sort().map((key) => ({ key, operations: byKey.get(key)! }));
}

export function describeKvOperation(operation: KvOperation): string {
  const input = operation.input;
  const who = `process ${String(operation.process)}`;
  const outcome = operation.completeIndex === null ? 'open' : operation.completion;
  const key = JSON.stringify(input.key);
  switch (input.f) {
    case 'get':
      return operation.completion === 'ok'
        ? `${who}: get ${key} -> ${JSON.stringify(operation.output)}`
        : `${who}: get ${key} -> ${outcome}`;
    case 'put':
    case 'append':
      return `${who}: ${input.f} ${key} ${JSON.stringify(input.value)} -> ${outcome}`;
  }
}

function describeKvState(state: KvState): string {
  return `{${state.map(([key, value]) => `${JSON.stringify(key)} ${JSON.stringify(value)}`).join(', ')}}`;
}

export const kvModel: Model<KvState, KvInput, KvOutput> = {
  name: 'kv',
  init: () => [],
  step: kvStep,
  equal: kvEqual,
  hash: kvHash,
  fate: kvFate,
  partition: kvPartition,
  inputKey: (input) => JSON.stringify(input),
  describeOperation: describeKvOperation,
  describeState: describeKvState,
};
