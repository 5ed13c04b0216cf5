// Jepsen histories for the register and kv models, from either text format: a file whose first
// meaningful line opens an EDN form is read as EDN lines, anything else as a Jepsen text log.
// A file with no client operation at all is refused: it is almost surely the wrong file.
import type { Operation } from '../history';
import type { KvInput, KvOutput } from '../kv-model';
import type { RegisterInput, RegisterOutput, RegisterValue } from '../register-model';
import { parseEdnLines } from './edn-lines';
import { formatEdn, type EdnValue } from './edn';
import { parseEtcdLog } from './etcd-log';
import { pairEvents, type EventConverter, type JepsenEvent, type ParseResult } from './events';

export type HistoryFormat = 'edn-lines' | 'jepsen-log';

export function detectFormat(text: string): HistoryFormat {
  for (const line of text.split(/\r?\n/, 1000)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith(';')) continue;
    return /^[{[(]/.test(trimmed) ? 'edn-lines' : 'jepsen-log';
  }
  return 'jepsen-log';
}

export function parseJepsenEvents(text: string): ParseResult<JepsenEvent[]> {
  return detectFormat(text) === 'edn-lines' ? parseEdnLines(text) : parseEtcdLog(text);
}

type Checked<T> = { value: T } | { error: string };

function registerValue(value: EdnValue, what: string): Checked<RegisterValue> {
  if (value === null || typeof value === 'string') return { value };
  if (typeof value === 'number' && Number.isSafeInteger(value)) return { value };
  return { error: `${what} must be nil, an integer or a string, not ${formatEdn(value)}` };
}

const registerConverter: EventConverter<RegisterInput, RegisterOutput> = (invoke, completion) => {
  if (invoke.f === 'read') {
    if (completion?.type !== 'ok') return { input: { f: 'read' }, output: undefined };
    const output = registerValue(completion.value, 'the value a read returns');
    return 'error' in output ? output.error : { input: { f: 'read' }, output: output.value };
  }
  if (invoke.f === 'write') {
    const written = registerValue(invoke.value, 'the value written');
    if ('error' in written) return written.error;
    return { input: { f: 'write', value: written.value }, output: undefined };
  }
  if (invoke.f === 'cas') {
    const pair = invoke.value;
    if (!Array.isArray(pair) || pair.length !== 2)
      return `a cas takes [from to], not ${formatEdn(pair)}`;
    const from = registerValue(pair[0], 'a cas value');
    const to = registerValue(pair[1], 'a cas value');
    if ('error' in from) return from.error;
    if ('error' in to) return to.error;
    return { input: { f: 'cas', from: from.value, to: to.value }, output: undefined };
  }
  return `the register model knows :read, :write and :cas, not :${invoke.f}`;
};

function kvKey(key: EdnValue | undefined): string | null {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' && Number.isSafeInteger(key)) return String(key);
  return null;
}

const kvConverter: EventConverter<KvInput, KvOutput> = (invoke, completion) => {
  const key = kvKey(invoke.key);
  if (key === null) return `a kv operation needs :key "<string>", not ${formatEdn(invoke.key)}`;
  if (invoke.f === 'get') {
    if (completion?.type !== 'ok') return { input: { f: 'get', key }, output: undefined };
    const value = completion.value;
    // A key never written reads as nil in some clients: the model's empty string.
    if (value !== null && typeof value !== 'string') {
      return `a get returns a string or nil, not ${formatEdn(value)}`;
    }
    return { input: { f: 'get', key }, output: value ?? '' };
  }
  if (invoke.f === 'put' || invoke.f === 'append') {
    if (typeof invoke.value !== 'string')
      return `:${invoke.f} takes a string :value, not ${formatEdn(invoke.value)}`;
    return { input: { f: invoke.f, key, value: invoke.value }, output: undefined };
  }
  return `the kv model knows :get, :put and :append, not :${invoke.f}`;
};

function parseWith<Input, Output>(
  text: string,
  convert: EventConverter<Input, Output>,
): ParseResult<Operation<Input, Output>[]> {
  const events = parseJepsenEvents(text);
  if (!events.ok) return events;
  if (events.value.length === 0) {
    const expected =
      detectFormat(text) === 'edn-lines'
        ? 'EDN maps such as {:process 0, :type :invoke, :f :read, :value nil}'
        : 'log lines such as "INFO  jepsen.util - 0 :invoke :read nil"';
    return {
      ok: false,
      error: { line: 1, message: `no client operations found (expected ${expected})` },
    };
  }
  return pairEvents(events.value, convert);
}

export function parseRegisterHistory(
  text: string,
): ParseResult<Operation<RegisterInput, RegisterOutput>[]> {
  return parseWith(text, registerConverter);
}

export function parseKvHistory(text: string): ParseResult<Operation<KvInput, KvOutput>[]> {
  return parseWith(text, kvConverter);
}
