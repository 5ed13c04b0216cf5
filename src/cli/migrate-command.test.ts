// `raftlab migrate` on the real file system and `raftlab migrate-cluster` on a simulated cluster.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeFsBackend } from '../storage/fs/node-fs-backend';
import { saveFsmStore } from '../engines/fsm-store';
import { KvStateMachine } from '../engines/kv-state-machine';
import { main } from './main';
import { askOnStdin } from './migrate-command';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function run(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

describe('raftlab migrate', () => {
  it('migrates a real fsm.db and prints the line; a second run refuses the existing dest', async () => {
    const root = await mkdtemp(join(tmpdir(), 'raftlab-migrate-'));
    dirs.push(root);
    const fsm = new KvStateMachine();
    fsm.apply({ op: 'put', key: 'k', value: 'v' });
    const data = fsm.serialize();
    await saveFsmStore(new NodeFsBackend(root), 'fsm.db', { appliedIndex: 4, appliedTerm: 2, data }, 1);
    const args = ['migrate', '--fsm-store', join(root, 'fsm.db'), '--dest', join(root, 'out'), '--peers', 'a=h1:1,b=h2:2,c=h3:3'];
    expect(await run(args)).toEqual({ code: 0, out: `migrated snapshot_bytes=${data.length} peers=3\n`, err: '' });
    expect((await readdir(join(root, 'out'))).sort()).toEqual(['etcd-raft-peers.bin', 'snap', 'wal']);
    const again = await run(args);
    expect(again.code).toBe(1);
    expect(again.err).toBe(`raftlab migrate: destination ${join(root, 'out').split('/').join(sep)} already exists; refusing to overwrite it\n`);
    expect((await run(['migrate', '--dest', join(root, 'x'), '--peers', 'a=h:1'])).err).toBe('raftlab migrate: --fsm-store is required\n');
  });

  it('names the path and exits 2 when the fsm store or the dest is under a regular file or on /proc', async () => {
    const root = await mkdtemp(join(tmpdir(), 'raftlab-migrate-'));
    dirs.push(root);
    await writeFile(join(root, 'file'), 'x');
    const data = new KvStateMachine().serialize();
    await saveFsmStore(new NodeFsBackend(root), 'fsm.db', { appliedIndex: 1, appliedTerm: 1, data }, 1);
    const peers = ['--peers', 'a=h1:1'];
    const fsmUnder = await run(['migrate', '--fsm-store', join(root, 'file', 'x'), '--dest', join(root, 'out'), ...peers]);
    expect(fsmUnder).toMatchObject({ code: 2, out: '' });
    expect(fsmUnder.err).toMatch(new RegExp(`^raftlab migrate: fsm store ${join(root, 'file', 'x')} cannot be read: a part of the path is not a folder: ${join(root, 'file', 'x')} \\(ENOTDIR`));
    const destUnder = await run(['migrate', '--fsm-store', join(root, 'fsm.db'), '--dest', join(root, 'file', 'out'), ...peers]);
    expect(destUnder).toMatchObject({ code: 2, out: '' });
    expect(destUnder.err).toMatch(new RegExp(`^raftlab migrate: cannot use this path: a part of the path is not a folder: ${join(root, 'file', 'out')} \\(ENOTDIR`));
    const proc = await run(['migrate', '--fsm-store', join(root, 'fsm.db'), '--dest', '/proc/raftlab-migrate-test', ...peers]);
    expect(proc).toMatchObject({ code: 2, out: '' });
    expect(proc.err).toMatch(/^raftlab migrate: cannot use this path: .*\/proc\/raftlab-migrate-test\.migrating \((ENOENT|EIO|EACCES)/);
  });

  it('migrate-cluster refuses a --seed that is not a number', async () => {
    const result = await run(['migrate-cluster', '--nodes', 'n1=h1', '--peers', 'n1=h1:7000', '--yes', '--seed', 'abc']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^raftlab migrate-cluster: --seed must be a non-negative integer, got "abc"\n/);
  });

  it('the confirmation prompt answers no at end of input (stdin closed), so the run aborts with exit 1', async () => {
    const input = Readable.from([]);
    expect(await askOnStdin('Continue? [y/N] ', input)).toBe('');
    const typed = Readable.from(['y\n']);
    expect(await askOnStdin('Continue? [y/N] ', typed)).toBe('y');
  });

  it('migrate-cluster runs the story end to end, step by step', async () => {
    const result = await run(['migrate-cluster', '--nodes', 'n1=h1,n2=h2,n3=h3', '--peers', 'n1=h1:7000,n2=h2:7000,n3=h3:7000', '--yes', '--timestamp', '20250101T000000Z']);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain('[confirm] skip: --yes');
    expect(result.out).toContain('[convert] n2 info: archived raft.db into hashicorp-backup-20250101T000000Z/');
    expect(result.out).toContain('migrated: every one of the 5 writes acknowledged on hashicorp read on every etcd node');
  });

  it('migrate-cluster --bug no-peers-file fails validation with the split brain, and --rollback restores hashicorp', async () => {
    const result = await run(['migrate-cluster', '--nodes', 'n1=h1,n2=h2,n3=h3', '--peers', 'n1=h1:7000,n2=h2:7000,n3=h3:7000', '--yes', '--timestamp', '20250101T000000Z', '--bug', 'no-peers-file', '--rollback']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/election safety: etcd term 2 has more than one leader/);
    expect(result.out).toMatch(/\[rollback\] (n[0-9]) info: stopped \1 so that another node leads and answers the read/);
    expect(result.out).toMatch(/\[rollback\] (n[0-9]) ok: read on \1 what (?!\1)n[0-9] wrote and the 5 writes acknowledged before the migration/);
    expect(result.out).toContain('rolled back to hashicorp: the 5 writes acknowledged before the migration read back\n');
  });
});
