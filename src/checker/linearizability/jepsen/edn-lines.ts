// Jepsen histories written one EDN map per line:
//   {:process 9, :type :invoke, :f :append, :key "0", :value "x 9 0 y"}
// Blank lines and `;` comments are skipped; the nemesis's events (a non-integer :process) too.
import { EdnMap, formatEdn, Keyword, readEdn, skipWhitespace } from './edn';
import { eventTypeOf, splitLines, type JepsenEvent, type ParseResult } from './events';

function eventFromMap(map: EdnMap, line: number): JepsenEvent | string | null {
  const process = map.get('process');
  if (process instanceof Keyword) return null;
  if (typeof process !== 'number' || !Number.isInteger(process)) {
    return `:process must be an integer (or :nemesis), not ${formatEdn(process)}`;
  }
  const type = eventTypeOf(map.get('type'));
  if (type === null)
    return `:type must be :invoke, :ok, :fail or :info, not ${formatEdn(map.get('type'))}`;
  const f = map.get('f');
  if (!(f instanceof Keyword)) return `:f must be a keyword, not ${formatEdn(f)}`;
  return { process, type, f: f.name, value: map.get('value') ?? null, key: map.get('key'), line };
}

export function parseEdnLines(text: string): ParseResult<JepsenEvent[]> {
  const lines = splitLines(text);
  if (!Array.isArray(lines)) return { ok: false, error: lines };
  const events: JepsenEvent[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    const source = lines[index];
    const start = skipWhitespace(source, 0);
    if (start >= source.length) continue;
    const read = readEdn(source, start);
    if (!read.ok) return { ok: false, error: { line, column: read.column, message: read.message } };
    if (!(read.value instanceof EdnMap)) {
      return {
        ok: false,
        error: { line, column: start + 1, message: 'expected an EDN map {...}' },
      };
    }
    const rest = skipWhitespace(source, read.end);
    if (rest < source.length) {
      return {
        ok: false,
        error: { line, column: rest + 1, message: 'unexpected text after the map' },
      };
    }
    const event = eventFromMap(read.value, line);
    if (typeof event === 'string') return { ok: false, error: { line, message: event } };
    if (event !== null) events.push(event);
  }
  return { ok: true, value: events };
}
