// Lease reads on durable nodes (`--reads lease`): the lease is clock-bounded and renewed only by
// reads that completed through the host in the same term; with it, leaders of either engine
// answer reads locally and the history stays linearizable under clock drift, pauses and
// partitions.
import { describe, expect, it } from 'vitest';
import { bugSearchOptions } from '../bug-search';
import { leaseDurationMs } from '../process/kv-node';
import { DurableLease } from './durable-lease';
import { runDurableSimulation } from './durable-run';

const leaderView = { leader: true, term: 3, commit: 9, applied: 9, commitTerm: 3 };

describe('durable lease reads', () => {
  it('hold from a renewal in the same term for less than leaseDurationMs of the local clock', () => {
    const lease = new DurableLease({ tickMs: 10, electionTicks: 10, bounded: true });
    const durationMs = leaseDurationMs(10, 10);
    expect(lease.held(leaderView, 0)).toBe(false);
    lease.issued(1, 100, 3);
    lease.completed(1, 3);
    expect(lease.held(leaderView, 100 + durationMs - 1)).toBe(true);
    expect(lease.held(leaderView, 100 + durationMs)).toBe(false);
    // Not in another term, not before the leader committed in its term or applied all it committed.
    expect(lease.held({ ...leaderView, term: 4 }, 101)).toBe(false);
    expect(lease.held({ ...leaderView, commitTerm: 2 }, 101)).toBe(false);
    expect(lease.held({ ...leaderView, applied: 8 }, 101)).toBe(false);
    // A read issued in an earlier term renews nothing; a crash forgets the lease.
    lease.issued(2, 150, 2);
    lease.completed(2, 3);
    expect(lease.held(leaderView, 100 + durationMs)).toBe(false);
    lease.forget();
    expect(lease.held(leaderView, 101)).toBe(false);
    // The lease-no-clock-bound bug answers on leadership alone.
    expect(new DurableLease({ tickMs: 10, electionTicks: 10, bounded: false }).held(leaderView, 1e9)).toBe(true);
  });

  for (const engine of ['etcd', 'hashicorp'] as const) {
    it(`${engine}: leaders answer reads from the lease under drift, pauses and partitions, linearizably`, async () => {
      const options = { ...bugSearchOptions['lease-no-clock-bound'], diskFaults: [], engine, transcriptLinesKeptMax: 100_000 };
      for (const seed of [1, 2]) {
        const report = await runDurableSimulation({ ...options, seed });
        expect(report.failed, `seed ${seed}`).toBe(false);
        expect(report.options.reads).toBe('lease');
        expect(report.simulation.transcriptLines.filter((line) => / lease-read \| r\d+ ok /.test(line)).length).toBeGreaterThan(5);
      }
    }, 60_000);
  }
});
