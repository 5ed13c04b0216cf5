// The same seed gives the same transcript in-process and in worker_threads (each node in its own
// thread, its disk a directory that outlives the thread across a crash).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BatchEndpoint } from '../engines/etcd/lockstep-cluster';
import type { NodeId } from '../raft/types';
import type { NodeEndpoint } from './endpoint';
import { inProcessEndpoint } from './in-process';
import { nodeWorkerEndpoint } from './node-worker';
import { runScenario, scenarioInits } from './transcript-scenario';

const seed = 42;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe('lockstep endpoints', () => {
  it('give the same transcript in-process and in worker_threads for the same seed', async () => {
    const inProcess = new Map<NodeId, BatchEndpoint>(scenarioInits().map((init) => [init.id, inProcessEndpoint(init)]));
    const expected = await runScenario(inProcess, seed);
    const root = await mkdtemp(join(tmpdir(), 'raftlab-workers-'));
    const workers = new Map<NodeId, NodeEndpoint>(
      scenarioInits().map((init) => [init.id, nodeWorkerEndpoint(init, join(root, `node-${init.id}`))]),
    );
    cleanups.push(async () => {
      for (const endpoint of workers.values()) await endpoint.kill();
      await rm(root, { recursive: true, force: true });
    });
    const actual = await runScenario(workers, seed);
    expect(actual.length).toBe(expected.length);
    for (let i = 0; i < expected.length; i++) {
      expect(actual[i], `round ${expected[i].round} node ${expected[i].node}`).toEqual(expected[i]);
    }
    // The run did what it claims: a crash, a restart, committed puts, an answered read.
    const lines = expected.flatMap((step) => step.result.logLines.map((line) => line.text));
    expect(lines.some((line) => /crashed \(kept \d+ unsynced bytes/.test(line))).toBe(true);
    expect(lines.filter((line) => / starting$/.test(line)).length).toBe(4);
    const responses = expected.flatMap((step) => step.result.responses);
    expect(responses.find((response) => response.requestId === 1000)?.result.ok).toBe(true);
    expect(responses.filter((response) => response.result.ok).length).toBeGreaterThanOrEqual(8);
    // And the comparison can fail: another seed gives another transcript.
    const other = new Map<NodeId, BatchEndpoint>(scenarioInits().map((init) => [init.id, inProcessEndpoint(init)]));
    expect(await runScenario(other, seed + 1)).not.toEqual(expected);
  });
});
