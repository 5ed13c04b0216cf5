// UTF-8 text <-> bytes without TextEncoder/TextDecoder: src/raft compiles against plain ES2022,
// with neither DOM nor Node types, so it cannot assume those globals exist.

/** Encodes a string as UTF-8 (lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8Encode(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const char of text) {
    let code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) {
      bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    } else {
      bytes.push(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 0x3f),
        0x80 | ((code >> 6) & 0x3f),
        0x80 | (code & 0x3f),
      );
    }
  }
  return Uint8Array.from(bytes);
}

/** Decodes UTF-8 as the WHATWG decoder does: each maximal invalid subpart becomes U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  const codes: number[] = [];
  let needed = 0;
  let seen = 0;
  let code = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (needed === 0) {
      if (byte <= 0x7f) codes.push(byte);
      else if (byte >= 0xc2 && byte <= 0xdf) [needed, code] = [1, byte & 0x1f];
      else if (byte >= 0xe0 && byte <= 0xef) {
        if (byte === 0xe0) lower = 0xa0;
        if (byte === 0xed) upper = 0x9f;
        [needed, code] = [2, byte & 0x0f];
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        if (byte === 0xf0) lower = 0x90;
        if (byte === 0xf4) upper = 0x8f;
        [needed, code] = [3, byte & 0x07];
      } else codes.push(0xfffd);
      continue;
    }
    if (byte < lower || byte > upper) {
      // The sequence so far is one invalid subpart; the byte starts over.
      [needed, seen, code, lower, upper] = [0, 0, 0, 0x80, 0xbf];
      codes.push(0xfffd);
      i--;
      continue;
    }
    [lower, upper] = [0x80, 0xbf];
    code = (code << 6) | (byte & 0x3f);
    seen++;
    if (seen === needed) {
      codes.push(code);
      [needed, seen, code] = [0, 0, 0];
    }
  }
  if (needed !== 0) codes.push(0xfffd);
  let text = '';
  for (let i = 0; i < codes.length; i += 4096) {
    text += String.fromCodePoint(...codes.slice(i, i + 4096));
  }
  return text;
}
