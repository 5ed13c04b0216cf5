import { describe, expect, it } from 'vitest';
import { ByteReader } from './byte-reader';
import { ByteWriter } from './byte-writer';
import { DecodeError, decodeWith } from './decode-error';

describe('ByteReader / ByteWriter', () => {
  it('round-trips big-endian integers and length-prefixed bytes', () => {
    const bytes = new ByteWriter(1)
      .u8(0xab)
      .u16(0x1234)
      .u32(0xdeadbeef)
      .u64(0xfedcba9876543210n)
      .u64(2 ** 53 - 1)
      .lengthPrefixedBytes(new Uint8Array([1, 2, 3]))
      .finish();
    expect(Array.from(bytes.subarray(0, 3))).toEqual([0xab, 0x12, 0x34]);
    const reader = new ByteReader(bytes);
    expect(reader.u8('a')).toBe(0xab);
    expect(reader.u16('b')).toBe(0x1234);
    expect(reader.u32('c')).toBe(0xdeadbeef);
    expect(reader.u64('d')).toBe(0xfedcba9876543210n);
    expect(reader.u64Number('e')).toBe(2 ** 53 - 1);
    expect(reader.lengthPrefixedBytes('f', 3)).toEqual(new Uint8Array([1, 2, 3]));
    reader.expectEnd('everything');
  });

  it('rejects a length above its maximum before reading, with the offset of the length', () => {
    const bytes = new ByteWriter().u8(0).u32(4_000_000_000).finish();
    const result = decodeWith(() => {
      const reader = new ByteReader(bytes, 100);
      reader.u8('pad');
      return reader.lengthPrefixedBytes('peer id', 1024);
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe('too-large');
    expect(result.error.offset).toBe(101);
    expect(result.error.message).toBe('peer id size 4000000000 exceeds limit 1024 at byte offset 101');
  });

  it('reports truncation and trailing bytes as typed errors', () => {
    const truncated = decodeWith(() => new ByteReader(new Uint8Array(3)).u32('count'));
    expect(truncated).toMatchObject({ ok: false, error: { kind: 'truncated', offset: 0 } });
    const trailing = decodeWith(() => {
      const reader = new ByteReader(new Uint8Array(5));
      reader.u32('x');
      reader.expectEnd('x');
    });
    expect(trailing).toMatchObject({ ok: false, error: { kind: 'trailing', offset: 4 } });
  });

  it('refuses u64 values beyond 2^53 - 1 where a number is expected', () => {
    const bytes = new ByteWriter().u64(2n ** 53n).finish();
    const result = decodeWith(() => new ByteReader(bytes).u64Number('term'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toBeInstanceOf(DecodeError);
  });

  it('lets non-decode errors through decodeWith', () => {
    expect(() => decodeWith(() => {
      throw new TypeError('bug');
    })).toThrow(TypeError);
  });
});
