// `raftlab migrate` on the real file system and `raftlab migrate-cluster` on a simulated cluster.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeFsBackend } from '../storage/fs/node-fs-backend';
import { saveFsmStore } from '../engines/fsm-store';
import { KvStateMachine } from '../engines/kv-state-machine';
import { main } from './main';

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
    expect(result.out).toContain('rolled back to hashicorp');
  });
});
