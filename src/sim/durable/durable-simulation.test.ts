// Durable runs: etcd node hosts on disks that outlive their crashes, attacked by every fault the
// nemesis has (network, process and disk), must keep Raft's invariants, give linearizable
// histories and converge once healed; and a crash that tears a WAL write recovers.
import { describe, expect, it } from 'vitest';
import type { BugName } from '../bugs';
import { faultKinds } from '../nemesis/plan';
import type { NemesisPlan } from '../nemesis/plan';
import { quietLinks } from '../network/faulty-network';
import { diskFaultKinds, diskFaultPlan, faultsStreamAfterPlan, type DiskFaultPlan } from './disk-faults';
import { prepareDurableRun, runDurableSimulation } from './durable-run';
import { termInRuns } from './durable-node';

const allFaults = { nemesis: [...faultKinds], diskFaults: [...diskFaultKinds] };
const never = { numerator: 0, denominator: 1 };
const quietPlan: NemesisPlan = { faults: ['crash'], source: 'scenario', links: quietLinks, driftPpm: {}, steps: [], parameters: [] };
const quietDisk: DiskFaultPlan = {
  faults: [],
  source: 'list',
  armedCrashRatio: never,
  writePointsMax: 1,
  tornRatio: never,
  tornBytesMax: 1,
  bitFlipOnReadRatio: never,
  flakyNodes: [],
  steps: [],
  parameters: [],
};

describe('durable simulation', () => {
  it('keeps every invariant, linearizability and liveness under all faults, disk faults included (seeds 1..6)', async () => {
    const seen = { armedCrash: 0, tornTail: 0, diskFull: 0 };
    for (let seed = 1; seed <= 6; seed++) {
      const report = await runDurableSimulation({
        seed,
        nodeCount: 3,
        timeMs: 5_000,
        nemesisSpeedup: 3,
        transcriptLinesKeptMax: 1_000_000,
        ...allFaults,
      });
      const reproduce = `reproduce with: npx raftlab run --seed ${seed} --nodes 3 --time 5s --nemesis all --nemesis-speedup 3 --durable`;
      expect(report.simulation.violation, reproduce).toBeNull();
      expect(report.simulation.liveness?.converged, `${JSON.stringify(report.simulation.liveness)}; ${reproduce}`).toBe(true);
      expect(report.linearizability?.verdict, reproduce).toBe('linearizable');
      expect(report.counts.ok).toBeGreaterThan(20);
      const lines = report.simulation.transcriptLines;
      const count = (pattern: RegExp): number => lines.filter((line) => pattern.test(line)).length;
      seen.armedCrash += count(/down: simulated crash/);
      seen.tornTail += count(/warn: wal: torn record at the tail/);
      seen.diskFull += count(/down: ENOSPC/);
    }
    // The faults really happened: crashes at disk writes, torn WAL tails truncated at recovery,
    // nodes stopped by a full disk.
    expect(seen.armedCrash).toBeGreaterThan(3);
    expect(seen.tornTail).toBeGreaterThan(0);
    expect(seen.diskFull).toBeGreaterThan(0);
  }, 30_000);

  it('recovers a node whose crash tore its WAL write: the torn tail is truncated and it rejoins', async () => {
    // One crash of node 1 at 1 s, torn at its next disk write; restart at 1.5 s.
    const plan: NemesisPlan = {
      ...quietPlan,
      steps: [
        { atMs: 1_000, action: { kind: 'crash', node: 1 } },
        { atMs: 1_500, action: { kind: 'restart', node: 1 } },
      ],
    };
    const always = { numerator: 1, denominator: 1 };
    const { simulation } = prepareDurableRun({
      seed: 7,
      nodeCount: 3,
      timeMs: 3_000,
      plan,
      diskPlan: { ...quietDisk, faults: ['torn-writes'], armedCrashRatio: always, tornRatio: always, tornBytesMax: 24 },
      transcriptLinesKeptMax: 100_000,
    });
    const result = await simulation.run();
    const lines = result.transcriptLines;
    const crash = lines.find((line) => / nemesis crash 1 /.test(line));
    expect(crash).toMatch(/crash 1 at write \+\d+ \(torn \d+ bytes, keep \d+\)/);
    const crashedAt = lines.findIndex((line) => /down: simulated crash/.test(line));
    expect(crashedAt).toBeGreaterThan(-1);
    const restart = lines.find((line) => / nemesis restart 1/.test(line))!;
    expect(restart).toMatch(/warn: wal: torn record at the tail of wal\/\S+ at byte offset \d+: dropping \d+ bytes/);
    expect(restart).not.toMatch(/down:/);
    expect(result.violation).toBeNull();
    expect(result.liveness?.converged).toBe(true);
    const node1 = simulation.nodeViews()[0];
    expect(node1.up).toBe(true);
    // It caught up: it holds the converged leader's committed entries.
    expect(node1.commit).toBeGreaterThan(10);
    expect(node1.termAt(node1.commit)).toBe(result.liveness?.converged ? result.liveness.term : -1);
  }, 20_000);

  it('refuses to boot from a read with a flipped bit, naming the file, and the others go on', async () => {
    const crashAndRetry: NemesisPlan = {
      ...quietPlan,
      steps: [
        { atMs: 1_000, action: { kind: 'crash', node: 1 } },
        { atMs: 1_200, action: { kind: 'restart', node: 1 } },
        { atMs: 1_700, action: { kind: 'restart', node: 1 } },
      ],
    };
    let refusals = 0;
    for (const seed of [1, 2]) {
      const { simulation } = prepareDurableRun({
        seed,
        nodeCount: 3,
        timeMs: 3_000,
        plan: crashAndRetry,
        diskPlan: { ...quietDisk, faults: ['corrupt-reads'], bitFlipOnReadRatio: { numerator: 1, denominator: 2 }, flakyNodes: [1] },
        transcriptLinesKeptMax: 100_000,
      });
      const result = await simulation.run();
      const restarts = result.transcriptLines.filter((line) => / nemesis restart 1/.test(line));
      for (const line of restarts) {
        if (line.includes('down:')) {
          refusals++;
          // Never a guess: the refusal says what is wrong and where.
          expect(line).toMatch(/down: .*(node 1\/raft-engine|wal\S* at byte offset \d+)/);
        }
      }
      expect(result.violation).toBeNull();
      expect(result.liveness?.converged).toBe(true);
      expect([...simulation.unbootable.keys()].every((id) => id === 1)).toBe(true);
    }
    expect(refusals).toBeGreaterThanOrEqual(3);
  }, 20_000);

  it('draws disk faults after the nemesis plan, so a seed keeps its network and process faults', () => {
    const swarm = { nodeIds: [1, 2, 3], safetyMs: 10_000 };
    const a = diskFaultPlan({ random: faultsStreamAfterPlan(5, swarm), nodeIds: [1, 2, 3], safetyMs: 10_000 });
    const b = diskFaultPlan({ random: faultsStreamAfterPlan(5, swarm), nodeIds: [1, 2, 3], safetyMs: 10_000 });
    expect(a).toEqual(b);
    const all = diskFaultPlan({ random: faultsStreamAfterPlan(5, swarm), nodeIds: [1, 2, 3], safetyMs: 10_000, faults: diskFaultKinds });
    expect(all.faults).toEqual([...diskFaultKinds]);
    expect(all.parameters.map(([name]) => name)).toEqual(['crash at a disk write', 'torn writes', 'bit flip on read', 'disk-full gap mean']);
    expect(all.steps.every((step, i) => i === 0 || step.atMs >= all.steps[i - 1].atMs)).toBe(true);
    const none = diskFaultPlan({ random: faultsStreamAfterPlan(5, swarm), nodeIds: [1, 2, 3], safetyMs: 10_000, faults: [] });
    expect(none.armedCrashRatio.numerator + none.bitFlipOnReadRatio.numerator + none.steps.length).toBe(0);
    // Only a minority of the nodes has a flaky disk: Raft cannot survive losing a majority's.
    for (const nodeCount of [3, 5, 7]) {
      const nodeIds = Array.from({ length: nodeCount }, (_, i) => i + 1);
      const plan = diskFaultPlan({ random: faultsStreamAfterPlan(9, { nodeIds, safetyMs: 1_000 }), nodeIds, safetyMs: 1_000, faults: diskFaultKinds });
      expect(plan.flakyNodes.length).toBeGreaterThan(0);
      expect(plan.flakyNodes.length * 2).toBeLessThan(nodeCount);
    }
  });

  it('refuses what a durable node cannot do: bug switches its host lacks, an unbounded lease without lease reads', () => {
    expect(() => prepareDurableRun({ seed: 1, bugs: ['no-such-bug' as BugName] })).toThrow(/not available on the durable etcd host/);
    expect(() => prepareDurableRun({ seed: 1, bugs: ['lease-no-clock-bound'] })).toThrow('lease-no-clock-bound needs --reads lease');
  });

  it('reads a term from term runs', () => {
    const runs: [number, number][] = [
      [4, 2],
      [7, 3],
      [9, 5],
    ];
    expect([3, 4, 6, 7, 8, 9, 12, 13].map((index) => termInRuns(runs, 12, index))).toEqual([
      undefined, 2, 2, 3, 3, 5, 5, undefined,
    ]);
  });
});
