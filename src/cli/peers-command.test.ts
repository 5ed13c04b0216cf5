import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveNodeId } from '../storage/peers/node-id';
import { main } from './main';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raftlab-peers-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, out: out.join(''), err: err.join('') };
}

function header(count: number): Uint8Array {
  const bytes = new Uint8Array(20);
  bytes.set(new TextEncoder().encode('EKVP'));
  const view = new DataView(bytes.buffer);
  view.setUint32(4, 1);
  view.setBigUint64(8, 7n);
  view.setUint32(16, count);
  return bytes;
}

describe('raftlab peers', () => {
  it('encodes a file and decodes it back in file order (sorted by NodeID)', async () => {
    const file = join(dir, 'etcd-raft-peers.bin');
    const encoded = await run('peers', 'encode', '--index', '18446744073709551615', '--peer', 'n1=10.0.0.1:7000', '--peer', 'n2=10.0.0.2:7000', '--out', file);
    expect(encoded).toMatchObject({ code: 0, err: '' });
    const decoded = await run('peers', 'decode', file);
    expect(decoded.code).toBe(0);
    const ids = [
      { nodeId: deriveNodeId('n1'), id: 'n1', address: '10.0.0.1:7000' },
      { nodeId: deriveNodeId('n2'), id: 'n2', address: '10.0.0.2:7000' },
    ].sort((a, b) => (a.nodeId < b.nodeId ? -1 : 1));
    expect(JSON.parse(decoded.out)).toEqual({
      index: '18446744073709551615',
      peers: ids.map((peer) => ({ ...peer, nodeId: peer.nodeId.toString() })),
    });
    expect(decoded.out).toMatch(/^\{"index": "18446744073709551615", "peers": \[\{"nodeId": "\d+", "id": "n/);
  });

  it('prints one line saying what is wrong and where, exit 1, for malformed files', async () => {
    const cases: [Uint8Array, string][] = [
      [new TextEncoder().encode('NOPE'), 'invalid etcd raft peers magic at byte offset 0'],
      [header(1_000_000_000), 'persisted peer count 1000000000 exceeds limit 1024 at byte offset 16'],
      [new Uint8Array([...header(1), 0, 0, 0, 0, 0, 0, 0, 1, 0xee, 0x6b, 0x28, 0x00]), 'peer id size 4000000000 exceeds limit 1048576 at byte offset 28'],
      [new Uint8Array([...header(0), 9]), '1 trailing bytes after the last peer record at byte offset 20'],
    ];
    for (const [bytes, message] of cases) {
      const file = join(dir, 'bad.bin');
      await writeFile(file, bytes);
      const result = await run('peers', 'decode', file);
      expect(result).toEqual({ code: 1, out: '', err: `raftlab peers decode: ${file}: ${message}\n` });
    }
    expect((await run('peers', 'decode', join(dir, 'missing.bin'))).code).toBe(1);
  });

  it('refuses bad encode arguments with a usage error', async () => {
    expect((await run('peers', 'encode', '--index', 'x', '--out', join(dir, 'p'))).code).toBe(2);
    expect((await run('peers', 'encode', '--index', '1', '--peer', 'noequals', '--out', join(dir, 'p'))).code).toBe(2);
    expect((await run('peers', 'encode', '--index', '1')).code).toBe(2);
    expect((await run('peers')).code).toBe(2);
    await expect(readFile(join(dir, 'p'))).rejects.toThrow();
  });
});
