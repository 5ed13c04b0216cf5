import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  KvStore,
  decodeProposal,
  decodeReadIndexContext,
  encodeProposal,
  encodeReadIndexContext,
  type KvCommand,
} from './kv-codec';

const ascii = fc.string({ maxLength: 20 }).map((text) => text.replace(/[^\x20-\x7e]/g, 'x'));
const command: fc.Arbitrary<KvCommand> = fc.oneof(
  ascii.map((key) => ({ f: 'get' as const, key })),
  fc.tuple(ascii, ascii).map(([key, value]) => ({ f: 'put' as const, key, value })),
  fc
    .tuple(ascii, fc.option(ascii), ascii)
    .map(([key, from, to]) => ({ f: 'cas' as const, key, from, to })),
);

describe('KV command codec (elastickv-style proposal context)', () => {
  it('round-trips every command and request id', () => {
    fc.assert(
      fc.property(command, fc.maxSafeNat(), (cmd, requestId) => {
        const data = encodeProposal({ requestId, command: cmd });
        expect(data[0]).toBe(0x01);
        expect(decodeProposal(data)).toEqual({ ok: true, value: { requestId, command: cmd } });
      }),
    );
  });

  it('reports truncated, trailing and foreign data as errors, never throws', () => {
    const data = encodeProposal({ requestId: 7, command: { f: 'put', key: 'k', value: 'v' } });
    fc.assert(
      fc.property(fc.nat(data.length - 1), (cut) => {
        expect(decodeProposal(data.slice(0, cut)).ok).toBe(false);
      }),
    );
    const longer = Uint8Array.from([...data, 0]);
    expect(decodeProposal(longer)).toEqual({ ok: false, error: '1 trailing bytes' });
    expect(decodeProposal(encodeReadIndexContext(7))).toEqual({
      ok: false,
      error: 'tag 0x2 is not a proposal',
    });
    expect(decodeReadIndexContext(encodeReadIndexContext(2 ** 40 + 3))).toEqual({
      ok: true,
      value: 2 ** 40 + 3,
    });
  });

  it('applies get, put and cas like a map with compare-and-set', () => {
    const store = new KvStore();
    expect(store.apply({ f: 'get', key: 'a' })).toEqual({ f: 'get', value: null });
    expect(store.apply({ f: 'cas', key: 'a', from: null, to: '1' })).toEqual({
      f: 'cas',
      swapped: true,
    });
    expect(store.apply({ f: 'cas', key: 'a', from: null, to: '2' })).toEqual({
      f: 'cas',
      swapped: false,
    });
    expect(store.apply({ f: 'put', key: 'a', value: '3' })).toEqual({ f: 'put' });
    expect(store.apply({ f: 'get', key: 'a' })).toEqual({ f: 'get', value: '3' });
  });
});
