import { describe, expect, it } from 'vitest';
import { seededRandom } from '../raft/random';
import { makeEntry } from '../raft/types';
import { EtcdStorage } from './etcd-storage';
import { runStep, scenarioSteps, viewOf } from './etcd-storage-scenario';
import { FaultLayer } from './fs/fault-layer';
import { MemoryBackend } from './fs/memory-backend';
import { WalRecordType } from './wal/wal-record';

async function open(fs: MemoryBackend | FaultLayer, segmentBytesMax = 256) {
  const result = await EtcdStorage.open(fs, { dataDir: 'n1', segmentBytesMax });
  if (!result.ok) throw result.error;
  return result.value;
}

describe('EtcdStorage', () => {
  it('lays out the data dir like elastickv\'s etcd engine', async () => {
    const fs = new MemoryBackend();
    const storage = await open(fs);
    await storage.save(scenarioSteps[0].kind === 'save' ? scenarioSteps[0].ready : (undefined as never));
    await storage.savePeers({ index: 1n, peers: [{ nodeId: 1n, id: 'n1', address: 'h:1' }] });
    expect(await fs.list('n1')).toEqual(['etcd-raft-peers.bin', 'raft-engine', 'snap', 'wal']);
    expect(new TextDecoder().decode(await fs.readFile('n1/raft-engine'))).toBe('etcd\n');
  });

  it('recovers exactly what the scenario saved, after every step', async () => {
    const fs = new MemoryBackend();
    let storage = await open(fs);
    for (const step of scenarioSteps) {
      await runStep(storage, step);
      const expected = viewOf(storage.storage);
      storage = await open(fs);
      expect(viewOf(storage.storage)).toEqual(expected);
      expect(storage.warnings).toEqual([]);
    }
    const final = viewOf(storage.storage);
    expect(final.snapshot.index).toBe(12);
    expect(final.entries[0]).toBe('3/13:3,13,170');
    expect(final.hardState).toEqual({ term: 4, vote: 2, commit: 20 });
    expect(storage.confState.voters).toEqual([1, 2, 3]);
  });

  it('refuses a data dir of the other engine before touching it', async () => {
    const fs = new MemoryBackend();
    await fs.mkdir('n1');
    await fs.mkdir('n1/raft.db');
    const result = await EtcdStorage.open(fs, { dataDir: 'n1', displayDir: '/var/lib/n1' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toBe('/var/lib/n1 contains hashicorp state, not etcd: raft data dir belongs to a different raft engine');
    expect(await fs.list('n1')).toEqual(['raft.db']);
  });

  it('removes temp files at open and reports them', async () => {
    const fs = new MemoryBackend();
    await open(fs);
    await fs.writeFile('n1/etcd-raft-peers.bin.tmp-4', new Uint8Array([1]));
    const storage = await open(fs);
    expect(storage.warnings.map((warning) => warning.kind)).toEqual(['temp-file-removed']);
    expect(await fs.exists('n1/etcd-raft-peers.bin.tmp-4')).toBe(false);
  });

  it('stops on a corrupt record inside the WAL, naming the file and offset', async () => {
    const fs = new MemoryBackend();
    const storage = await open(fs, 1 << 20);
    for (let i = 1; i <= 3; i++) {
      await storage.save({ hardState: { term: 1, vote: 0, commit: 0 }, entries: [makeEntry({ term: 1, index: i })], snapshot: { data: null, metadata: { index: 0, term: 0, confState: storage.confState } } });
    }
    const [segment] = await fs.list('n1/wal');
    const data = await fs.readFile(`n1/wal/${segment}`);
    data[40] ^= 0xff;
    await fs.writeFile(`n1/wal/${segment}`, data);
    const result = await EtcdStorage.open(fs, { dataDir: 'n1' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(new RegExp(`in n1/wal/${segment} at byte offset \\d+$`));
  });

  it('skips a snapshot whose marker never reached the WAL', async () => {
    const fault = await FaultLayer.create(new MemoryBackend(), { random: seededRandom(1) });
    let storage = await open(fault);
    for (const step of scenarioSteps.slice(0, 5)) await runStep(storage, step);
    const before = viewOf(storage.storage);
    // Crash at the WAL append that would record the local snapshot's marker (after the snap file).
    const start = fault.operationCount;
    fault.armCrash({ atOperation: start + 4 });
    await expect(storage.createSnapshot(12, null, new Uint8Array([1]))).rejects.toThrow();
    await fault.crash({ keepPendingBytes: 0 });
    storage = await open(fault);
    expect(viewOf(storage.storage)).toEqual(before);
    expect(storage.warnings.map((warning) => warning.kind)).toContain('unreferenced-snapshot');
    expect(WalRecordType.SnapshotMarker).toBe(4);
  });
});
