// The `inspect` request: a node process reads its data dir with the storage decoders between
// batches (a HashiCorp-style node's raft.db/, snapshots/ and marker with that engine's decoders),
// and what it reports agrees with what the node itself reported as durable; bytes written but
// not fsynced are counted until the fsync.
import { describe, expect, it } from 'vitest';
import { prepareDurableRun } from '../sim/durable/durable-run';
import { MemoryBackend } from '../storage/fs/memory-backend';
import { inspectableDriver, type InspectableDriver } from './browser-worker-driver';
import { inProcessEndpoint } from './in-process';
import { decodeWorkerResponse, protocolVersion, type WorkerEngine } from './protocol';
import type { WireMessage } from '../sim/durable/node-driver';
import { SyncTracker } from './sync-tracker';

/** A durable run of 3 nodes on `engine`'s host, in-process behind the protocol, stepped until it has a leader. */
async function steppedCluster(engine: WorkerEngine, steps: number) {
  const drivers: InspectableDriver<WireMessage>[] = [];
  const { simulation } = prepareDurableRun({
    seed: 5,
    nodeCount: 3,
    timeMs: 3_000,
    nemesis: [],
    diskFaults: [],
    engine,
    drivers: (init) => {
      const driver = inspectableDriver(inProcessEndpoint<WireMessage>(init, undefined, engine));
      drivers.push(driver);
      return driver;
    },
  });
  for (let i = 0; i < steps && (await simulation.step()); i++) {
    // Steps until a leader has committed a few entries.
  }
  const views = simulation.nodeViews();
  expect(views.some((view) => view.role === 'leader')).toBe(true);
  return { simulation, drivers, views };
}

describe('inspect: a node reads its own data dir between batches', () => {
  it('agrees with the durable HardState and last index the node reported', async () => {
    const { simulation, drivers, views } = await steppedCluster('etcd', 400);
    for (const driver of drivers) {
      const inspection = await driver.inspect();
      const view = views.find((candidate) => candidate.id === driver.nodeId)!;
      expect(inspection.hardState).toEqual({ term: view.durable.term, vote: view.durable.vote, commit: view.durable.commit });
      expect(inspection.lastIndex).toBe(view.durable.lastIndex);
      expect(inspection.marker).not.toBeNull();
      expect(inspection.peers?.peers.length).toBe(3);
      expect(inspection.walRecords.some((record) => record.kind === 'hardstate')).toBe(true);
      // The bootstrap is a snapshot at index 1 holding the voters (no conf change entries yet).
      expect(inspection.snapshots.map((snapshot) => snapshot.confState.voters)).toEqual([[1, 2, 3]]);
      expect(inspection.confChanges).toEqual([]);
      // Every batch ends with its writes fsynced (the Ready rule), so nothing is pending now.
      expect(inspection.pending).toEqual([]);
    }
    // The answer is validated like every protocol message.
    expect(decodeWorkerResponse({ protocolVersion, kind: 'inspection', inspection: { lines: 'x' } }).ok).toBe(false);
    await simulation.terminate();
  });

  it('counts bytes written since each file last fsync', async () => {
    const disk = new SyncTracker(new MemoryBackend());
    await disk.mkdir('wal');
    await disk.writeFile('wal/a', new Uint8Array(10));
    await disk.fsync('wal/a');
    await disk.appendFile('wal/a', new Uint8Array(7));
    await disk.writeFile('b', new Uint8Array(3));
    expect(disk.pendingBytes()).toEqual([
      { path: 'b', bytes: 3 },
      { path: 'wal/a', bytes: 7 },
    ]);
    await disk.rename('wal', 'wal2');
    await disk.fsync('b');
    expect(disk.pendingBytes()).toEqual([{ path: 'wal2/a', bytes: 7 }]);
    await disk.remove('wal2', { recursive: true });
    expect(disk.pendingBytes()).toEqual([]);
  });

  it('agrees with the durable term, vote and last index the node reported', async () => {
    const { simulation, drivers, views } = await steppedCluster('hashicorp', 600);
    for (const driver of drivers) {
      const inspection = await driver.inspect();
      const view = views.find((candidate) => candidate.id === driver.nodeId)!;
      const stores = inspection.hashicorp!;
      expect(stores.stable?.currentTerm).toBe(view.durable.term);
      const vote = stores.stable!.lastVoteTerm === stores.stable!.currentTerm ? stores.stable!.lastVoteCand : 0;
      expect(vote).toBe(view.durable.vote);
      expect(inspection.lastIndex).toBe(view.durable.lastIndex);
      expect(inspection.marker).toBe('hashicorp');
      expect(inspection.hardState).toBeNull();
      // BootstrapCluster writes the voters as log entry 1.
      expect(stores.logRecords[0].text).toMatch(/^1\/1 configuration \[\{Voter 1 /);
      expect(stores.firstIndex).toBe(1);
      expect(inspection.lines.some((line) => line.startsWith('raft.db/stable.bin (36 bytes): stable store'))).toBe(true);
      expect(inspection.pending).toEqual([]);
      expect(inspection.problems).toEqual([]);
    }
    // The answer is validated like every protocol message, the HashiCorp stores too.
    const inspection = await drivers[0].inspect();
    expect(decodeWorkerResponse({ protocolVersion, kind: 'inspection', inspection }).ok).toBe(true);
    const bad = { ...inspection, hashicorp: { ...inspection.hashicorp, logRecordCount: -1 } };
    expect(decodeWorkerResponse({ protocolVersion, kind: 'inspection', inspection: bad }).ok).toBe(false);
    await simulation.terminate();
  });
});
