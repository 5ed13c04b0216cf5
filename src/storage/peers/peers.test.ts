import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../codec/byte-writer';
import { MemoryBackend } from '../fs/memory-backend';
import {
  decodeConfChangeContext,
  decodeProposalEnvelope,
  decodeReadContext,
  encodeConfChangeContext,
  encodeProposalEnvelope,
  encodeReadContext,
  errConfChangeContextTooLarge,
} from './context-codec';
import { deriveNodeId, fnv1a64 } from './node-id';
import { decodePeersFile, encodePeersFile, peersToJson } from './peers-file';
import { loadPeersFile, savePeersFile } from './peers-store';

const utf8 = (text: string) => new TextEncoder().encode(text);

function header(index: bigint, count: number): ByteWriter {
  return new ByteWriter().raw(utf8('EKVP')).u32(1).u64(index).u32(count);
}

function record(writer: ByteWriter, nodeId: bigint, id: string, address: string): ByteWriter {
  return writer.u64(nodeId).lengthPrefixedBytes(utf8(id)).lengthPrefixedBytes(utf8(address));
}

function decodeError(bytes: Uint8Array): string {
  const result = decodePeersFile(bytes);
  if (result.ok) throw new Error('expected a decode error');
  return result.error.message;
}

describe('NodeID (FNV-1a 64)', () => {
  it('matches the FNV-1a 64 reference values', () => {
    expect(fnv1a64(utf8(''))).toBe(0xcbf29ce484222325n);
    expect(fnv1a64(utf8('a'))).toBe(0xaf63dc4c8601ec8cn);
    expect(fnv1a64(utf8('foobar'))).toBe(0x85944171f73967e8n);
    expect(deriveNodeId('a')).toBe(0xaf63dc4c8601ec8cn);
    expect(deriveNodeId('')).toBe(0n);
  });
});

describe('etcd-raft-peers.bin', () => {
  it('decodes the EKVP v1 layout in file order, normalising missing fields', () => {
    const writer = header(0xffffffffffffffffn, 3);
    record(writer, 5n, 'n5', 'host5:1');
    record(writer, 0n, 'a', 'host-a:1');
    record(writer, 7n, '', '');
    const result = decodePeersFile(writer.finish());
    if (!result.ok) throw result.error;
    const json = peersToJson(result.value);
    expect(JSON.parse(json)).toEqual({
      index: '18446744073709551615',
      peers: [
        { nodeId: '5', id: 'n5', address: 'host5:1' },
        { nodeId: deriveNodeId('a').toString(), id: 'a', address: 'host-a:1' },
        { nodeId: '7', id: '7', address: '' },
      ],
    });
    expect(json.startsWith('{"index": "18446744073709551615", "peers": [{"nodeId": "5", "id": "n5", "address": "host5:1"}, ')).toBe(true);
  });

  it('encodes sorted by NodeID then ID, big-endian, byte for byte', () => {
    const bytes = encodePeersFile({
      index: 9n,
      peers: [
        { nodeId: 2n, id: 'b', address: 'x' },
        { nodeId: 1n, id: 'z', address: '' },
        { nodeId: 2n, id: 'a', address: 'y' },
      ],
    });
    const expected = header(9n, 3);
    record(expected, 1n, 'z', '');
    record(expected, 2n, 'a', 'y');
    record(expected, 2n, 'b', 'x');
    expect(bytes).toEqual(expected.finish());
  });

  it("reports elastickv's errors with byte offsets", () => {
    const good = header(1n, 0).finish();
    const badMagic = good.slice();
    badMagic[0] = 0x58;
    expect(decodeError(badMagic)).toBe('invalid etcd raft peers magic at byte offset 0');
    const badVersion = good.slice();
    badVersion[7] = 2;
    expect(decodeError(badVersion)).toBe('unsupported etcd raft peers version 2 at byte offset 4');
    expect(decodeError(header(1n, 1025).finish())).toBe('persisted peer count 1025 exceeds limit 1024 at byte offset 16');
    expect(decodeError(new Uint8Array([...good, 0]))).toBe('1 trailing bytes after the last peer record at byte offset 20');
    const longId = header(1n, 1).u64(1n).u32(1024 * 1024 + 1).finish();
    expect(decodeError(longId)).toBe('peer id size 1048577 exceeds limit 1048576 at byte offset 28');
    const noId = record(header(1n, 1), 0n, '', 'addr').finish();
    expect(decodeError(noId)).toBe('etcd raft peer id is required at byte offset 20');
    expect(decodeError(good.subarray(0, 10))).toBe('etcd raft peers version and index needs 12 bytes but 6 remain at byte offset 4');
  });

  it('rejects huge claimed counts and lengths at once, without allocating them', () => {
    const start = process.hrtime.bigint();
    expect(decodeError(header(1n, 1_000_000_000).finish())).toMatch(/exceeds limit 1024/);
    expect(decodeError(header(1n, 1).u64(1n).u32(4_000_000_000).finish())).toMatch(/peer id size 4000000000/);
    expect(decodeError(header(1n, 1024).finish())).toMatch(/peer node id and id length needs 12 bytes but 0 remain at byte offset 20/);
    // Generous bound: this is about not allocating gigabytes, not about speed.
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(1000);
  });

  it('round-trips any valid configuration and decodes any bytes to a typed result (fuzz)', () => {
    const peer = fc.record({
      nodeId: fc.bigInt({ min: 1n, max: 0xffffffffffffffffn }),
      id: fc.string({ minLength: 1, maxLength: 8 }),
      address: fc.string({ maxLength: 8 }),
    });
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 0xffffffffffffffffn }), fc.array(peer, { maxLength: 6 }), (index, peers) => {
        const decoded = decodePeersFile(encodePeersFile({ index, peers }));
        if (!decoded.ok) throw decoded.error;
        expect(decoded.value.index).toBe(index);
        expect(new Set(decoded.value.peers.map((p) => `${p.nodeId}|${p.id}|${p.address}`))).toEqual(
          new Set(peers.map((p) => `${p.nodeId}|${p.id}|${p.address}`)),
        );
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.boolean(), (tail, withHeader) => {
        const bytes = withHeader ? new Uint8Array([...header(1n, tail[0] ?? 0).finish(), ...tail]) : tail;
        const result = decodePeersFile(bytes);
        if (!result.ok) expect(result.error.name).toBe('DecodeError');
      }),
      { numRuns: 3000 },
    );
  });

  it('never lets an older configuration overwrite a newer file', async () => {
    const fs = new MemoryBackend();
    const peers = [{ nodeId: 1n, id: 'n1', address: 'a:1' }];
    expect(await savePeersFile(fs, '', { index: 5n, peers }, 1)).toEqual({ ok: true, value: true });
    expect(await savePeersFile(fs, '', { index: 4n, peers: [] }, 2)).toEqual({ ok: true, value: false });
    const loaded = await loadPeersFile(fs, '');
    expect(loaded).toEqual({ ok: true, value: { index: 5n, peers } });
    expect(await fs.list('')).toEqual(['etcd-raft-peers.bin']);
  });
});

describe('Raft context envelopes', () => {
  it('encodes proposals, ReadIndex contexts and conf-change contexts as elastickv does', () => {
    const proposal = encodeProposalEnvelope(258n, new Uint8Array([7]));
    expect(Array.from(proposal)).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 2, 7]);
    expect(decodeProposalEnvelope(proposal)).toEqual({ requestId: 258n, payload: new Uint8Array([7]) });
    expect(Array.from(encodeReadContext(1n))).toEqual([2, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(decodeReadContext(encodeReadContext(99n))).toBe(99n);
    expect(decodeReadContext(new Uint8Array([2, 0]))).toBeNull();
    const peer = { nodeId: 0xffffffffffffffffn, id: 'n2', address: 'h:2' };
    const context = encodeConfChangeContext(3n, peer);
    expect(context.length).toBe(21 + 2 + 3);
    expect(Array.from(context.subarray(17, 21))).toEqual([0, 2, 0, 3]);
    expect(decodeConfChangeContext(context)).toEqual({ requestId: 3n, peer });
    expect(decodeConfChangeContext(context.subarray(0, 25))).toBeNull();
    expect(decodeConfChangeContext(proposal)).toBeNull();
  });

  it('refuses ids or addresses longer than 65535 bytes with errConfChangeContextTooLarge', () => {
    const long = 'x'.repeat(65536);
    expect(() => encodeConfChangeContext(1n, { nodeId: 1n, id: long, address: '' })).toThrow(errConfChangeContextTooLarge);
    expect(() => encodeConfChangeContext(1n, { nodeId: 1n, id: '', address: long })).toThrow(
      'etcd raft conf change context is too large',
    );
    expect(encodeConfChangeContext(1n, { nodeId: 1n, id: 'x'.repeat(65535), address: '' }).length).toBe(21 + 65535);
  });

  it('decodes arbitrary bytes to null or a value, never an exception (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => {
        decodeConfChangeContext(bytes);
        decodeReadContext(bytes);
        decodeProposalEnvelope(bytes);
      }),
      { numRuns: 2000 },
    );
  });
});
