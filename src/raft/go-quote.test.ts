import { describe, expect, it } from 'vitest';
import { decodeRune, goQuote, isPrintRune } from './go-quote';

const bytes = (...values: number[]) => new Uint8Array(values);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe("goQuote: Go's %q of a byte slice", () => {
  it.each<[Uint8Array | null, string]>([
    [null, '""'],
    [bytes(), '""'],
    [utf8('prop_1_12'), '"prop_1_12"'],
    [utf8('say "hi" \\ now'), '"say \\"hi\\" \\\\ now"'],
    [utf8("it's"), `"it's"`],
    [bytes(7, 8, 12, 10, 13, 9, 11), '"\\a\\b\\f\\n\\r\\t\\v"'],
    [bytes(0, 0x1b, 0x7f), '"\\x00\\x1b\\x7f"'],
    [utf8('héllo wörld'), '"héllo wörld"'],
    [utf8('日本'), '"日本"'],
    [utf8('😀'), '"😀"'],
    [utf8('\u00a0'), '"\\u00a0"'],
    [utf8('\u0085'), '"\\u0085"'],
    [utf8('\u200b'), '"\\u200b"'],
    [utf8('\ue000'), '"\\ue000"'],
    [utf8('\u{10ffff}'), '"\\U0010ffff"'],
    [utf8('\ufffd'), '"\ufffd"'],
    [bytes(0xff, 0x80), '"\\xff\\x80"'],
    [bytes(0xc0, 0x80), '"\\xc0\\x80"'],
    [bytes(0xed, 0xa0, 0x80), '"\\xed\\xa0\\x80"'],
    [bytes(0xe2, 0x82), '"\\xe2\\x82"'],
    [bytes(0xe2, 0x82, 0x41), '"\\xe2\\x82A"'],
    [bytes(0xf4, 0x90, 0x80, 0x80), '"\\xf4\\x90\\x80\\x80"'],
  ])('%o -> %s', (input, want) => {
    expect(goQuote(input)).toBe(want);
  });

  it("decodes UTF-8 with Go's rules", () => {
    expect(decodeRune(utf8('€'), 0)).toEqual([0x20ac, 3]);
    expect(decodeRune(bytes(0xe0, 0x80, 0x80), 0)).toEqual([0xfffd, 1]);
    expect(decodeRune(bytes(0xf0, 0x9f, 0x98, 0x80), 0)).toEqual([0x1f600, 4]);
  });

  it('treats only graphic runes and the ASCII space as printable', () => {
    expect(isPrintRune(0x20)).toBe(true);
    expect(isPrintRune(0x41)).toBe(true);
    expect(isPrintRune(0x3000)).toBe(false);
    expect(isPrintRune(0xad)).toBe(false);
  });
});
