import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { utf8Decode, utf8Encode } from './bytes';

describe('utf8', () => {
  it('matches TextEncoder for any well-formed string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(utf8Encode(text)).toEqual(new TextEncoder().encode(text));
        expect(utf8Decode(utf8Encode(text))).toBe(text);
      }),
    );
  });

  it('matches TextDecoder on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(utf8Decode(bytes)).toBe(new TextDecoder().decode(bytes));
      }),
    );
  });
});
