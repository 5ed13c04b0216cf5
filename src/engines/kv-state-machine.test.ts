import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeKvCommand, decodeKvSnapshot, encodeKvCommand, KvStateMachine, type KvCommand } from './kv-state-machine';

const key = fc.string({ maxLength: 8 });
const command: fc.Arbitrary<KvCommand> = fc.oneof(
  fc.record({ op: fc.constant('put' as const), key, value: fc.string({ maxLength: 8 }) }),
  fc.record({ op: fc.constant('get' as const), key }),
  fc.record({ op: fc.constant('cas' as const), key, expected: fc.option(fc.string({ maxLength: 4 })), value: fc.string() }),
  fc.record({ op: fc.constant('delete' as const), key }),
);

describe('the key-value state machine', () => {
  it('puts, reads, compares-and-swaps and deletes per key', () => {
    const fsm = new KvStateMachine();
    expect(fsm.apply({ op: 'put', key: 'a', value: '1' })).toEqual({ ok: true, value: null });
    expect(fsm.apply({ op: 'cas', key: 'a', expected: '2', value: '3' })).toEqual({ ok: false, value: '1' });
    expect(fsm.apply({ op: 'cas', key: 'a', expected: '1', value: '3' })).toEqual({ ok: true, value: '1' });
    expect(fsm.apply({ op: 'cas', key: 'b', expected: null, value: 'x' })).toEqual({ ok: true, value: null });
    expect(fsm.apply({ op: 'get', key: 'a' })).toEqual({ ok: true, value: '3' });
    expect(fsm.apply({ op: 'delete', key: 'a' })).toEqual({ ok: true, value: '3' });
    expect(fsm.apply({ op: 'delete', key: 'a' })).toEqual({ ok: false, value: null });
    expect(fsm.entries()).toEqual([['b', 'x']]);
  });

  it('round-trips commands and snapshots; equal histories give equal snapshot bytes', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 30 }), (commands) => {
        const a = new KvStateMachine();
        const b = new KvStateMachine();
        for (const c of commands) {
          const decoded = decodeKvCommand(encodeKvCommand(c));
          expect(decoded).toEqual({ ok: true, value: c });
          a.apply(c);
        }
        expect(b.restore(a.serialize()).ok).toBe(true);
        expect(b.serialize()).toEqual(a.serialize());
        expect(b.entries()).toEqual(a.entries());
      }),
    );
  });

  it('decoders return typed errors for any bytes, never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const c = decodeKvCommand(bytes);
        if (!c.ok) expect(c.error.name).toBe('DecodeError');
        const s = decodeKvSnapshot(bytes);
        if (!s.ok) expect(s.error.name).toBe('DecodeError');
      }),
    );
    // A huge claimed count is refused before anything is allocated.
    const huge = new Uint8Array([0x52, 0x4c, 0x4b, 0x56, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff]);
    const result = decodeKvSnapshot(huge);
    expect(result.ok ? '' : result.error.message).toBe('kv snapshot count 4294967295 exceeds limit 100000 at byte offset 8');
  });
});
