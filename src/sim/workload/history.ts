// The client history in Jepsen's shape: one record per invocation and per completion, in the
// order they happened. `toOperations` pairs them into the linearizability checker's operations.
import type { Completion, Operation } from '../../checker/linearizability/history';
import type { RegisterInput, RegisterOutput } from '../../checker/linearizability/register-model';

export type HistoryType = 'invoke' | 'ok' | 'fail' | 'info';

/**
 * Why an operation failed: `not-leader` (every attempt was redirected, nothing was proposed, so
 * it did not happen) or `mismatch` (a cas took effect and found another value).
 */
export type HistoryError = 'not-leader' | 'mismatch';

export interface HistoryEvent {
  process: number;
  type: HistoryType;
  f: 'get' | 'put' | 'cas';
  key: string;
  /** invoke: put's value, cas's [from, to], get's null; ok: get's result; otherwise as invoked. */
  value: string | null | [string | null, string];
  /** Simulated milliseconds. */
  timeMs: number;
  error?: HistoryError;
}

/** A register operation on one key: the checker's kv view of get/put/cas. */
export type KeyedRegisterInput = RegisterInput & {
  key: string;
  /** The operation failed without being proposed: it surely had no effect. */
  rejected?: true;
  /** Set by the checker's partition: the value written is one no read or cas observed. */
  unread?: true;
};
export type KvRegisterOperation = Operation<KeyedRegisterInput, RegisterOutput>;

export function toOperations(history: readonly HistoryEvent[]): KvRegisterOperation[] {
  const operations: KvRegisterOperation[] = [];
  const open = new Map<number, KvRegisterOperation>();
  history.forEach((event, position) => {
    if (event.type === 'invoke') {
      if (open.has(event.process))
        throw new Error(`process ${event.process} invokes twice at event ${position}`);
      const operation: KvRegisterOperation = {
        id: operations.length,
        process: event.process,
        input: registerInput(event),
        completion: 'info',
        output: undefined,
        invokeIndex: position,
        completeIndex: null,
        invokeTime: event.timeMs,
      };
      operations.push(operation);
      open.set(event.process, operation);
      return;
    }
    const operation = open.get(event.process);
    if (operation === undefined)
      throw new Error(
        `process ${event.process} completes at event ${position} without an invocation`,
      );
    open.delete(event.process);
    operation.completion = event.type as Completion;
    if (event.type === 'fail' && event.error !== 'mismatch') operation.input.rejected = true;
    operation.completeIndex = position;
    operation.completeTime = event.timeMs;
    if (event.type === 'ok' && event.f === 'get') operation.output = event.value as string | null;
  });
  return operations;
}

function registerInput(event: HistoryEvent): KeyedRegisterInput {
  switch (event.f) {
    case 'get':
      return { f: 'read', key: event.key };
    case 'put':
      return { f: 'write', key: event.key, value: event.value as string };
    case 'cas': {
      const [from, to] = event.value as [string | null, string];
      return { f: 'cas', key: event.key, from, to };
    }
  }
}

/** e.g. `12 invoke cas k1 [nil "3-4"] @1200ms`, one line per history event. */
export function describeHistoryEvent(event: HistoryEvent): string {
  const value = Array.isArray(event.value)
    ? `[${event.value.map(formatValue).join(' ')}]`
    : formatValue(event.value);
  const error = event.error === undefined ? '' : ` ${event.error}`;
  return `${event.process} ${event.type} ${event.f} ${event.key} ${value}${error} @${event.timeMs}ms`;
}

function formatValue(value: string | null): string {
  return value === null ? 'nil' : JSON.stringify(value);
}
