// The KV workload as the linearizability checker sees it: one register per key (get = read,
// put = write, cas = compare-and-set), each key checked on its own (P-compositionality).
// A cas that replied "mismatch" took effect and found another value, so it reads as the
// register model's failed cas in its default `mismatch` sense.
//
// Values nobody observes are one value. Every put writes a value of its own; when no successful
// read returned it and no cas compared against it, no operation can tell it from any other such
// value, so a history is linearizable exactly when it is with all of them renamed to one. The
// partition marks those writes `unread`: their states compare equal in the search's cache, and
// unknown-outcome writes of them become interchangeable twins (inputKey), so the search tries
// one of them instead of every subset — a long run's many timed-out puts no longer exhaust it.
import type { Model, Partition } from '../../checker/linearizability/model';
import {
  createRegisterModel,
  formatRegisterValue,
  type RegisterOutput,
  type RegisterValue,
} from '../../checker/linearizability/register-model';
import type { KeyedRegisterInput, KvRegisterOperation } from './history';

const register = createRegisterModel();

/** The state after a write of a value nobody observed: it stands for all such values. */
export const unreadValue = '\u0000unread';

function writtenValue(input: KeyedRegisterInput): RegisterValue | undefined {
  if (input.f === 'write') return input.value;
  if (input.f === 'cas') return input.to;
  return undefined;
}

/** Values an operation's reported outcome depends on: reads' results and every cas's `from`. */
function observedValues(operations: readonly KvRegisterOperation[]): Set<RegisterValue> {
  const observed = new Set<RegisterValue>([unreadValue]);
  for (const { input, completion, output } of operations) {
    if (input.rejected) continue;
    if (input.f === 'read' && completion === 'ok' && output !== undefined) observed.add(output);
    if (input.f === 'cas') observed.add(input.from);
  }
  return observed;
}

function markUnread(operations: KvRegisterOperation[]): KvRegisterOperation[] {
  const observed = observedValues(operations);
  return operations.map((operation) => {
    const value = writtenValue(operation.input);
    if (value === undefined || observed.has(value)) return operation;
    return { ...operation, input: { ...operation.input, unread: true } };
  });
}

function partitionByKey(
  operations: KvRegisterOperation[],
): Partition<KeyedRegisterInput, RegisterOutput>[] {
  const byKey = new Map<string, KvRegisterOperation[]>();
  for (const operation of operations) {
    const list = byKey.get(operation.input.key);
    if (list === undefined) byKey.set(operation.input.key, [operation]);
    else list.push(operation);
  }
  return [...byKey.keys()].sort().map((key) => ({ key, operations: markUnread(byKey.get(key)!) }));
}

function inputKey(input: KeyedRegisterInput): string {
  if (!input.unread) return JSON.stringify(input);
  return input.f === 'cas' ? `cas ${JSON.stringify(input.from)} unread` : 'write unread';
}

export const kvRegisterModel: Model<RegisterValue, KeyedRegisterInput, RegisterOutput> = {
  name: 'kv-register',
  init: register.init,
  step: (state, operation, fate) => {
    const result = register.step(state, operation, fate);
    if (!operation.input.unread || result.state !== writtenValue(operation.input)) return result;
    return { ok: result.ok, state: unreadValue };
  },
  equal: register.equal,
  hash: register.hash,
  fate: (operation) => (operation.input.rejected ? 'absent' : register.fate(operation)),
  partition: partitionByKey,
  inputKey,
  describeOperation: (operation) =>
    `${operation.input.key} ${register.describeOperation(operation)}`,
  describeState: (state) =>
    state === unreadValue ? 'a value no read returned' : formatRegisterValue(state),
};
