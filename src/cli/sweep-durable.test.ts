// `raftlab sweep --durable [--engine etcd|hashicorp]`: a small fixed sweep of each engine with
// every fault on (network, process and disk) is clean, and each seed's transcript hash is the one
// `raftlab run --durable` gives in-process.
import { describe, expect, it } from 'vitest';
import { runDurableSimulation } from '../sim/durable/durable-run';
import { main } from './main';
import { parseSweepArgs, runSweep } from './sweep-command';

function capture(): { out: (text: string) => void; err: (text: string) => void; stdout: string } {
  const io = { stdout: '', out: (text: string) => (io.stdout += text), err: () => undefined };
  return io;
}

describe('raftlab sweep --durable', () => {
  for (const engine of ['etcd', 'hashicorp'] as const) {
    it(`${engine}: seeds 1..4 with all faults pass, with the in-process run's hash`, async () => {
      const args = ['--seeds', '1..4', '--jobs', '2', '--time', '2s', '--nemesis', 'all', '--engine', engine];
      const plan = parseSweepArgs(args);
      if (typeof plan === 'string') throw new Error(plan);
      const results = await runSweep(plan);
      expect(results.map((result) => [result.seed, result.failure])).toEqual([1, 2, 3, 4].map((seed) => [seed, null]));
      const again = await runDurableSimulation({ ...plan.options, seed: 3 });
      expect(results[2].transcriptHash).toBe(again.simulation.transcriptHash);
      expect(again.durable.engine).toBe(engine);
    }, 60_000);
  }

  it('refuses at once what every seed would refuse', () => {
    expect(parseSweepArgs(['--seeds', '1..9', '--engine', 'hashicorp', '--bug', 'apply-before-commit,figure8'])).not.toBeTypeOf('string');
    expect(parseSweepArgs(['--seeds', '1..9', '--engine', 'etcd', '--bug', 'apply-before-commit,figure8'])).not.toBeTypeOf('string');
    expect(parseSweepArgs(['--seeds', '1..9', '--durable', '--bug', 'lease-no-clock-bound'])).toBe('lease-no-clock-bound needs --reads lease');
  });

  it('prints the durable host it sweeps', async () => {
    const io = capture();
    const code = await main(['sweep', '--seeds', '1..1', '--jobs', '1', '--time', '1s', '--nemesis', 'none', '--durable'], io);
    expect(code).toBe(0);
    expect(io.stdout).toContain('sweep 1 seeds on 1 worker threads (durable nodes, etcd host)');
    expect(io.stdout).toContain('1 seeds, 1 passed, 0 failed');
  }, 30_000);

  it('ends with the failing seed and the command that replays it, which fails the same way', async () => {
    const io = capture();
    const args = ['--engine', 'hashicorp', '--bug', 'vote-no-uptodate-check', '--nodes', '3', '--time', '5000ms', '--nemesis', 'partition,crash,loss'];
    const code = await main(['sweep', '--seeds', '1..1', '--jobs', '1', ...args], io);
    expect(code).toBe(1);
    expect(io.stdout).toContain('1 seeds, 0 passed, 1 failed');
    expect(io.stdout).toMatch(/^seed 1: leader-completeness: /m);
    const replay = `npx raftlab run --seed 1 ${args.join(' ')}`;
    expect(io.stdout).toContain(`  ${replay}\n`);
    const run = capture();
    expect(await main(replay.split(' ').slice(2), run)).toBe(1);
    expect(run.stdout).toMatch(/^invariants VIOLATED leader-completeness /m);
    expect(run.stdout).toContain('bugs ON: vote-no-uptodate-check');
  }, 60_000);
});
