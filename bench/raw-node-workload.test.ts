import { describe, expect, it } from 'vitest';
import { formatResult } from './go-benchmark';
import { createRawNodeWorkload } from './raw-node-workload';

describe("etcd's BenchmarkRawNode workload", () => {
  for (const peers of [[1], [1, 2]]) {
    it(`applies every proposal, two Readies each (voters ${peers.join(',')})`, () => {
      const workload = createRawNodeWorkload(peers);
      const readiesBefore = workload.readyCount;
      let applied = 0;
      for (let i = 0; i < 100; i++) applied = workload.proposeAndStabilize();
      // Index 1 is the new leader's empty entry; the proposals follow it.
      expect(applied).toBe(101);
      expect(workload.storage.lastIndex()).toBe(101);
      expect((workload.readyCount - readiesBefore) / 100).toBe(2);
    });
  }

  it("prints Go's benchmark line", () => {
    const line = formatResult({
      name: 'BenchmarkRawNode/single-voter',
      iterations: 1234,
      nsPerOp: 5678.4,
      metrics: { 'ready/op': 2 },
    });
    expect(line).toMatch(/^BenchmarkRawNode\/single-voter\s+1234\s+5678 ns\/op\s+2\.00 ready\/op$/);
  });
});
