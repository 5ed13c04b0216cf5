// The EDN reader: the forms Jepsen's history lines use, and clear refusals for the rest.
import { describe, expect, it } from 'vitest';
import { EdnMap, EdnSymbol, formatEdn, Keyword, readEdn } from './edn';

function read(text: string) {
  const result = readEdn(text);
  if (!result.ok) throw new Error(`${result.message} at ${result.column}`);
  return result.value;
}

describe('readEdn', () => {
  it('reads nil, booleans, integers, decimals, keywords and symbols', () => {
    expect(read('nil')).toBe(null);
    expect(read('true')).toBe(true);
    expect(read(' -42')).toBe(-42);
    expect(read('7N')).toBe(7);
    expect(read('1.5')).toBe(1.5);
    expect(read('12345678901234567890')).toBe(12345678901234567890n);
    expect(read(':timed-out')).toEqual(new Keyword('timed-out'));
    expect(read('foo.bar/baz')).toEqual(new EdnSymbol('foo.bar/baz'));
  });

  it('reads strings with escapes', () => {
    expect(read('"x 9 0 y"')).toBe('x 9 0 y');
    expect(read('"a\\"b\\\\c\\nd\\te\\u00e9"')).toBe('a"b\\c\nd\te\u00e9');
  });

  it('reads vectors, lists and maps, commas being whitespace', () => {
    expect(read('[3 0]')).toEqual([3, 0]);
    expect(read('(1, [2 nil])')).toEqual([1, [2, null]]);
    const map = read('{:process 9, :type :invoke, :f :append, :key "0", :value "x 9 0 y"}');
    expect(map).toBeInstanceOf(EdnMap);
    expect((map as EdnMap).get('process')).toBe(9);
    expect((map as EdnMap).get('type')).toEqual(new Keyword('invoke'));
    expect((map as EdnMap).get('value')).toBe('x 9 0 y');
    expect((map as EdnMap).get('missing')).toBeUndefined();
  });

  it('reports where a value ends, so callers can read a sequence of fields', () => {
    const result = readEdn('3\t:invoke', 0);
    expect(result).toEqual({ ok: true, value: 3, end: 1 });
  });

  it.each([
    ['"open', 'string not closed', 1],
    ['[1 2', '"[" not closed', 1],
    ['{:a}', 'a map needs an even number of forms', 1],
    ['"bad \\q"', 'unknown escape "\\q" in a string', 6],
    ['#{1}', 'sets and tagged values are not supported', 1],
    ['\\a', 'characters are not supported', 1],
    [']', 'unexpected "]"', 1],
    ['', 'expected a value, found the end of the line', 1],
    [':', 'empty keyword', 1],
  ])('refuses %j with a message and a column', (text, message, column) => {
    expect(readEdn(text)).toEqual({ ok: false, message, column });
  });

  it('refuses nesting deeper than its limit instead of overflowing the stack', () => {
    const result = readEdn('['.repeat(10_000));
    expect(result.ok).toBe(false);
  });

  it('formats values back in EDN spelling', () => {
    expect(formatEdn(read('[nil 3 "x" :k]'))).toBe('[nil 3 "x" :k]');
    expect(formatEdn(read('{:a 1}'))).toBe('{:a 1}');
  });
});
