// Jepsen's text log of an etcd register test: operation lines look like
//   INFO  jepsen.util - 3	:invoke	:cas	[3 0]
// (fields separated by runs of spaces or tabs); every other line is noise and skipped, as are
// the nemesis's lines.
import { Keyword, readEdn, skipWhitespace, type EdnValue } from './edn';
import { eventTypeOf, splitLines, type JepsenEvent, type ParseResult } from './events';

const operationLine = /\bjepsen\.util[ \t]+-[ \t]+/;

/** Up to `count` values from `text`, or the first reading error. */
function readFields(text: string, count: number) {
  const values: EdnValue[] = [];
  let position = 0;
  while (values.length < count) {
    position = skipWhitespace(text, position);
    if (position >= text.length) break;
    const read = readEdn(text, position);
    if (!read.ok) return { values, error: read };
    values.push(read.value);
    position = read.end;
  }
  return { values, error: null };
}

export function parseEtcdLog(text: string): ParseResult<JepsenEvent[]> {
  const lines = splitLines(text);
  if (!Array.isArray(lines)) return { ok: false, error: lines };
  const events: JepsenEvent[] = [];
  for (let index = 0; index < lines.length; index++) {
    const match = operationLine.exec(lines[index]);
    if (match === null) continue;
    const fieldsText = lines[index].slice(match.index + match[0].length);
    const column = match.index + match[0].length;
    const { values, error } = readFields(fieldsText, 5);
    const [process, typeValue, f, value] = values;
    const type = eventTypeOf(typeValue);
    // Only "<integer> :<type> ..." is an operation; the nemesis and free text are noise.
    if (typeof process !== 'number' || !Number.isInteger(process) || type === null) continue;
    const line = index + 1;
    if (error !== null) {
      return { ok: false, error: { line, column: column + error.column, message: error.message } };
    }
    if (!(f instanceof Keyword)) {
      return {
        ok: false,
        error: { line, message: 'expected a function keyword such as :read after the type' },
      };
    }
    events.push({ process, type, f: f.name, value: value ?? null, key: undefined, line });
  }
  return { ok: true, value: events };
}
