// The KV workload as the linearizability checker sees it: one register per key (get = read,
// put = write, cas = compare-and-set), each key checked on its own (P-compositionality).
// A cas that replied "mismatch" took effect and found another value, so it reads as the
// register model's failed cas in its default `mismatch` sense.
import type { Model, Partition } from '../../checker/linearizability/model';
import {
  createRegisterModel,
  type RegisterOutput,
  type RegisterValue,
} from '../../checker/linearizability/register-model';
import type { KeyedRegisterInput, KvRegisterOperation } from './history';

const register = createRegisterModel();

function partitionByKey(
  operations: KvRegisterOperation[],
): Partition<KeyedRegisterInput, RegisterOutput>[] {
  const byKey = new Map<string, KvRegisterOperation[]>();
  for (const operation of operations) {
    const list = byKey.get(operation.input.key);
    if (list === undefined) byKey.set(operation.input.key, [operation]);
    else list.push(operation);
  }
  return [...byKey.keys()].sort().map((key) => ({ key, operations: byKey.get(key)! }));
}

export const kvRegisterModel: Model<RegisterValue, KeyedRegisterInput, RegisterOutput> = {
  name: 'kv-register',
  init: register.init,
  step: register.step,
  equal: register.equal,
  hash: register.hash,
  fate: (operation) => (operation.input.rejected ? 'absent' : register.fate(operation)),
  partition: partitionByKey,
  describeOperation: (operation) =>
    `${operation.input.key} ${register.describeOperation(operation)}`,
  describeState: register.describeState,
};
