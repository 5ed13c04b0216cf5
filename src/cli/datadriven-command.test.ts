// The `raftlab datadriven` command: PASS/FAIL lines, the summary, exit codes and --rewrite.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDatadrivenCommand } from './datadriven-command';

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'raftlab-datadriven-'));
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runDatadrivenCommand(args, {
    out: (text) => (out += text),
    err: (text) => (err += text),
  });
  return { code, out, err };
}

const good = 'vote cfg=(1,2) votes=(y,y)\n----\nVoteWon\n';
const bad = '# wrong on purpose\nvote cfg=(1,2) votes=(y,n)\n----\nVoteWon\n';

describe('raftlab datadriven', () => {
  it("runs a folder's *.txt files in name order and exits 0 when all pass", async () => {
    writeFileSync(join(folder, 'b.txt'), good);
    writeFileSync(join(folder, 'a.txt'), good);
    writeFileSync(join(folder, 'notes.md'), 'not a test');
    const { code, out } = await run(['--suite', 'quorum', folder]);
    expect(code).toBe(0);
    expect(out).toBe(
      `PASS ${join(folder, 'a.txt')}\nPASS ${join(folder, 'b.txt')}\n2 passed, 0 failed\n`,
    );
  });

  it('prints the first differing lines of a failing file and exits 1', async () => {
    writeFileSync(join(folder, 'bad.txt'), bad);
    const path = join(folder, 'bad.txt');
    const { code, out } = await run(['--suite=quorum', path]);
    expect(code).toBe(1);
    expect(out).toBe(
      [
        `FAIL ${path}`,
        `    ${path}:2: vote cfg=(1,2) votes=(y,n)`,
        '      output differs at line 1 (- expected, + actual):',
        '      - VoteWon',
        '      + VoteLost',
        '0 passed, 1 failed',
        '',
      ].join('\n'),
    );
  });

  it('--rewrite writes the actual output back', async () => {
    const path = join(folder, 'bad.txt');
    writeFileSync(path, bad);
    expect((await run(['--suite', 'quorum', '--rewrite', path])).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(bad.replace('VoteWon', 'VoteLost'));
    expect((await run(['--suite', 'quorum', path])).code).toBe(0);
  });

  // Root writes through a read-only mode, so this runs only for other users.
  it.skipIf(process.getuid?.() === 0)('--rewrite into a read-only file says "cannot write PATH", exit 2', async () => {
    const path = join(folder, 'bad.txt');
    writeFileSync(path, bad);
    chmodSync(path, 0o444);
    const result = await run(['--suite', 'quorum', '--rewrite', path]);
    expect(result.code).toBe(2);
    expect(result.err).toBe(`raftlab datadriven: --rewrite: cannot write ${path}: permission denied (EACCES)\n`);
  });

  it('reports usage errors and unreadable paths with exit 2', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['--bogus', folder])).err).toContain('unknown option --bogus');
    const missing = join(folder, 'missing.txt');
    const result = await run(['--suite', 'quorum', missing]);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`cannot read ${missing}`);
    const unknown = await run(['--suite', 'nope', folder]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('suite "nope" is not available');
  });
});
