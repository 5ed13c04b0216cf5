// Durable runs on the HashiCorp-style engine (`engine: 'hashicorp'`): the same simulator, network,
// nemesis, workload and checkers as the etcd runs, every node the HashiCorp host on its own disk.
// Under network and crash faults (and the disk's) the invariants hold, the history is
// linearizable and the cluster converges once healed; a seed replays to the same transcript.
import { describe, expect, it } from 'vitest';
import { diskFaultKinds } from './disk-faults';
import { prepareDurableRun, runDurableSimulation, type DurableRunOptions } from './durable-run';

const faults: Partial<DurableRunOptions> = { nemesis: ['partition', 'crash', 'pause'], diskFaults: [...diskFaultKinds] };

function options(seed: number): DurableRunOptions {
  return { seed, nodeCount: 3, timeMs: 4_000, nemesisSpeedup: 3, transcriptLinesKeptMax: 1_000_000, engine: 'hashicorp', ...faults };
}

describe('durable simulation on the hashicorp engine', () => {
  it('keeps every invariant, linearizability and liveness under network, crash and disk faults (seeds 1..4)', async () => {
    let crashes = 0;
    let rpcs = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const report = await runDurableSimulation(options(seed));
      const reproduce = `reproduce with: npx raftlab run --seed ${seed} --nodes 3 --time 4s --nemesis partition,crash,pause --nemesis-speedup 3 --durable --engine hashicorp`;
      expect(report.durable.engine).toBe('hashicorp');
      expect(report.simulation.violation, reproduce).toBeNull();
      expect(report.simulation.liveness?.converged, `${JSON.stringify(report.simulation.liveness)}; ${reproduce}`).toBe(true);
      expect(report.linearizability?.verdict, reproduce).toBe('linearizable');
      expect(report.counts.ok, reproduce).toBeGreaterThan(20);
      const lines = report.simulation.transcriptLines;
      crashes += lines.filter((line) => / nemesis crash \d/.test(line) && !line.includes('already down')).length;
      rpcs += lines.filter((line) => line.includes('AppendEntriesRequest')).length;
    }
    expect(crashes).toBeGreaterThan(0);
    // The wire carried hashicorp's RPCs, not etcd's messages.
    expect(rpcs).toBeGreaterThan(100);
  }, 60_000);

  it('gives the same transcript hash for the same seed, and another engine gives another', async () => {
    const first = await runDurableSimulation(options(7));
    const second = await runDurableSimulation(options(7));
    expect(second.simulation.transcriptHash).toBe(first.simulation.transcriptHash);
    expect(second.simulation.transcriptLineCount).toBe(first.simulation.transcriptLineCount);
    const etcd = await runDurableSimulation({ ...options(7), engine: 'etcd' });
    expect(etcd.simulation.transcriptHash).not.toBe(first.simulation.transcriptHash);
  }, 30_000);

  it('refuses an unknown engine', () => {
    expect(() => prepareDurableRun({ ...options(1), engine: 'zab' as never })).toThrow('unknown engine zab: expected etcd or hashicorp');
  });
});
