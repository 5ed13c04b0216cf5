import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EtcdStorage } from '../storage/etcd-storage';
import { runStep, scenarioSteps } from '../storage/etcd-storage-scenario';
import { NodeFsBackend } from '../storage/fs/node-fs-backend';
import { HashicorpDataDir } from '../engines/hashicorp/data-dir';
import { LogType } from '../engines/hashicorp/types';
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
  it('refuses a missing dir unless --create, then creates it, writes the marker, and accepts it again', async () => {
    const dir = join(root, 'fresh', 'n1');
    expect(await run('datadir', 'check', '--engine', 'etcd', dir)).toEqual({
      code: 2,
      out: '',
      err: `raftlab datadir check: ${dir} does not exist (pass --create to create it as a fresh node's data dir, as elastickv's check does at startup)\n`,
    });
    expect(await run('datadir', 'check', '--engine', 'etcd', '--create', dir)).toEqual({
      code: 0,
      out: `${dir}: created (a fresh node's data dir)\n${dir}: ok for the etcd engine (marker written)\n`,
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

describe('raftlab datadir check: what the engine itself refuses', () => {
  it("hashicorp: refuses logs.dat or stable.dat with elastickv's legacy message, leaving no marker", async () => {
    for (const legacy of ['logs.dat', 'stable.dat']) {
      const dir = join(root, `legacy-${legacy}`);
      await mkdir(join(dir, 'raft.db'), { recursive: true });
      await writeFile(join(dir, legacy), 'bolt');
      expect(await run('datadir', 'check', '--engine', 'hashicorp', dir)).toEqual({
        code: 1,
        out: '',
        err: `legacy boltdb Raft storage "${legacy}" found in ${dir}; manual migration required before using Pebble-backed storage\n`,
      });
      await expect(readFile(join(dir, 'raft-engine'))).rejects.toThrow(/ENOENT/);
    }
  });

  it('etcd: a corrupt WAL segment, snapshot or peers file fails check and inspect, naming the file and byte offset', async () => {
    const dir = join(root, 'etcd-corrupt');
    await mkdir(dir);
    const opened = await EtcdStorage.open(new NodeFsBackend(dir), { segmentBytesMax: 300 });
    if (!opened.ok) throw opened.error;
    for (const step of scenarioSteps) await runStep(opened.value, step);
    await opened.value.savePeers({ index: 3n, peers: [{ nodeId: 1n, id: 'n1', address: 'h:1' }] });
    expect((await run('datadir', 'check', '--engine', 'etcd', dir)).code).toBe(0);
    expect((await run('datadir', 'inspect', dir)).code).toBe(0);
    const segment = join(dir, 'wal', (await readdir(join(dir, 'wal'))).sort()[0]);
    const original = await readFile(segment);
    const damaged = Buffer.from(original);
    damaged[40] ^= 0xff;
    await writeFile(segment, damaged);
    const checked = await run('datadir', 'check', '--engine', 'etcd', dir);
    expect(checked.code).toBe(1);
    expect(checked.err).toMatch(new RegExp(`^${dir}/wal/[0-9a-f-]+\\.wal: WAL segment, corrupt: .* at byte offset \\d+\n$`));
    const inspected = await run('datadir', 'inspect', dir);
    expect(inspected.code).toBe(1);
    expect(inspected.out).toContain('WAL segment, corrupt');
    expect(inspected.err).toMatch(new RegExp(`^raftlab datadir inspect: ${dir}/wal/[0-9a-f-]+\\.wal: WAL segment, corrupt: .* at byte offset \\d+\n$`));
    await writeFile(segment, original);
    await writeFile(join(dir, 'etcd-raft-peers.bin'), 'EKVX');
    expect((await run('datadir', 'check', '--engine', 'etcd', dir)).err).toMatch(/etcd-raft-peers\.bin: peers file, malformed: .*at byte offset 0\n$/);
    await rm(join(dir, 'etcd-raft-peers.bin'));
    const snap = join(dir, 'snap', (await readdir(join(dir, 'snap'))).find((name) => name.endsWith('.snap'))!);
    const snapBytes = Buffer.from(await readFile(snap));
    snapBytes[snapBytes.length - 1] ^= 0xff;
    await writeFile(snap, snapBytes);
    const snapChecked = await run('datadir', 'check', '--engine', 'etcd', dir);
    expect(snapChecked.code).toBe(1);
    expect(snapChecked.err).toMatch(/\.snap: snapshot, corrupt: .* at byte offset \d+\n$/);
  });
});

describe('raftlab datadir check on a damaged HashiCorp data dir', () => {
  it('fails check (and inspect) naming the damaged store and byte offset; a torn log tail is not damage', async () => {
    const dir = join(root, 'hc-corrupt');
    const fs = new NodeFsBackend(root);
    const opened = await HashicorpDataDir.open(fs, { dataDir: 'hc-corrupt' });
    if (!opened.ok) throw new Error(opened.error);
    await opened.value.write({ kind: 'stable', state: { currentTerm: 3, lastVoteTerm: 3, lastVoteCand: 2 } });
    const entries = [1, 2, 3].map((index) => ({ index, term: 1, type: LogType.Command, data: new Uint8Array([index]) }));
    await opened.value.write({ kind: 'appendLogs', entries });
    expect(await run('datadir', 'check', '--engine', 'hashicorp', dir)).toMatchObject({ code: 0 });
    const logs = join(dir, 'raft.db', 'logs.bin');
    const original = await readFile(logs);
    await writeFile(logs, original.subarray(0, original.length - 3));
    expect(await run('datadir', 'check', '--engine', 'hashicorp', dir)).toMatchObject({ code: 0 });
    const stable = join(dir, 'raft.db', 'stable.bin');
    const damaged = Buffer.from(await readFile(stable));
    damaged[10] ^= 0xff;
    await writeFile(stable, damaged);
    expect(await run('datadir', 'check', '--engine', 'hashicorp', dir)).toEqual({
      code: 1,
      out: '',
      err: `${dir}/raft.db/stable.bin: stable store, corrupt: stable file checksum mismatch at byte offset 32\n`,
    });
    expect((await run('datadir', 'inspect', dir)).code).toBe(1);
  });
});

describe('raftlab datadir on a path that is not a data dir', () => {
  it('says what and where, exit 2, for a regular file or a path under one', async () => {
    const file = join(root, 'plain-file');
    await writeFile(file, 'x');
    for (const engine of ['etcd', 'hashicorp']) {
      expect(await run('datadir', 'check', '--engine', engine, file)).toEqual({
        code: 2,
        out: '',
        err: `raftlab datadir check: ${file} is a file, not a data dir\n`,
      });
      const under = await run('datadir', 'check', '--engine', engine, '--create', join(file, 'n1'));
      expect(under).toEqual({ code: 2, out: '', err: `raftlab datadir check: ${join(file, 'n1')}: a part of the path is not a folder\n` });
    }
    expect(await run('datadir', 'inspect', file)).toEqual({ code: 2, out: '', err: `raftlab datadir inspect: ${file} is a file, not a data dir\n` });
    expect((await run('datadir', 'inspect', join(root, 'nothing-here'))).err).toBe(`raftlab datadir inspect: ${join(root, 'nothing-here')} does not exist\n`);
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
