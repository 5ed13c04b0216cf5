// Go's %q for a byte slice (strconv.Quote of the bytes as a string), reproduced exactly: the
// golden transcripts print entry payloads this way, and a different escape would break them.

/** U+FFFD, what Go's UTF-8 decoder yields for a byte that does not start a valid encoding. */
const runeError = 0xfffd;
const lowerHex = '0123456789abcdef';

/** Go's utf8.DecodeRune: [rune, width]; an invalid or truncated encoding gives [U+FFFD, 1]. */
export function decodeRune(bytes: Uint8Array, offset: number): [number, number] {
  const first = bytes[offset];
  if (first < 0x80) return [first, 1];
  let width: number;
  let low = 0x80;
  let high = 0xbf;
  let rune: number;
  if (first >= 0xc2 && first <= 0xdf) {
    width = 2;
    rune = first & 0x1f;
  } else if (first >= 0xe0 && first <= 0xef) {
    width = 3;
    rune = first & 0x0f;
    if (first === 0xe0) low = 0xa0;
    if (first === 0xed) high = 0x9f;
  } else if (first >= 0xf0 && first <= 0xf4) {
    width = 4;
    rune = first & 0x07;
    if (first === 0xf0) low = 0x90;
    if (first === 0xf4) high = 0x8f;
  } else {
    return [runeError, 1];
  }
  if (offset + width > bytes.length) return [runeError, 1];
  for (let position = 1; position < width; position++) {
    const byte = bytes[offset + position];
    // Only the second byte has the narrowed range; later ones are plain continuation bytes.
    const min = position === 1 ? low : 0x80;
    const max = position === 1 ? high : 0xbf;
    if (byte < min || byte > max) return [runeError, 1];
    rune = rune * 64 + (byte & 0x3f);
  }
  return [rune, width];
}

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrintRune(rune: number): boolean {
  if (rune === 0x20) return true;
  if (rune < 0x20 || rune === 0x7f) return false;
  return printable.test(String.fromCodePoint(rune));
}

function hexDigits(value: number, count: number): string {
  let text = '';
  for (let shift = (count - 1) * 4; shift >= 0; shift -= 4) {
    text += lowerHex[Math.floor(value / 2 ** shift) % 16];
  }
  return text;
}

const shortEscapes: ReadonlyMap<number, string> = new Map([
  [0x07, '\\a'],
  [0x08, '\\b'],
  [0x0c, '\\f'],
  [0x0a, '\\n'],
  [0x0d, '\\r'],
  [0x09, '\\t'],
  [0x0b, '\\v'],
]);

function escapeRune(rune: number): string {
  if (rune === 0x22 || rune === 0x5c) return `\\${String.fromCharCode(rune)}`;
  if (isPrintRune(rune)) return String.fromCodePoint(rune);
  const short = shortEscapes.get(rune);
  if (short !== undefined) return short;
  if (rune < 0x20 || rune === 0x7f) return `\\x${hexDigits(rune, 2)}`;
  if (rune < 0x10000) return `\\u${hexDigits(rune, 4)}`;
  return `\\U${hexDigits(rune, 8)}`;
}

/** Go's fmt %q of a []byte: a double-quoted Go string literal; nil and empty give `""`. */
export function goQuote(bytes: Uint8Array | null): string {
  if (bytes === null) return '""';
  let text = '"';
  for (let offset = 0; offset < bytes.length;) {
    const [rune, width] = decodeRune(bytes, offset);
    if (width === 1 && rune === runeError) {
      text += `\\x${hexDigits(bytes[offset], 2)}`;
    } else {
      text += escapeRune(rune);
    }
    offset += width;
  }
  return `${text}"`;
}
