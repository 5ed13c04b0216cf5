// Random small histories for property tests. Clients run a real (sequential) object: each
// operation takes effect at some instant between invocation and completion, so most histories
// are linearizable; some reported results are corrupted, some operations end unknown (before
// or after taking effect) or fail without taking effect, some never complete.
import fc from 'fast-check';
import type { Completion, Operation } from '../history';
import type { KvInput, KvOutput } from '../kv-model';
import type { RegisterInput, RegisterOutput, RegisterValue } from '../register-model';

export interface HistorySpec<State, Input, Output> {
  init: State;
  input(choice: number): Input;
  apply(
    state: State,
    input: Input,
  ): { state: State; output: Output | undefined; completion: Completion };
  corrupt(
    input: Input,
    output: Output | undefined,
    completion: Completion,
    choice: number,
  ): {
    output: Output | undefined;
    completion: Completion;
  };
}

export interface Command {
  client: number;
  action: number;
  choice: number;
}

interface Client<Input, Output> {
  process: number;
  phase: 'idle' | 'invoked' | 'applied';
  operation: Operation<Input, Output> | null;
  output: Output | undefined;
  completion: Completion;
}

const clientCountDefault = 3;

export function buildHistory<State, Input, Output>(
  spec: HistorySpec<State, Input, Output>,
  commands: Command[],
  options: { operationsMax: number; corruptAll: boolean; clientCount?: number },
): Operation<Input, Output>[] {
  const clientCount = options.clientCount ?? clientCountDefault;
  const operations: Operation<Input, Output>[] = [];
  const clients: Client<Input, Output>[] = [];
  for (let i = 0; i < clientCount; i++) {
    clients.push({
      process: i,
      phase: 'idle',
      operation: null,
      output: undefined,
      completion: 'ok',
    });
  }
  let nextProcess = clientCount;
  let position = 0;
  let state = spec.init;
  const finish = (
    client: Client<Input, Output>,
    completion: Completion,
    output: Output | undefined,
  ) => {
    const operation = client.operation!;
    operation.completion = completion;
    operation.output = completion === 'info' ? undefined : output;
    operation.completeIndex = position++;
    client.phase = 'idle';
    client.operation = null;
    // Jepsen gives a client whose operation ended unknown a new process id.
    if (completion === 'info') client.process = nextProcess++;
  };
  for (const { client: index, action, choice } of commands) {
    const client = clients[index % clientCount];
    if (client.phase === 'idle') {
      if (operations.length >= options.operationsMax) continue;
      client.operation = {
        id: operations.length,
        process: client.process,
        input: spec.input(choice),
        completion: 'info',
        output: undefined,
        invokeIndex: position++,
        completeIndex: null,
      };
      operations.push(client.operation);
      client.phase = 'invoked';
    } else if (client.phase === 'invoked') {
      if (action < 12) {
        const result = spec.apply(state, client.operation!.input);
        state = result.state;
        client.output = result.output;
        client.completion = result.completion;
        client.phase = 'applied';
      } else if (action < 14) finish(client, 'info', undefined);
      else if (action === 14) finish(client, 'fail', undefined);
    } else if (action < 14) {
      const input = client.operation!.input;
      const reported =
        options.corruptAll || action === 0
          ? spec.corrupt(input, client.output, client.completion, choice)
          : { output: client.output, completion: client.completion };
      finish(client, reported.completion, reported.output);
    } else if (action < 16) finish(client, 'info', undefined);
  }
  return operations;
}

const registerValues: RegisterValue[] = [null, 0, 1, 2];

export const registerSpec: HistorySpec<RegisterValue, RegisterInput, RegisterOutput> = {
  init: null,
  input(choice) {
    const kind = choice % 3;
    if (kind === 0) return { f: 'read' };
    if (kind === 1) return { f: 'write', value: Math.floor(choice / 3) % 3 };
    return {
      f: 'cas',
      from: registerValues[Math.floor(choice / 3) % 4],
      to: Math.floor(choice / 12) % 3,
    };
  },
  apply(state, input) {
    if (input.f === 'read') return { state, output: state, completion: 'ok' };
    if (input.f === 'write') return { state: input.value, output: undefined, completion: 'ok' };
    if (state === input.from) return { state: input.to, output: undefined, completion: 'ok' };
    return { state, output: undefined, completion: 'fail' };
  },
  corrupt(input, output, completion, choice) {
    if (input.f === 'read') return { output: registerValues[choice % 4], completion };
    if (input.f === 'cas') return { output, completion: completion === 'ok' ? 'fail' : 'ok' };
    return { output, completion };
  },
};

type KvMap = Readonly<Record<string, string>>;
const kvKeys = ['a', 'b'];
const kvCorruptValues = ['', '1', '2', '12', '21', '3'];

export const kvSpec: HistorySpec<KvMap, KvInput, KvOutput> = {
  init: {},
  input(choice) {
    const key = kvKeys[Math.floor(choice / 3) % 2];
    const value = String((Math.floor(choice / 6) % 3) + 1);
    const kind = choice % 3;
    if (kind === 0) return { f: 'get', key };
    return kind === 1 ? { f: 'put', key, value } : { f: 'append', key, value };
  },
  apply(state, input) {
    const current = state[input.key] ?? '';
    if (input.f === 'get') return { state, output: current, completion: 'ok' };
    const value = input.f === 'put' ? input.value : current + input.value;
    return { state: { ...state, [input.key]: value }, output: undefined, completion: 'ok' };
  },
  corrupt(input, output, completion, choice) {
    if (input.f === 'get')
      return { output: kvCorruptValues[choice % kvCorruptValues.length], completion };
    return { output, completion };
  },
};

export const commandsArbitrary = fc.array(
  fc.record({ client: fc.nat(clientCountDefault - 1), action: fc.nat(19), choice: fc.nat(71) }),
  { minLength: 8, maxLength: 60, size: 'max' },
);
