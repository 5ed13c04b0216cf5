// The worker protocol's decoders: every valid message round-trips through structured clone,
// and anything else (random values, valid messages with one field replaced, hostile lengths) is
// a typed ProtocolError, never an exception or an unbounded allocation.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyBatch } from '../engines/etcd/batch';
import { initFor } from '../engines/etcd/test-support';
import { MessageType, makeMessage, type Message } from '../raft/types';
import { MemoryBackend } from '../storage/fs/memory-backend';
import { NodeRuntime } from './node-runtime';
import { decodeWorkerRequest, decodeWorkerResponse, protocolVersion, type WorkerRequest } from './protocol';
import { ProtocolError } from './validate';

const message: Message = makeMessage({
  type: MessageType.MsgApp,
  to: 2,
  from: 1,
  term: 3,
  index: 4,
  logTerm: 2,
  entries: [{ term: 3, index: 5, type: 0, data: new Uint8Array([1, 2]) }],
  commit: 4,
});
const snapshotMessage = makeMessage({
  type: MessageType.MsgSnap,
  to: 3,
  from: 1,
  term: 3,
  snapshot: { data: new Uint8Array([9]), metadata: { index: 7, term: 3, confState: { voters: [1, 2, 3], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false } } },
});

const validRequests: WorkerRequest[] = [
  { protocolVersion, kind: 'init', init: initFor(1, [1, 2, 3]), disk: { kind: 'memory' } },
  { protocolVersion, kind: 'init', init: { id: 4, bootstrapPeers: null }, disk: { kind: 'node-fs', root: '/tmp/x' } },
  {
    protocolVersion,
    kind: 'batch',
    sequence: 3,
    batch: {
      commands: [{ kind: 'restart', seed: 7 }, { kind: 'armCrash', afterOperations: 2, tornBytes: 3 }, { kind: 'crash' }],
      messages: [message, snapshotMessage],
      requests: [
        { kind: 'propose', requestId: 1, command: { op: 'cas', key: 'k', expected: null, value: 'v' } },
        { kind: 'read', requestId: 2, key: 'k' },
      ],
      admin: [
        { kind: 'addVoter', requestId: 3, nodeId: 4, address: 'a:1', prevIndex: 0 },
        { kind: 'removeServer', requestId: 4, nodeId: 2, prevIndex: 9 },
        { kind: 'transferLeadership', requestId: 5, nodeId: 3 },
      ],
      ticks: 2,
    },
  },
];

/** Replaces the value at one path of a structured-clone copy of `value`. */
function mutate(value: unknown, choice: number, replacement: unknown): unknown {
  const copy = structuredClone(value);
  const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (node: unknown) => {
    if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return;
    for (const [key, child] of Object.entries(node)) {
      slots.push({ parent: node as Record<string, unknown>, key });
      walk(child);
    }
  };
  walk(copy);
  const slot = slots[choice % slots.length];
  (slot.parent as Record<string | number, unknown>)[slot.key] = replacement;
  return copy;
}

describe('worker protocol decoders', () => {
  it('round-trip every valid request through structured clone', () => {
    for (const request of validRequests) {
      const decoded = decodeWorkerRequest(structuredClone(request));
      expect(decoded).toEqual({ ok: true, value: request });
    }
  });

  it('return a ProtocolError, never throw, for arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything({ withTypedArray: true, withNullPrototype: true, withBigInt: true, withMap: true }), (value) => {
        for (const decoded of [decodeWorkerRequest(value), decodeWorkerResponse(value)]) {
          if (!decoded.ok) expect(decoded.error).toBeInstanceOf(ProtocolError);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('return a ProtocolError for a valid request with any one field replaced', () => {
    fc.assert(
      fc.property(
        fc.nat(validRequests.length - 1),
        fc.nat(),
        fc.oneof(fc.anything({ withTypedArray: true }), fc.constant(-1), fc.constant(2 ** 60), fc.constant(1.5), fc.string({ maxLength: 3 })),
        (which, choice, replacement) => {
          const decoded = decodeWorkerRequest(mutate(validRequests[which], choice, replacement));
          if (!decoded.ok) expect(decoded.error).toBeInstanceOf(ProtocolError);
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('checks lengths before building anything', () => {
    const hostile = structuredClone(validRequests[2]) as Extract<WorkerRequest, { kind: 'batch' }>;
    const huge: unknown[] = [];
    huge.length = 2 ** 32 - 1; // sparse: costs nothing until someone walks it
    (hostile.batch as unknown as { messages: unknown }).messages = huge;
    const decoded = decodeWorkerRequest(hostile);
    expect(decoded.ok ? '' : decoded.error.message).toBe('request.batch.messages: 4294967295 items exceed 10000');
    const wrongVersion = decodeWorkerRequest({ ...validRequests[0], protocolVersion: 2 });
    expect(wrongVersion.ok ? '' : wrongVersion.error.message).toBe('request.protocolVersion: unsupported protocol version 2 (expected 1)');
    const extra = decodeWorkerRequest({ ...validRequests[0], surprise: 1 });
    expect(extra.ok ? '' : extra.error.message).toBe('request.surprise: unexpected field');
  });
});

describe('the node runtime', () => {
  it('answers malformed, wrong-version and out-of-order requests with typed errors', async () => {
    const runtime = new NodeRuntime(async () => new MemoryBackend());
    expect(await runtime.handle({ protocolVersion, kind: 'batch', sequence: 0, batch: emptyBatch() })).toMatchObject({
      kind: 'error',
      code: 'out-of-order',
    });
    expect(await runtime.handle({ protocolVersion: 9, kind: 'init' })).toMatchObject({ kind: 'error', code: 'unsupported-version' });
    expect(await runtime.handle('hello')).toMatchObject({ kind: 'error', code: 'malformed' });
    expect(await runtime.handle(validRequests[0])).toEqual({ protocolVersion, kind: 'initialized', nodeId: 1 });
    const first = await runtime.handle({ protocolVersion, kind: 'batch', sequence: 5, batch: emptyBatch() });
    expect(first).toMatchObject({ kind: 'batchResult', sequence: 5 });
    expect(decodeWorkerResponse(first).ok).toBe(true);
    expect(await runtime.handle({ protocolVersion, kind: 'batch', sequence: 5, batch: emptyBatch() })).toMatchObject({
      kind: 'error',
      code: 'out-of-order',
    });
  });
});
