// `raftlab run --durable [--workers] [--engine etcd|hashicorp]`: node hosts on disks, with disk
// faults and the engine printed among the parameters; the same hash in-process and with worker
// threads, and in a replayed trace (of either engine).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main';
import { parseRunArgs } from './run-command';
import { parseSweepArgs } from './sweep-command';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

const hashOf = (out: string): string => /sha256 ([0-9a-f]{64})/.exec(out)![1];

describe('raftlab run --durable', () => {
  it('prints the disk faults with the other parameters and replays to the same hash, with workers too', async () => {
    const args = ['--seed', '5', '--nodes', '3', '--time', '2s', '--nemesis', 'all', '--durable'];
    const trace = join(await mkdtemp(join(tmpdir(), 'raftlab-durable-trace-')), 'trace.json');
    const first = await cli(['run', ...args, '--trace', trace]);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    for (const pattern of [
      /^durable nodes \(etcd host on a disk per node, in-process\)$/m,
      /^disk faults lost-writes,torn-writes,corrupt-reads,disk-full \(given\)$/m,
      /^ {2}crash at a disk write: \d+\/100 of crashes, within the next \d+ writes$/m,
      /^ {2}bit flip on read: \d+\/1000 on nodes \d$/m,
      /^invariants ok$/m,
      /^liveness converged/m,
      /^linearizability linearizable$/m,
      /reproduce with: npx raftlab run --seed 5 --nodes 3 --time 2s --nemesis all --durable$/m,
    ]) {
      expect(first.out).toMatch(pattern);
    }
    const workers = await cli(['run', ...args, '--workers']);
    expect(workers.out).toMatch(/^durable nodes \(etcd host on a disk per node, worker_threads\)$/m);
    expect(hashOf(workers.out)).toBe(hashOf(first.out));
    const replay = await cli(['replay', trace]);
    expect(replay.out).toContain(`same transcript, sha256 ${hashOf(first.out)}`);
    expect(replay.code).toBe(0);
  }, 30_000);

  it('refuses options a durable run cannot honour', () => {
    expect(parseRunArgs(['--seed', '1', '--workers'])).toBe('--workers needs --durable or --engine');
    const withEngine = parseRunArgs(['--seed', '1', '--engine', 'etcd', '--workers']);
    expect(typeof withEngine === 'string' ? withEngine : withEngine.durable).toBe(true);
    expect(parseRunArgs(['--seed', '1', '--nemesis', 'crash,torn-writes'])).toBe('disk faults (torn-writes) need --durable');
    const parsed = parseRunArgs(['--seed', '1', '--nemesis', 'crash,torn-writes', '--durable']);
    expect(typeof parsed !== 'string' && [parsed.run.nemesis, parsed.diskFaults]).toEqual([['crash'], ['torn-writes']]);
    expect(parseRunArgs(['--seed', '1', '--nemesis', 'bogus'])).toMatch(/unknown fault bogus/);
  });

  it('runs the hashicorp engine with --engine hashicorp: printed, clean, and replayed to the same hash', async () => {
    const args = ['--seed', '3', '--nodes', '3', '--time', '2s', '--nemesis', 'partition,crash,torn-writes', '--durable', '--engine', 'hashicorp'];
    const trace = join(await mkdtemp(join(tmpdir(), 'raftlab-durable-trace-')), 'trace.json');
    const first = await cli(['run', ...args, '--trace', trace]);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    for (const pattern of [
      /^durable nodes \(hashicorp host on a disk per node, in-process\)$/m,
      /^invariants ok$/m,
      /^liveness converged/m,
      /^linearizability linearizable$/m,
      /reproduce with: npx raftlab run --seed 3 --nodes 3 --time 2s --nemesis partition,crash,torn-writes --durable --engine hashicorp$/m,
    ]) {
      expect(first.out).toMatch(pattern);
    }
    const etcd = await cli(['run', ...args.slice(0, -2)]);
    expect(etcd.out).toMatch(/^durable nodes \(etcd host on a disk per node, in-process\)$/m);
    expect(hashOf(etcd.out)).not.toBe(hashOf(first.out));
    const replay = await cli(['replay', trace]);
    expect(replay.out).toContain(`same transcript, sha256 ${hashOf(first.out)}`);
    expect(replay.code).toBe(0);
  }, 30_000);

  it('takes --engine as --durable, refuses an unknown engine, and runs workers for either engine', () => {
    const implied = parseRunArgs(['--seed', '1', '--engine', 'hashicorp']);
    expect(typeof implied !== 'string' && [implied.durable, implied.engine]).toEqual([true, 'hashicorp']);
    expect(parseRunArgs(['--seed', '1', '--durable', '--engine', 'zab'])).toBe('--engine must be etcd or hashicorp, got zab');
    const workers = parseRunArgs(['--seed', '1', '--durable', '--workers', '--engine', 'hashicorp']);
    expect(typeof workers !== 'string' && [workers.workers, workers.engine]).toEqual([true, 'hashicorp']);
    const parsed = parseRunArgs(['--seed', '1', '--durable', '--engine=etcd']);
    expect(typeof parsed !== 'string' && parsed.engine).toBe('etcd');
    // sweep takes the durable flags (and --engine alone) but not --workers: each seed has its thread.
    const sweep = parseSweepArgs(['--seeds', '1..2', '--engine', 'hashicorp', '--nemesis', 'crash,torn-writes']);
    expect(typeof sweep !== 'string' && [sweep.durable, sweep.options.engine, sweep.options.diskFaults]).toEqual([
      true,
      'hashicorp',
      ['torn-writes'],
    ]);
    expect(parseSweepArgs(['--seeds', '1..2', '--durable', '--workers'])).toBe(
      '--workers is a run option sweep does not take (each seed runs its nodes in its sweep worker)',
    );
  });
});
