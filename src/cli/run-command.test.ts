import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main';
import type { MemoryStorage } from '../raft/log/log-storage';
import { createSimulation } from '../sim/run';
import type { Simulation } from '../sim/simulation';
import { describeRunReport, parseDurationMs, parseRunArgs } from './run-command';

function storageOf(sim: Simulation, id: number): MemoryStorage {
  // Test-only access to a node's disk: no public API may corrupt a node.
  const nodes = (sim as unknown as { nodes: Map<number, { storage: MemoryStorage }> }).nodes;
  return nodes.get(id)!.storage;
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['run', ...args], {
    out: (text) => (out += text),
    err: (text) => (err += text),
  });
  return { code, out, err };
}

describe('raftlab run', () => {
  it('prints the seed, every parameter, outcomes, checks and the transcript hash; repeats exactly', async () => {
    const args = ['--seed', '3', '--nodes', '3', '--time', '3s', '--nemesis', 'all'];
    const first = await run(args);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    for (const pattern of [
      /^seed 3$/m,
      /^nodes 3, tick 10 ms, safety phase 3000 ms, liveness bound 10000 ms$/m,
      /^reads (index|lease|log) \(picked by seed\)$/m,
      /^nemesis partition,crash,pause,loss,duplicate,reorder,latency,clock \(given\)$/m,
      /^ {2}loss: \d+\/100$/m,
      /^ {2}clock drift: 1:-?\d+ppm 2:-?\d+ppm 3:-?\d+ppm$/m,
      /^operations ok \d+, failed \d+, unknown \d+$/m,
      /^leader changes \d+$/m,
      /^invariants ok$/m,
      /^liveness converged \d+ ms after heal-all/m,
      /^linearizability linearizable$/m,
      /^transcript \d+ lines, \d+ events, \d+ ms simulated, sha256 [0-9a-f]{64}$/m,
      /^ok; reproduce with: npx raftlab run --seed 3 --nodes 3 --time 3s --nemesis all$/m,
    ]) {
      expect(first.out).toMatch(pattern);
    }
    expect((await run(args)).out).toBe(first.out);
  });

  it('--json prints the report as data; --trace writes a versioned trace', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'raftlab-run-'));
    const tracePath = join(dir, 'trace.json');
    const { code, out } = await run([
      '--seed',
      '5',
      '--time',
      '2000ms',
      '--nemesis',
      'none',
      '--reads',
      'lease',
      '--json',
      '--trace',
      tracePath,
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.options.reads).toBe('lease');
    expect(report.options.plan.faults).toEqual([]);
    expect(report.simulation.transcriptHash).toMatch(/^[0-9a-f]{64}$/);
    const trace = JSON.parse(await readFile(tracePath, 'utf8'));
    expect(trace).toMatchObject({
      format: 'raftlab-trace',
      version: 1,
      seed: 5,
      transcriptHash: report.simulation.transcriptHash,
    });
    expect(trace.buildVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('replays a scenario file and names the bad field of a broken one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'raftlab-scenario-'));
    const good = join(dir, 'good.json');
    await writeFile(
      good,
      JSON.stringify({
        version: 1,
        nodes: 3,
        timeMs: 3_000,
        steps: [
          { atMs: 1_000, action: 'crash', node: 2 },
          { atMs: 2_000, action: 'restart', node: 2 },
        ],
      }),
    );
    const ok = await run(['--seed', '1', '--scenario', good]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^nemesis crash \(from scenario\)$/m);
    const bad = join(dir, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify({ version: 1, nodes: 3, steps: [{ atMs: 1, action: 'crash', node: 4 }] }),
    );
    const refused = await run(['--seed', '1', '--scenario', bad]);
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(
      `raftlab run: ${bad}: steps[0].node: expected an integer in 1..3, got 4\n`,
    );
  });

  it('refuses bad arguments with exit 2 and the usage', async () => {
    expect((await run([])).err).toMatch(/--seed is required/);
    expect((await run(['--seed', 'x'])).code).toBe(2);
    expect((await run(['--seed', '1', '--nodes', '2'])).err).toMatch(/--nodes must be 3\.\.9/);
    expect((await run(['--seed', '1', '--nemesis', 'crash,meteor'])).err).toMatch(
      /unknown fault meteor/,
    );
    expect((await run(['--seed', '1', '--reads', 'dirty'])).err).toMatch(
      /--reads must be index, lease or log/,
    );
    expect(parseRunArgs(['--seed=4', '--time=1m'])).toMatchObject({
      run: { seed: 4, timeMs: 60_000 },
    });
    expect([
      parseDurationMs('60s'),
      parseDurationMs('500ms'),
      parseDurationMs('250'),
      parseDurationMs('1h'),
    ]).toEqual([60_000, 500, 250, undefined]);
  });

  it('prints a violation with the invariant, the event and each node', () => {
    const sim = createSimulation({
      seed: 8,
      nodeCount: 3,
      timeMs: 5_000,
      nemesis: [],
      reads: 'log',
    });
    sim.runUntil(2_000);
    const follower = sim.nodeViews().find((view) => view.role === 'follower')!;
    const entries = (
      storageOf(sim, follower.id) as unknown as { ents: { index: number; term: number }[] }
    ).ents;
    entries.find((entry) => entry.index === follower.commit)!.term += 100;
    sim.inject({ kind: 'crash', node: follower.id });
    sim.inject({ kind: 'restart', node: follower.id });
    const { workload, ...simulation } = sim.run();
    const text = describeRunReport(
      {
        options: {
          seed: 8,
          nodeCount: 3,
          timeMs: 5_000,
          tickMs: 10,
          livenessBoundMs: 10_000,
          reads: 'log',
          readsSource: 'option',
          workload: { clientCount: 6, keyCount: 3, opsPerSecond: 100, timeoutMs: 1_000 },
          plan: {
            faults: [],
            source: 'list',
            links: {
              latencyMsMin: 1,
              latencyMsMax: 5,
              jitterMs: 1,
              lossRatio: { numerator: 0, denominator: 1 },
              duplicateRatio: { numerator: 0, denominator: 1 },
              reorderRatio: { numerator: 0, denominator: 1 },
              reorderDelayMsMax: 0,
            },
            driftPpm: {},
            steps: [],
            parameters: [],
          },
        },
        simulation,
        counts: workload.counts,
        history: workload.history,
        linearizability: null,
        failed: true,
      },
      ['--seed', '8'],
    );
    expect(text).toMatch(
      /^invariants VIOLATED (state-machine-safety|log-matching|leader-completeness) at \d+ ms \(event \d+\): /m,
    );
    expect(text).toMatch(/^ {2}event: \d+ /m);
    expect(text).toMatch(/^ {2}node 3: /m);
    expect(text).toMatch(/^liveness not reached/m);
    expect(text).toMatch(/^FAILED; reproduce with: npx raftlab run --seed 8$/m);
  });
});
