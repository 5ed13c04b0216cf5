import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Sha256, sha256Hex, utf8Bytes } from './sha256';

describe('SHA-256', () => {
  it('matches the FIPS 180-4 / NIST test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(sha256Hex('a'.repeat(1_000_000))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
  });

  it('gives the same digest however the input is split into updates', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (bytes, cut) => {
        const at = Math.min(cut, bytes.length);
        const whole = new Sha256().update(bytes).digestHex();
        const split = new Sha256().update(bytes.slice(0, at)).update(bytes.slice(at)).digestHex();
        expect(split).toBe(whole);
        expect(whole).toBe(createHash('sha256').update(bytes).digest('hex'));
      }),
    );
  });

  it('hashes ranges of a buffer, compressing whole blocks in place, like one update', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), fc.nat(700), fc.nat(700), (bytes, a, b) => {
        const [from, to] = [Math.min(a, b, bytes.length), Math.min(Math.max(a, b), bytes.length)];
        const hash = new Sha256().updateRange(bytes, 0, from);
        const copy = hash.copy().updateRange(bytes, from, to).updateRange(bytes, to, bytes.length);
        hash.updateRange(bytes, from, bytes.length);
        const expected = createHash('sha256').update(bytes).digest('hex');
        expect(hash.digestHex()).toBe(expected);
        expect(copy.digestHex()).toBe(expected);
      }),
    );
    expect(() => new Sha256().updateRange(new Uint8Array(2), 1, 3)).toThrow(/bad range/);
  });

  it('encodes text as UTF-8 like Node does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(Buffer.from(utf8Bytes(text)).equals(Buffer.from(text, 'utf8'))).toBe(true);
      }),
    );
  });

  it('refuses to be used after its digest', () => {
    const hash = new Sha256();
    hash.digest();
    expect(() => hash.updateText('x')).toThrow(/after digest/);
  });
});
