// Bad input and unwritable output paths: a clear error naming what and where, never a stack trace.
import { describe, expect, it } from 'vitest';
import { main } from './main';
import { cannotWrite } from './output-file';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

const unwritable = '/proc/raftlab-nope';

describe('unwritable output paths', () => {
  it('run --trace prints the report, then "cannot write PATH: reason", exit 2', async () => {
    const result = await cli(['run', '--seed', '1', '--time', '1s', '--nemesis', 'none', '--trace', `${unwritable}/t.json`]);
    expect(result.code).toBe(2);
    expect(result.out).toMatch(/^ok; reproduce with: npx raftlab run --seed 1/m);
    expect(result.err).toBe(`raftlab run: cannot write ${unwritable}/t.json: no such file or directory (ENOENT)\n`);
  });

  it('shrink --out prints the shrunk scenario and "cannot write PATH: reason", exit 2', async () => {
    const args = ['--seed', '1', '--bug', 'vote-no-uptodate-check', '--nodes', '3', '--time', '5s'];
    const result = await cli(['shrink', ...args, '--nemesis', 'partition,crash,loss', '--out', `${unwritable}/x.json`]);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.out)).toMatchObject({ bugs: ['vote-no-uptodate-check'] });
    expect(result.err).toBe(
      `raftlab shrink: cannot write ${unwritable}/x.json: no such file or directory (ENOENT) (the scenario is printed above)\n`,
    );
  }, 60_000);

  it('peers encode --out says "cannot write PATH: reason", exit 2', async () => {
    const result = await cli(['peers', 'encode', '--index', '1', '--peer', 'a=h:1', '--out', `${unwritable}/p.bin`]);
    expect(result.code).toBe(2);
    expect(result.err).toBe(`raftlab peers encode: cannot write ${unwritable}/p.bin: no such file or directory (ENOENT)\n`);
  });

  it('cannotWrite keeps a message without a code as it is', () => {
    expect(cannotWrite('f', new Error('disk on fire'))).toBe('cannot write f: disk on fire');
  });
});

describe('argument errors', () => {
  it.each([
    [['--seed', 'x'], '--seed must be an integer, got x'],
    [['--seed', '1', '--runs-max', '0'], '--runs-max must be a positive integer, got 0'],
    [['--seed', '1', '--seeds-per-candidate'], '--seeds-per-candidate must be a positive integer, got nothing'],
    [['--seed', '1', '--out'], '--out needs a file name'],
    [['--seed', '1', '--trace', 't.json'], '--trace is a run option shrink does not take'],
  ])('shrink %j says once what is wrong', async (args, message) => {
    const result = await cli(['shrink', ...args]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^raftlab shrink: .*\nusage: raftlab shrink /);
    expect(result.err.split('\n')[0]).toBe(`raftlab shrink: ${message}`);
  });

  it.each(['--engine', '--durable', '--workers'])('shrink %s says shrinking is for in-memory runs, and why', async (flag) => {
    const result = await cli(['shrink', '--seed', '1', flag, ...(flag === '--engine' ? ['etcd'] : [])]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(new RegExp(`^raftlab shrink: ${flag}: shrink reduces in-memory runs only \\(the shrinker re-runs`));
  });

  it('run with a stray argument says "unexpected argument"', async () => {
    const result = await cli(['run', '--seed', '1', 'extra']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^raftlab run: unexpected argument extra\nusage: raftlab run /);
  });

  it('peers encode refuses a duplicate id, naming it', async () => {
    const result = await cli(['peers', 'encode', '--index', '1', '--peer', 'a=h:1', '--peer', 'a=h:2', '--out', 'never.bin']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^raftlab peers encode: --peer id "a" is given twice \("a=h:2"\)\n/);
  });
});

describe('sweep refuses bad run options up front', () => {
  it.each([
    [['--client-timeout', '0'], '--client-timeout must be a positive integer, got 0'],
    [['--heartbeat-ticks', '5', '--election-ticks', '3'], 'the run options are refused: need 1 <= heartbeat ticks < election ticks <= 10000, got 5 and 3'],
    [['--engine', 'hashicorp', '--heartbeat-ticks', '5', '--election-ticks', '3'], 'the run options are refused: need 1 <= heartbeat ticks < election ticks <= 10000, got 5 and 3'],
  ])('sweep %j: exit 2 with the usage error, no seed run', async (args, message) => {
    const result = await cli(['sweep', '--seeds', '1..3', ...args]);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toMatch(/^raftlab sweep: .*\nusage: raftlab sweep /);
    expect(result.err.split('\n')[0]).toBe(`raftlab sweep: ${message}`);
  });

  it('run --client-timeout 0 is a usage error too', async () => {
    const result = await cli(['run', '--seed', '1', '--client-timeout', '0']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^raftlab run: --client-timeout must be a positive integer, got 0\nusage:/);
  });
});
