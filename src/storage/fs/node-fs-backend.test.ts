import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EtcdStorage } from '../etcd-storage';
import { runStep, scenarioSteps, viewOf } from '../etcd-storage-scenario';
import { describeBackendConformance } from './backend-conformance';
import { NodeFsBackend } from './node-fs-backend';

const roots: string[] = [];
async function freshBackend(): Promise<NodeFsBackend> {
  const root = await mkdtemp(join(tmpdir(), 'raftlab-fs-'));
  roots.push(root);
  return new NodeFsBackend(root);
}

afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

describeBackendConformance('NodeFsBackend', freshBackend);

describe('NodeFsBackend', () => {
  it('keeps paths inside its root', async () => {
    const fs = await freshBackend();
    expect(() => fs.real('../etc/passwd')).toThrow(/invalid path/);
    expect(fs.real('wal/x')).toBe(join(fs.root, 'wal', 'x'));
  });

  it('holds a real etcd node data dir that a second process would recover', async () => {
    const fs = await freshBackend();
    const opened = await EtcdStorage.open(fs, { segmentBytesMax: 300 });
    if (!opened.ok) throw opened.error;
    for (const step of scenarioSteps) await runStep(opened.value, step);
    const reopened = await EtcdStorage.open(new NodeFsBackend(fs.root), {});
    if (!reopened.ok) throw reopened.error;
    expect(viewOf(reopened.value.storage)).toEqual(viewOf(opened.value.storage));
    expect(await fs.list('')).toEqual(['raft-engine', 'snap', 'wal']);
  });
});
