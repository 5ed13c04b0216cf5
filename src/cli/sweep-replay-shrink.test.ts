// sweep (worker_threads), replay (trace envelope checks and hash comparison) and shrink.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bugSearchOptions } from '../sim/bug-search';
import { durableBugSearches } from '../sim/durable/durable-bug-search';
import { runSimulation } from '../sim/run';
import { runScenario, type ScenarioJson } from '../sim/shrink';
import type { CommandOutput } from './main';
import { main } from './main';
import { parseRunArgs } from './run-command';
import { parseSweepArgs, runSweep } from './sweep-command';

function capture(): CommandOutput & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (text: string) => void (io.stdout += text),
    err: (text: string) => void (io.stderr += text),
  };
  return io;
}

describe('raftlab sweep', () => {
  it('--shard i/n takes every n-th seed starting with the i-th', () => {
    const plan = parseSweepArgs(['--seeds', '1..10', '--shard', '2/3', '--jobs', '2']);
    if (typeof plan === 'string') throw new Error(plan);
    expect(plan.seeds).toEqual([2, 5, 8]);
    expect(parseSweepArgs(['--seeds', '5..1'])).toMatch(/A must be <= B/);
    expect(parseSweepArgs(['--seeds', '1..3', '--shard', '4/3'])).toMatch(/i must be in 1..n/);
  });

  it('runs seeds on worker threads with the same transcript hash as in-process', async () => {
    const plan = parseSweepArgs([
      '--seeds',
      '1..4',
      '--jobs',
      '2',
      '--time',
      '1s',
      '--nemesis',
      'all',
    ]);
    if (typeof plan === 'string') throw new Error(plan);
    const results = await runSweep(plan);
    expect(results.map((result) => result.seed)).toEqual([1, 2, 3, 4]);
    for (const result of results) {
      const inProcess = runSimulation({ ...plan.options, seed: result.seed });
      expect(result.transcriptHash).toBe(inProcess.simulation.transcriptHash);
      expect(result.failed).toBe(false);
      expect(result.linearizability).toBe(inProcess.linearizability?.verdict);
    }
  }, 60_000);

  it('ends with the failing seeds and the command replaying each; exit 1', async () => {
    const io = capture();
    const args = ['--bug', 'apply-before-commit', '--time', '1s', '--nemesis', 'none'];
    const code = await main(['sweep', '--seeds', '1..2', '--jobs', '2', ...args], io);
    expect(code).toBe(1);
    expect(io.stdout).toContain('2 seeds, 0 passed, 2 failed');
    // apply-before-commit is caught by an invariant, which stops the run before the history check.
    expect(io.stdout).toContain(
      'histories: 0 linearizable, 0 unknown, 0 not linearizable, 2 not checked',
    );
    expect(io.stdout).toContain(`npx raftlab run --seed 1 ${args.join(' ')}`);
  }, 60_000);
});

describe('raftlab replay', () => {
  it('replays a trace to the same hash, and tells a changed hash and a foreign trace apart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'raftlab-replay-'));
    const trace = join(dir, 'trace.json');
    expect(await main(['run', '--seed', '3', '--time', '1s', '--trace', trace], capture())).toBe(0);
    const io = capture();
    expect(await main(['replay', trace], io)).toBe(0);
    expect(io.stdout).toContain('same transcript');

    const json = JSON.parse(await readFile(trace, 'utf8'));
    const variants: [string, object, number, RegExp][] = [
      ['hash', { ...json, transcriptHash: 'a'.repeat(64) }, 1, /DIFFERENT transcript/],
      ['format', { ...json, format: 'jepsen' }, 2, /not a raftlab trace/],
      ['version', { ...json, version: 99 }, 2, /format version 99 is not supported/],
      ['build', { ...json, buildVersion: '0.0.0-other' }, 2, /trace from build "0.0.0-other"/],
    ];
    for (const [name, variant, code, message] of variants) {
      const path = join(dir, `${name}.json`);
      await writeFile(path, JSON.stringify(variant));
      const out = capture();
      expect(await main(['replay', path], out), name).toBe(code);
      expect(out.stdout + out.stderr, name).toMatch(message);
    }
    const garbage = join(dir, 'garbage.json');
    await writeFile(garbage, '{ not json');
    const out = capture();
    expect(await main(['replay', garbage], out)).toBe(2);
    expect(out.stderr).toMatch(/refused: not JSON/);
  }, 60_000);
});

describe('raftlab shrink', () => {
  it('shrinks a failing run to a few steps that run --scenario replays, failing the same way', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'raftlab-shrink-'));
    const out = join(dir, 'shrunk.json');
    const io = capture();
    const args = ['--seed', '1', '--bug', 'vote-no-uptodate-check', '--nodes', '3', '--time', '5s'];
    const code = await main(
      ['shrink', ...args, '--nemesis', 'partition,crash,loss', '--out', out],
      io,
    );
    expect(code, io.stderr).toBe(0);
    const scenario = JSON.parse(await readFile(out, 'utf8')) as ScenarioJson;
    expect(scenario.steps.length).toBeLessThanOrEqual(4);
    expect(scenario.bugs).toEqual(['vote-no-uptodate-check']);
    expect(runScenario(scenario).simulation.violation?.invariant).toBe('leader-completeness');
    const run = capture();
    expect(await main(['run', '--scenario', out], run)).toBe(1);
    expect(run.stdout).toContain('invariants VIOLATED leader-completeness');
  }, 60_000);

  it('--bug NAME --bug-search takes the sweep options of that bug under the options given', () => {
    const parsed = parseRunArgs([
      '--seed',
      '275',
      '--bug',
      'figure8',
      '--bug-search',
      '--time',
      '2s',
    ]);
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(parsed.run).toMatchObject({ ...bugSearchOptions.figure8, seed: 275, timeMs: 2_000 });
    expect(parsed.reproduce).toContain('--bug-search');
    expect(parseRunArgs(['--seed', '1', '--bug-search'])).toMatch(/exactly one --bug NAME/);
    const alias = parseRunArgs(['--seed', '1', '--max-size-per-msg', '0']);
    if (typeof alias === 'string') throw new Error(alias);
    expect(alias.run.maxSizePerMsg).toBe(0);
  });

  it('--bug-search on a durable engine takes that host\'s sweep options, disk faults included', () => {
    const parsed = parseRunArgs(['--seed', '18', '--engine', 'etcd', '--bug', 'figure8', '--bug-search']);
    if (typeof parsed === 'string') throw new Error(parsed);
    const { diskFaults, ...options } = durableBugSearches.etcd.figure8!.options;
    expect(parsed.run).toMatchObject({ ...options, seed: 18 });
    expect(parsed.run.timeMs).toBe(60_000);
    expect(parsed.diskFaults).toEqual(diskFaults);
    const voting = parseRunArgs(['--seed', '1', '--engine', 'hashicorp', '--bug', 'vote-before-persist', '--bug-search']);
    if (typeof voting === 'string') throw new Error(voting);
    expect(voting.diskFaults).toEqual(durableBugSearches.hashicorp['vote-before-persist']!.options.diskFaults);
  });

  it('shrinks the Figure 8 seed of the bug sweep to a handful of steps that replay to the same hash', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'raftlab-shrink-'));
    const out = join(dir, 'figure8.json');
    const io = capture();
    const args = ['--seed', '275', '--bug', 'figure8', '--bug-search', '--out', out];
    expect(await main(['shrink', ...args], io), io.stderr).toBe(0);
    expect(io.stdout).toMatch(
      /^shrunk seed 275 \(leader-completeness\) in \d+ runs: 35 -> [1-6] nemesis steps/,
    );
    const scenario = JSON.parse(await readFile(out, 'utf8')) as ScenarioJson;
    expect(scenario.steps.length).toBeLessThanOrEqual(6);
    expect(scenario.maxSizePerMsg).toBe(0);
    const hash = runScenario(scenario).simulation.transcriptHash;
    const run = capture();
    expect(await main(['run', '--scenario', out], run)).toBe(1);
    expect(run.stdout).toContain('invariants VIOLATED leader-completeness');
    expect(run.stdout).toContain(`sha256 ${hash}`);
  }, 120_000);

  it('refuses to shrink a run that does not fail', async () => {
    const io = capture();
    expect(await main(['shrink', '--seed', '1', '--time', '1s', '--nemesis', 'none'], io)).toBe(1);
    expect(io.stderr).toContain('does not fail');
  }, 60_000);
});
