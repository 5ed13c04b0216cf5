import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { commandUsage, main, topLevelUsage } from './main';

const commandNames = [
  'datadriven', 'run', 'peers', 'datadir', 'check-history', 'sweep', 'replay', 'shrink', 'migrate', 'migrate-cluster',
];

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

/** Every flag a command module's parser compares against: its '--name' string literals. */
async function parserFlags(): Promise<Map<string, string[]>> {
  const folder = new URL('.', import.meta.url);
  const flags = new Map<string, string[]>();
  for (const file of await readdir(folder)) {
    if (!file.endsWith('-command.ts')) continue;
    const source = await readFile(new URL(file, folder), 'utf8');
    const found = [...source.matchAll(/['"](--[a-z][a-z-]*)['"]/g)].map((match) => match[1]);
    flags.set(file, [...new Set(found)]);
  }
  return flags;
}

describe('raftlab --help', () => {
  it.each(commandNames.flatMap((name) => [[name, '--help'], [name, '-h']]))(
    '%s %s prints that command\'s usage and exits 0',
    async (name, flag) => {
      const result = await cli([name, flag]);
      expect(result.code).toBe(0);
      expect(result.err).toBe('');
      expect(result.out).toMatch(new RegExp(`^usage: raftlab ${name} `));
      expect(result.out).toBe(await commandUsage(name));
    },
  );

  it('the top-level help holds every command\'s own usage text', async () => {
    const help = await topLevelUsage();
    for (const name of commandNames) {
      const usage = (await commandUsage(name))!;
      for (const line of usage.trimEnd().split('\n')) {
        expect(help).toContain(line.replace(/^usage: /, '').trim());
      }
    }
    expect((await cli(['--help'])).out).toBe(help);
  });

  it('the top-level help names every flag each command parser accepts', async () => {
    const help = await topLevelUsage();
    const flags = await parserFlags();
    expect([...flags.keys()]).toContain('run-command.ts');
    expect(flags.get('run-command.ts')).toContain('--heartbeat-ticks');
    for (const [file, names] of flags) {
      for (const name of names) expect(help, `${file} accepts ${name}`).toMatch(new RegExp(`${name}\\b`));
    }
  });
});
