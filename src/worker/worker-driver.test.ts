// Determinism across drivers: a durable simulator run with every fault on (disk faults included)
// gives the same transcript hash with its nodes in-process and with one worker_thread per node,
// whose disks are real directories that outlive each crashed thread.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faultKinds } from '../sim/nemesis/plan';
import { diskFaultKinds } from '../sim/durable/disk-faults';
import { runDurableSimulation, type DurableRunOptions } from '../sim/durable/durable-run';
import type { NodeDriverFactory, WireMessage } from '../sim/durable/node-driver';
import { MemoryBackend } from '../storage/fs/memory-backend';
import { inspectableDriver } from './browser-worker-driver';
import { inProcessEndpoint } from './in-process';
import { workerThreadDrivers } from './worker-driver';

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

describe('durable runs with one worker_thread per node', () => {
  it('give the same transcript hash as in-process for the same seed and options', async () => {
    const options: DurableRunOptions = {
      seed: 2,
      nodeCount: 3,
      timeMs: 3_000,
      nemesis: [...faultKinds],
      diskFaults: [...diskFaultKinds],
      nemesisSpeedup: 3,
      transcriptLinesKeptMax: 100_000,
    };
    const inProcess = await runDurableSimulation(options);
    const again = await runDurableSimulation(options);
    expect(again.simulation.transcriptHash).toBe(inProcess.simulation.transcriptHash);
    const root = await mkdtemp(join(tmpdir(), 'raftlab-durable-'));
    roots.push(root);
    const workers = await runDurableSimulation({ ...options, drivers: workerThreadDrivers(root), driverName: 'worker_threads' });
    const expected = inProcess.simulation.transcriptLines;
    const actual = workers.simulation.transcriptLines;
    const firstDifference = expected.findIndex((line, i) => line !== actual[i]);
    expect(firstDifference, `first different line: ${expected[firstDifference]} / ${actual[firstDifference]}`).toBe(-1);
    expect(workers.simulation.transcriptHash).toBe(inProcess.simulation.transcriptHash);
    expect(workers.durable.driver).toBe('worker_threads');
    // The run crashed nodes (threads terminated, disks kept) and the result is sound.
    expect(expected.filter((line) => /down: simulated crash/.test(line)).length).toBeGreaterThan(0);
    expect(expected.filter((line) => /down: /.test(line)).length).toBeGreaterThan(1);
    expect(expected.filter((line) => / nemesis restart \d+$/.test(line)).length).toBeGreaterThan(0);
    expect(inProcess.failed).toBe(false);
    // And the comparison can fail: another seed gives another transcript.
    const other = await runDurableSimulation({ ...options, seed: 3 });
    expect(other.simulation.transcriptHash).not.toBe(inProcess.simulation.transcriptHash);
  }, 40_000);

  it('give the same transcript hash for the HashiCorp-style engine too (its host in each thread)', async () => {
    const options: DurableRunOptions = {
      seed: 2,
      nodeCount: 3,
      timeMs: 3_000,
      nemesis: [...faultKinds],
      diskFaults: [...diskFaultKinds],
      nemesisSpeedup: 3,
      engine: 'hashicorp',
      transcriptLinesKeptMax: 100_000,
    };
    const inProcess = await runDurableSimulation(options);
    const root = await mkdtemp(join(tmpdir(), 'raftlab-durable-'));
    roots.push(root);
    const drivers = workerThreadDrivers(root, undefined, 'hashicorp');
    const workers = await runDurableSimulation({ ...options, drivers, driverName: 'worker_threads' });
    const expected = inProcess.simulation.transcriptLines;
    const actual = workers.simulation.transcriptLines;
    const firstDifference = expected.findIndex((line, i) => line !== actual[i]);
    expect(firstDifference, `first different line: ${expected[firstDifference]} / ${actual[firstDifference]}`).toBe(-1);
    expect(workers.simulation.transcriptHash).toBe(inProcess.simulation.transcriptHash);
    // The nodes really ran the HashiCorp engine (its RPCs on the wire), crashed and came back.
    expect(expected.some((line) => / AppendEntriesRequest /.test(line))).toBe(true);
    expect(expected.some((line) => /MsgApp/.test(line))).toBe(false);
    expect(expected.filter((line) => / nemesis restart \d+$/.test(line)).length).toBeGreaterThan(0);
    expect(inProcess.failed).toBe(false);
    expect(workers.durable).toMatchObject({ engine: 'hashicorp', driver: 'worker_threads' });
  }, 40_000);

  it("and through the shared runtime in-process (a browser Worker's code path, structured clone and validation included)", async () => {
    const options: DurableRunOptions = { seed: 4, nodeCount: 3, timeMs: 2_000, nemesis: ['partition', 'crash'], diskFaults: ['torn-writes'], engine: 'hashicorp' };
    const direct = await runDurableSimulation(options);
    const drivers: NodeDriverFactory<WireMessage> = (init) => inspectableDriver(inProcessEndpoint<WireMessage>(init, new MemoryBackend(), 'hashicorp'));
    const runtime = await runDurableSimulation({ ...options, drivers, driverName: 'runtime' });
    expect(runtime.simulation.transcriptHash).toBe(direct.simulation.transcriptHash);
    expect(direct.failed).toBe(false);
  }, 40_000);
});
