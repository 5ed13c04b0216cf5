import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EtcdStorage } from '../storage/etcd-storage';
import { runStep, scenarioSteps } from '../storage/etcd-storage-scenario';
import { NodeFsBackend } from '../storage/fs/node-fs-backend';
import { main } from './main';

let root = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'raftlab-datadir-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, out: out.join(''), err: err.join('') };
}

describe('raftlab datadir check', () => {
  it('creates the dir and writes the marker, then accepts it again', async () => {
    const dir = join(root, 'fresh', 'n1');
    expect(await run('datadir', 'check', '--engine', 'etcd', dir)).toEqual({
      code: 0,
      out: `${dir}: ok for the etcd engine (marker written)\n`,
      err: '',
    });
    expect(await readFile(join(dir, 'raft-engine'), 'utf8')).toBe('etcd\n');
    expect((await run('datadir', 'check', '--engine', 'etcd', dir)).out).toMatch(/marker already present/);
  });

  it("exits 1 with elastickv's error text for another engine's dir", async () => {
    const dir = join(root, 'hashicorp-node');
    await mkdir(join(dir, 'raft.db'), { recursive: true });
    expect(await run('datadir', 'check', '--engine', 'etcd', dir)).toEqual({
      code: 1,
      out: '',
      err: `${dir} contains hashicorp state, not etcd: raft data dir belongs to a different raft engine\n`,
    });
    await writeFile(join(dir, 'raft-engine'), 'bogus\n');
    expect((await run('datadir', 'check', '--engine', 'hashicorp', dir)).err).toBe(
      `invalid raft engine marker ${dir}/raft-engine: "bogus": unsupported raft engine\n`,
    );
    expect((await run('datadir', 'check', '--engine', 'raft', dir)).code).toBe(2);
  });
});

describe('raftlab datadir inspect', () => {
  it('lists every file of an etcd node with what it holds', async () => {
    const dir = join(root, 'etcd-node');
    await mkdir(dir);
    const opened = await EtcdStorage.open(new NodeFsBackend(dir), { segmentBytesMax: 300 });
    if (!opened.ok) throw opened.error;
    for (const step of scenarioSteps) await runStep(opened.value, step);
    await opened.value.savePeers({ index: 3n, peers: [{ nodeId: 1n, id: 'n1', address: 'h:1' }] });
    await writeFile(join(dir, 'etcd-raft-peers.bin.tmp-9'), 'x');
    const result = await run('datadir', 'inspect', dir);
    expect(result.code).toBe(0);
    expect(result.out).toContain('etcd-raft-peers.bin (');
    expect(result.out).toContain('peers at index 3: n1=h:1 [1]');
    expect(result.out).toContain('etcd-raft-peers.bin.tmp-9 (1 bytes): temp file of an interrupted atomic write');
    expect(result.out).toContain('raft-engine (5 bytes): raft engine marker: etcd');
    expect(result.out).toMatch(/\n {2}0000000000000003-000000000000000c\.snap \(\d+ bytes\): snapshot term=3 index=12 voters=\[1 2 3\]/);
    expect(result.out).toMatch(/\.wal \(\d+ bytes\): WAL segment, \d+ records; \d+ entries from 3\/\d+ to 3\/20/);
    expect(result.out).toMatch(/last term=4 vote=2 commit=20/);
  });
});
