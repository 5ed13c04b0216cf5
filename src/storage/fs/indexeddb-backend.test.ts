import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../raft/random';
import { EtcdStorage } from '../etcd-storage';
import { runStep, scenarioSteps, viewOf } from '../etcd-storage-scenario';
import { describeBackendConformance } from './backend-conformance';
import { FaultLayer } from './fault-layer';
import { IndexedDbBackend, indexedDbChunksMax } from './indexeddb-backend';

let databases = 0;
const freshName = () => `test-${++databases}`;

describeBackendConformance('IndexedDbBackend (fake-indexeddb)', () => IndexedDbBackend.open(freshName()));

describe('IndexedDbBackend', () => {
  it('finds its data again after the database is closed and reopened (a page reload)', async () => {
    const name = freshName();
    const first = await IndexedDbBackend.open(name);
    await first.mkdir('wal');
    await first.appendFile('wal/a', new Uint8Array([1, 2]));
    await first.appendFile('wal/a', new Uint8Array([3]));
    first.close();
    const second = await IndexedDbBackend.open(name);
    expect(await second.list('')).toEqual(['wal']);
    expect(await second.readFile('wal/a')).toEqual(new Uint8Array([1, 2, 3]));
    second.close();
  });

  it('merges appended pieces once there are too many, keeping every byte', async () => {
    const fs = await IndexedDbBackend.open(freshName());
    const expected: number[] = [];
    for (let i = 0; i < indexedDbChunksMax + 5; i++) {
      await fs.appendFile('f', new Uint8Array([i & 0xff]));
      expected.push(i & 0xff);
    }
    expect(Array.from(await fs.readFile('f'))).toEqual(expected);
    fs.close();
  });

  it('refuses a move under a file and keeps the source whole', async () => {
    const fs = await IndexedDbBackend.open(freshName());
    await fs.mkdir('d');
    await fs.writeFile('d/f', new Uint8Array([1]));
    await fs.writeFile('x', new Uint8Array([2]));
    await expect(fs.rename('d', 'x/y')).rejects.toMatchObject({ code: 'ENOTDIR' });
    expect(await fs.readFile('d/f')).toEqual(new Uint8Array([1]));
    fs.close();
  });

  it('keeps an etcd node storage across reopen, under the fault layer too', async () => {
    const name = freshName();
    const backend = await IndexedDbBackend.open(name);
    const fault = await FaultLayer.create(backend, { random: seededRandom(5) });
    const opened = await EtcdStorage.open(fault, { segmentBytesMax: 300 });
    if (!opened.ok) throw opened.error;
    for (const step of scenarioSteps) await runStep(opened.value, step);
    const expected = viewOf(opened.value.storage);
    backend.close();
    const reopened = await EtcdStorage.open(await IndexedDbBackend.open(name), {});
    if (!reopened.ok) throw reopened.error;
    expect(viewOf(reopened.value.storage)).toEqual(expected);
  });
});
