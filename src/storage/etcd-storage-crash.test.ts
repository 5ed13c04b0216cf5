// Crash tests: the node dies at every write point of the scenario, and with a torn tail at every
// byte of its last WAL writes; each time, what it recovers must include everything it had
// acknowledged (every resolved save) and nothing that was never written.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../raft/random';
import { EtcdStorage } from './etcd-storage';
import { runStep, scenarioSteps, viewOf, type ScenarioStep, type StorageView } from './etcd-storage-scenario';
import { FaultLayer, SimulatedCrashError } from './fs/fault-layer';
import { MemoryBackend } from './fs/memory-backend';

const segmentBytesMax = 300;

async function open(fs: FaultLayer): Promise<EtcdStorage> {
  const result = await EtcdStorage.open(fs, { dataDir: 'n1', segmentBytesMax });
  if (!result.ok) throw result.error;
  return result.value;
}

async function freshLayer(seed: number): Promise<FaultLayer> {
  return FaultLayer.create(new MemoryBackend(), { random: seededRandom(seed) });
}

/** The view after each step of an uninterrupted run; views[0] is the empty node. */
async function referenceViews(): Promise<{ views: StorageView[]; operations: number }> {
  const fs = await freshLayer(1);
  const storage = await open(fs);
  const views = [viewOf(storage.storage)];
  for (const step of scenarioSteps) {
    await runStep(storage, step);
    views.push(viewOf(storage.storage));
  }
  return { views, operations: fs.operationCount };
}

/** Runs the scenario until the armed crash stops it; returns how many steps were acknowledged. */
async function runUntilCrash(fs: FaultLayer, steps: readonly ScenarioStep[]): Promise<number> {
  let acknowledged = 0;
  try {
    const storage = await open(fs);
    for (const step of steps) {
      await runStep(storage, step);
      acknowledged++;
    }
  } catch (error) {
    if (!(error instanceof SimulatedCrashError)) throw error;
  }
  return acknowledged;
}

describe('EtcdStorage crash recovery', () => {
  it('recovers every acknowledged step when killed at any write point (unsynced bytes lost)', async () => {
    const { views, operations } = await referenceViews();
    expect(operations).toBeGreaterThan(50);
    for (let point = 0; point < operations; point++) {
      const fs = await freshLayer(point);
      fs.armCrash({ atOperation: point });
      const acknowledged = await runUntilCrash(fs, scenarioSteps);
      expect(acknowledged).toBeLessThan(scenarioSteps.length);
      await fs.crash({ keepPendingBytes: 0 });
      const recovered = viewOf((await open(fs)).storage);
      // Either exactly the acknowledged state, or the step in flight had become durable whole.
      const allowed = [views[acknowledged], views[acknowledged + 1]];
      expect(allowed, `write point ${point}, ${acknowledged} steps acknowledged`).toContainEqual(recovered);
    }
  });

  it('recovers a consistent state when killed at any write point with random torn writes', async () => {
    const { views, operations } = await referenceViews();
    for (let point = 0; point < operations; point++) {
      const fs = await FaultLayer.create(new MemoryBackend(), {
        random: seededRandom(1000 + point),
        tornWriteRatio: { numerator: 1, denominator: 2 },
      });
      fs.armCrash({ atOperation: point, tornBytes: seededRandom(point).intn(64) });
      const acknowledged = await runUntilCrash(fs, scenarioSteps);
      await fs.crash();
      const storage = await open(fs);
      const recovered = viewOf(storage.storage);
      expectIncludes(recovered, views[acknowledged], `write point ${point}`);
      // A second open over the repaired dir finds the same state and nothing to repair.
      const again = await open(fs);
      expect(viewOf(again.storage)).toEqual(recovered);
      expect(again.warnings, `write point ${point}`).toEqual([]);
    }
  });

  it('recovers a prefix of the last save when its WAL write is torn at every byte', async () => {
    const { views } = await referenceViews();
    const saveSteps = scenarioSteps.flatMap((step, i) => (step.kind === 'save' && i > 0 ? [i] : []));
    for (const last of saveSteps) {
      const size = await lastWriteSize(last);
      const seen = new Set<string>();
      let tornReports = 0;
      for (let tornBytes = 0; tornBytes <= size; tornBytes++) {
        const fs = await freshLayer(tornBytes);
        const storage = await open(fs);
        for (const step of scenarioSteps.slice(0, last)) await runStep(storage, step);
        fs.armCrash({ atOperation: fs.operationCount + walAppendOffset(scenarioSteps[last]), tornBytes });
        await expect(runStep(storage, scenarioSteps[last])).rejects.toBeInstanceOf(SimulatedCrashError);
        await fs.crash({ keepPendingBytes: tornBytes });
        const reopened = await open(fs);
        const recovered = viewOf(reopened.storage);
        expectIncludes(recovered, views[last], `step ${last} torn at ${tornBytes}`);
        if (tornBytes === size) expect(recovered).toEqual(views[last + 1]);
        if (tornBytes === 0) expect(recovered).toEqual(views[last]);
        if (reopened.warnings.some((warning) => warning.kind === 'torn-tail')) tornReports++;
        seen.add(JSON.stringify(recovered));
      }
      // Each whole record that reached the disk shows: several distinct prefixes were recovered.
      expect(seen.size, `step ${last}`).toBeGreaterThan(1);
      // Every cut inside a record (all but the record boundaries) was reported as a torn tail.
      expect(tornReports, `step ${last}`).toBeGreaterThanOrEqual(size + 1 - 2 * seen.size);
    }
  });
});

/** Ops of a step before its WAL append: a snapshot file's write, fsync, rename, dir fsync. */
function walAppendOffset(step: ScenarioStep): number {
  return step.kind === 'save' && step.ready.snapshot.metadata.index > 0 ? 4 : 0;
}

/** The size of the batch the step appends to the WAL, measured on an uninterrupted run. */
async function lastWriteSize(stepIndex: number): Promise<number> {
  const backend = new MemoryBackend();
  const fs = await FaultLayer.create(backend, { random: seededRandom(1) });
  const storage = await open(fs);
  for (const step of scenarioSteps.slice(0, stepIndex)) await runStep(storage, step);
  const sizeOfLast = async () => {
    const names = await backend.list('n1/wal');
    return { name: names[names.length - 1], size: (await backend.stat(`n1/wal/${names[names.length - 1]}`)).size };
  };
  const before = await sizeOfLast();
  await runStep(storage, scenarioSteps[stepIndex]);
  return (await backend.stat(`n1/wal/${before.name}`)).size - before.size;
}

/**
 * `recovered` includes everything in `acknowledged` and invents nothing: its HardState is the
 * acknowledged one or a later one from the scenario, every acknowledged entry after the recovered
 * snapshot is present unless a later acknowledged-or-attempted entry replaced it, and its
 * snapshot is at least as new.
 */
function expectIncludes(recovered: StorageView, acknowledged: StorageView, context: string): void {
  expect(recovered.snapshot.index, context).toBeGreaterThanOrEqual(acknowledged.snapshot.index);
  expect(recovered.hardState.term, context).toBeGreaterThanOrEqual(acknowledged.hardState.term);
  expect(recovered.hardState.commit, context).toBeGreaterThanOrEqual(acknowledged.hardState.commit);
  const scenarioEntries = new Set(
    scenarioSteps.flatMap((step) =>
      step.kind === 'save'
        ? step.ready.entries.map((e) => `${e.term}/${e.index}:${e.data === null ? 'nil' : Array.from(e.data).join(',')}`)
        : [],
    ),
  );
  for (const entry of recovered.entries) expect(scenarioEntries, context).toContain(entry);
  const recoveredByIndex = new Map(recovered.entries.map((entry) => [indexOf(entry), entry]));
  for (const entry of acknowledged.entries) {
    const index = indexOf(entry);
    if (index <= recovered.snapshot.index) continue;
    const found = recoveredByIndex.get(index);
    expect(found, `${context}: acknowledged entry ${entry} lost`).toBeDefined();
    if (found === entry) continue;
    // The write in flight replaced the log from here on (a newer leader's entries): allowed.
    expect(termOf(found!), `${context}: entry ${entry} became ${found}`).toBeGreaterThan(termOf(entry));
    break;
  }
}

function indexOf(entry: string): number {
  return Number(entry.split(':')[0].split('/')[1]);
}

function termOf(entry: string): number {
  return Number(entry.split('/')[0]);
}
