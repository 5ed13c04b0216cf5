// A small EDN reader, enough for Jepsen's history lines: nil, booleans, integers (and plain
// decimals), strings with escapes, keywords, symbols, vectors, lists and maps. Sets, tags and
// characters are refused with a message rather than guessed at.

export class Keyword {
  constructor(readonly name: string) {}
  toString(): string {
    return `:${this.name}`;
  }
}

export class EdnSymbol {
  constructor(readonly name: string) {}
  toString(): string {
    return this.name;
  }
}

export class EdnMap {
  constructor(readonly entries: readonly (readonly [EdnValue, EdnValue])[]) {}
  /** The value under keyword `:name`, or undefined when absent. */
  get(name: string): EdnValue | undefined {
    for (const [key, value] of this.entries) {
      if (key instanceof Keyword && key.name === name) return value;
    }
    return undefined;
  }
}

/** Integers beyond 2^53 are kept exact as bigint; vectors and lists are arrays. */
export type EdnValue =
  null | boolean | number | bigint | string | Keyword | EdnSymbol | EdnValue[] | EdnMap;

export type EdnReadResult =
  { ok: true; value: EdnValue; end: number } | { ok: false; message: string; column: number };

/** Nesting deeper than this is refused: history lines are flat. */
export const ednDepthMax = 32;

const delimiters = new Set(['(', ')', '[', ']', '{', '}', '"', ';']);
const escapes: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
};

class ReadError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

function isWhitespace(char: string): boolean {
  return char === ' ' || char === '\t' || char === ',' || char === '\n' || char === '\r';
}

export function skipWhitespace(text: string, start: number): number {
  let position = start;
  while (position < text.length) {
    if (isWhitespace(text[position])) position++;
    else if (text[position] === ';') position = text.length;
    else break;
  }
  return position;
}

/** Reads one value starting at `start` (after optional whitespace). */
export function readEdn(text: string, start = 0): EdnReadResult {
  try {
    const [value, end] = readValue(text, skipWhitespace(text, start), 0);
    return { ok: true, value, end };
  } catch (error) {
    if (error instanceof ReadError)
      return { ok: false, message: error.message, column: error.column + 1 };
    throw error;
  }
}

function readValue(text: string, position: number, depth: number): [EdnValue, number] {
  if (depth > ednDepthMax) throw new ReadError(`nested deeper than ${ednDepthMax}`, position);
  if (position >= text.length)
    throw new ReadError('expected a value, found the end of the line', position);
  const char = text[position];
  if (char === '"') return readString(text, position);
  if (char === '[') return readSequence(text, position, ']', depth);
  if (char === '(') return readSequence(text, position, ')', depth);
  if (char === '{') return readMap(text, position, depth);
  if (char === '#') throw new ReadError('sets and tagged values are not supported', position);
  if (char === '\\') throw new ReadError('characters are not supported', position);
  if (char === ')' || char === ']' || char === '}')
    throw new ReadError(`unexpected "${char}"`, position);
  return readAtom(text, position);
}

function readString(text: string, start: number): [string, number] {
  let result = '';
  let position = start + 1;
  while (position < text.length) {
    const char = text[position];
    if (char === '"') return [result, position + 1];
    if (char !== '\\') {
      result += char;
      position++;
      continue;
    }
    const escape = text[position + 1];
    if (escape === 'u') {
      const hex = text.slice(position + 2, position + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex))
        throw new ReadError('bad \\u escape in a string', position);
      result += String.fromCharCode(parseInt(hex, 16));
      position += 6;
    } else if (escape !== undefined && escape in escapes) {
      result += escapes[escape];
      position += 2;
    } else {
      throw new ReadError(`unknown escape "\\${escape ?? ''}" in a string`, position);
    }
  }
  throw new ReadError('string not closed', start);
}

function readSequence(
  text: string,
  start: number,
  close: string,
  depth: number,
): [EdnValue[], number] {
  const items: EdnValue[] = [];
  let position = skipWhitespace(text, start + 1);
  while (position < text.length && text[position] !== close) {
    const [item, end] = readValue(text, position, depth + 1);
    items.push(item);
    position = skipWhitespace(text, end);
  }
  if (position >= text.length) throw new ReadError(`"${text[start]}" not closed`, start);
  return [items, position + 1];
}

function readMap(text: string, start: number, depth: number): [EdnMap, number] {
  const [items, end] = readSequence(text, start, '}', depth);
  if (items.length % 2 !== 0) throw new ReadError('a map needs an even number of forms', start);
  const entries: [EdnValue, EdnValue][] = [];
  for (let i = 0; i < items.length; i += 2) entries.push([items[i], items[i + 1]]);
  return [new EdnMap(entries), end];
}

function readAtom(text: string, start: number): [EdnValue, number] {
  let end = start;
  while (end < text.length && !isWhitespace(text[end]) && !delimiters.has(text[end])) end++;
  const token = text.slice(start, end);
  if (token === 'nil') return [null, end];
  if (token === 'true') return [true, end];
  if (token === 'false') return [false, end];
  if (/^[-+]?\d+N?$/.test(token)) {
    const digits = token.replace(/N$/, '');
    const big = BigInt(digits);
    const safe = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER);
    return [safe ? Number(big) : big, end];
  }
  if (/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?M?$/.test(token))
    return [Number(token.replace(/M$/, '')), end];
  if (token.startsWith(':')) {
    if (token.length === 1) throw new ReadError('empty keyword', start);
    return [new Keyword(token.slice(1)), end];
  }
  if (/^[A-Za-z*+!\-_?<>=/.][\w*+!\-?<>=/.:#'$%&]*$/.test(token))
    return [new EdnSymbol(token), end];
  throw new ReadError(`cannot read "${token}"`, start);
}

/** EDN's own spelling of a value, for messages. */
export function formatEdn(value: EdnValue | undefined): string {
  if (value === undefined) return '(nothing)';
  if (value === null) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatEdn).join(' ')}]`;
  if (value instanceof EdnMap) {
    return `{${value.entries.map(([key, item]) => `${formatEdn(key)} ${formatEdn(item)}`).join(', ')}}`;
  }
  return String(value);
}
