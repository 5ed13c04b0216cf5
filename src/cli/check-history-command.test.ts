// The `raftlab check-history` command: one line per file, exit codes, usage errors and
// unreadable input named by file and line.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCheckHistoryCommand } from './check-history-command';
import { main } from './main';

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'raftlab-check-history-'));
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCheckHistoryCommand(args, {
    out: (text) => (out += text),
    err: (text) => (err += text),
  });
  return { code, out, err };
}

function file(name: string, lines: string[]): string {
  const path = join(folder, name);
  writeFileSync(path, lines.map((line) => `INFO  jepsen.util - ${line}`).join('\n') + '\n');
  return path;
}

const good = [
  '0\t:invoke\t:write\t1',
  '0\t:ok\t:write\t1',
  '1\t:invoke\t:read\tnil',
  '1\t:ok\t:read\t1',
];
const bad = [
  '0\t:invoke\t:write\t1',
  '0\t:ok\t:write\t1',
  '1\t:invoke\t:read\tnil',
  '1\t:ok\t:read\t2',
];
// Twenty concurrent unknown writes and a read of a value nobody wrote: exponential to refute.
const hard = [
  ...Array.from({ length: 22 }, (_, i) => `${i}\t:invoke\t:write\t${i}`),
  '99\t:invoke\t:read\tnil',
  '99\t:ok\t:read\t1000',
];

describe('raftlab check-history', () => {
  it('prints one line per file and exits 0 when all are linearizable', async () => {
    const a = file('a.log', good);
    const b = file('b.log', good);
    expect(await run(['--model', 'register', a, b])).toEqual({
      code: 0,
      out: `${a}: linearizable\n${b}: linearizable\n`,
      err: '',
    });
  });

  it('names the first operation that cannot be placed and exits 1', async () => {
    const a = file('a.log', good);
    const b = file('b.log', bad);
    const { code, out } = await run(['--model=register', a, b]);
    expect(code).toBe(1);
    expect(out).toBe(
      `${a}: linearizable\n${b}: not linearizable (process 1: read -> 2, lines 3-4)\n`,
    );
  });

  it('answers unknown with the reason and exits 3 when the time limit is reached', async () => {
    const a = file('a.log', good);
    const h = file('hard.log', hard);
    const { code, out } = await run(['--model', 'register', '--time-limit', '0.05', a, h]);
    expect(code).toBe(3);
    expect(out).toMatch(
      new RegExp(
        `^${a}: linearizable\\n${h}: unknown \\(time limit of 0\\.05 s reached after \\d+ search steps`,
      ),
    );
  });

  it('prefers exit 1 over 3 when one file is not linearizable and another unknown', async () => {
    const b = file('b.log', bad);
    const h = file('hard.log', hard);
    expect((await run(['--model', 'register', '--time-limit', '0.05', h, b])).code).toBe(1);
  });

  it('names the file and line of malformed input and exits 2, still checking other files', async () => {
    const a = file('a.log', good);
    const broken = file('broken.log', ['0\t:invoke\t:cas\t[1 2', '0\t:ok\t:cas\t[1 2]']);
    const { code, out, err } = await run(['--model', 'register', broken, a]);
    expect(code).toBe(2);
    expect(err).toBe(`raftlab check-history: ${broken}:1:36: "[" not closed\n`);
    expect(out).toBe(`${a}: linearizable\n`);
  });

  it('exits 2 for a missing file', async () => {
    const { code, err } = await run(['--model', 'kv', join(folder, 'nope.txt')]);
    expect(code).toBe(2);
    expect(err).toMatch(/^raftlab check-history: cannot read .*nope\.txt: ENOENT/);
  });

  it('checks kv histories written as EDN lines', async () => {
    const path = join(folder, 'kv.txt');
    writeFileSync(
      path,
      [
        '{:process 0, :type :invoke, :f :append, :key "k", :value "x"}',
        '{:process 0, :type :ok, :f :append, :key "k", :value "x"}',
        '{:process 1, :type :invoke, :f :get, :key "k", :value nil}',
        '{:process 1, :type :ok, :f :get, :key "k", :value ""}',
      ].join('\n'),
    );
    expect(await run(['--model', 'kv', path])).toEqual({
      code: 1,
      out: `${path}: not linearizable (process 1: get "k" -> "", lines 3-4)\n`,
      err: '',
    });
  });

  it('reads a failed cas as a mismatch unless told it did not happen', async () => {
    const path = file('cas.log', [
      '0\t:invoke\t:cas\t[nil 1]',
      '0\t:fail\t:cas\t[nil 1]',
      '1\t:invoke\t:read\tnil',
      '1\t:ok\t:read\tnil',
    ]);
    expect((await run(['--model', 'register', path])).code).toBe(1);
    expect((await run(['--model', 'register', '--failed-cas', 'did-not-happen', path])).code).toBe(
      0,
    );
  });

  it.each([
    [[], '--model register|kv is required'],
    [['--model', 'queue', 'f'], 'unknown model "queue" (register or kv)'],
    [['--model', 'kv'], 'no FILE given'],
    [
      ['--model', 'kv', '--time-limit', '0', 'f'],
      '--time-limit must be a positive number of seconds, not "0"',
    ],
    [['--model', 'kv', '--time-limit'], '--time-limit needs a value'],
    [['--model', 'kv', '--fast', 'f'], 'unknown option --fast'],
  ])('refuses %j with a usage error (exit 2)', async (args, message) => {
    const { code, err } = await run(args);
    expect(code).toBe(2);
    expect(err).toMatch(
      new RegExp(`^raftlab check-history: ${message.replace(/[|()[\]]/g, '\\$&')}\\nusage:`),
    );
  });

  it('is registered in the raftlab command table and usage text', async () => {
    let out = '';
    await main(['help'], { out: (text) => (out += text), err: () => {} });
    expect(out).toContain('check-history --model register|kv');
    const path = file('a.log', good);
    let checked = '';
    const code = await main(['check-history', '--model', 'register', path], {
      out: (text) => (checked += text),
      err: () => {},
    });
    expect([code, checked]).toEqual([0, `${path}: linearizable\n`]);
  });
});

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const shared = join(repoRoot, '..', 'shared', 'jepsen-histories');

describe.skipIf(!existsSync(shared))(
  existsSync(shared)
    ? 'raftlab check-history on ../shared/jepsen-histories'
    : 'raftlab check-history on the shared histories: skipped, ../shared/jepsen-histories absent',
  () => {
    it('gives the README verdicts and exit 1 (some are not linearizable)', async () => {
      const etcd = readdirSync(join(shared, 'etcd'))
        .sort()
        .map((name) => join(shared, 'etcd', name));
      const { code, out } = await run(['--model', 'register', ...etcd]);
      expect(code).toBe(1);
      const verdicts = out
        .trim()
        .split('\n')
        .map((line) => line.replace(/ \(.*\)$/, ''));
      expect(verdicts.map((line) => line.slice(shared.length + 1))).toEqual([
        'etcd/etcd_000.log: not linearizable',
        'etcd/etcd_001.log: not linearizable',
        'etcd/etcd_002.log: linearizable',
        'etcd/etcd_003.log: not linearizable',
        'etcd/etcd_004.log: not linearizable',
        'etcd/etcd_005.log: linearizable',
        'etcd/etcd_007.log: linearizable',
        'etcd/etcd_018.log: linearizable',
      ]);
      const ok = await run(['--model', 'kv', join(shared, 'kv', 'c01-ok.txt')]);
      expect(ok.code).toBe(0);
    });
  },
);
