// Jepsen's history events, read from either of its text formats, and their pairing into
// operations (an invocation with its completion, if any).
import type { Completion, Operation } from '../history';
import { formatEdn, Keyword, type EdnValue } from './edn';

export type JepsenEventType = 'invoke' | Completion;

export interface JepsenEvent {
  process: number;
  type: JepsenEventType;
  f: string;
  value: EdnValue;
  /** The `:key` field of the EDN-line format; undefined when the line has none. */
  key: EdnValue | undefined;
  /** 1-based line in the source text. */
  line: number;
}

/** What is wrong with an input, and where: for a person to fix the file. */
export interface HistoryParseError {
  line: number;
  column?: number;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: HistoryParseError };

/** Lines a history may hold at most (a named limit, checked before reading on). */
export const historyLinesMax = 5_000_000;

export const eventTypes: readonly JepsenEventType[] = ['invoke', 'ok', 'fail', 'info'];

export function eventTypeOf(value: EdnValue | undefined): JepsenEventType | null {
  if (!(value instanceof Keyword)) return null;
  return (eventTypes as readonly string[]).includes(value.name)
    ? (value.name as JepsenEventType)
    : null;
}

export function splitLines(text: string): string[] | HistoryParseError {
  const lines = text.split(/\r?\n/);
  if (lines.length > historyLinesMax) {
    return { line: historyLinesMax + 1, message: `more than ${historyLinesMax} lines` };
  }
  return lines;
}

/**
 * Turns one invocation and its completion (undefined when it never completed) into a model's
 * input and output, or says what is wrong.
 */
export type EventConverter<Input, Output> = (
  invoke: JepsenEvent,
  completion: JepsenEvent | undefined,
) => { input: Input; output: Output | undefined } | string;

interface OpenInvocation {
  event: JepsenEvent;
  operation: number;
}

function fail<T>(line: number, message: string): ParseResult<T> {
  return { ok: false, error: { line, message } };
}

/**
 * Pairs each invocation with its process's next completion. Positions are the events' order,
 * so operations are ordered in real time as the log orders them.
 */
export function pairEvents<Input, Output>(
  events: readonly JepsenEvent[],
  convert: EventConverter<Input, Output>,
): ParseResult<Operation<Input, Output>[]> {
  const operations: Operation<Input, Output>[] = [];
  const invocations: JepsenEvent[] = [];
  const open = new Map<number, OpenInvocation>();
  const complete = (index: number, completion: JepsenEvent | undefined): string | null => {
    const converted = convert(invocations[index], completion);
    if (typeof converted === 'string') return converted;
    operations[index].input = converted.input;
    operations[index].output = converted.output;
    return null;
  };
  for (let position = 0; position < events.length; position++) {
    const event = events[position];
    const pending = open.get(event.process);
    if (event.type === 'invoke') {
      if (pending !== undefined) {
        return fail(
          event.line,
          `process ${event.process} invokes :${event.f} while its invocation on line ${pending.event.line} is still open`,
        );
      }
      open.set(event.process, { event, operation: operations.length });
      invocations.push(event);
      operations.push({
        id: operations.length,
        process: event.process,
        input: undefined as Input,
        completion: 'info',
        output: undefined,
        invokeIndex: position,
        completeIndex: null,
        invokeLine: event.line,
      });
      continue;
    }
    if (pending === undefined) {
      return fail(
        event.line,
        `process ${event.process} completes (:${event.type} :${event.f}) with no open invocation`,
      );
    }
    if (pending.event.f !== event.f) {
      return fail(
        event.line,
        `process ${event.process} completes :${event.f} but invoked :${pending.event.f} on line ${pending.event.line}`,
      );
    }
    open.delete(event.process);
    const operation = operations[pending.operation];
    operation.completion = event.type;
    operation.completeIndex = position;
    operation.completeLine = event.line;
    const problem = complete(pending.operation, event);
    if (problem !== null) return fail(event.line, problem);
  }
  for (const { event, operation } of open.values()) {
    const problem = complete(operation, undefined);
    if (problem !== null) return fail(event.line, problem);
  }
  return { ok: true, value: operations };
}

export function describeValue(value: EdnValue | undefined): string {
  return formatEdn(value);
}
