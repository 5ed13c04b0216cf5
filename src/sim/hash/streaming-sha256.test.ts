import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createStreamingSha256, streamingSha256Kind } from './streaming-sha256';

describe('the streaming SHA-256', () => {
  it('is the native one under Node', () => {
    expect(streamingSha256Kind).toBe('native');
  });

  it('gives the same digest native and plain, however the bytes are cut into ranges', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 700 }),
        fc.array(fc.nat(700), { maxLength: 6 }),
        (bytes, cuts) => {
          const points = [0, ...cuts.map((cut) => Math.min(cut, bytes.length)), bytes.length].sort(
            (a, b) => a - b,
          );
          const native = createStreamingSha256();
          const plain = createStreamingSha256({ plain: true });
          for (let i = 1; i < points.length; i++) {
            native.updateRange(bytes, points[i - 1], points[i]);
            plain.updateRange(bytes, points[i - 1], points[i]);
          }
          const copy = plain.copy();
          const expected = createHash('sha256').update(bytes).digest('hex');
          expect(native.digestHex()).toBe(expected);
          expect(plain.digestHex()).toBe(expected);
          expect(copy.digestHex()).toBe(expected);
        },
      ),
    );
  });

  it('refuses a range outside the bytes', () => {
    expect(() => createStreamingSha256().updateRange(new Uint8Array(4), 2, 5)).toThrow(/bad range/);
    expect(() =>
      createStreamingSha256({ plain: true }).updateRange(new Uint8Array(4), 3, 2),
    ).toThrow(/bad range/);
  });
});
