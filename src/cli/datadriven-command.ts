// `raftlab datadriven`: runs etcd-style datadriven files through a suite's handler and reports
// PASS/FAIL per file. Exit codes: 0 all passed, 1 some failed, 2 usage error or unreadable path.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runDatadrivenFile } from '../raft/datadriven/run';
import { suites } from '../raft/datadriven/suites';
import { writeOutput } from './output-file';

export interface DatadrivenCommandOutput {
  out(text: string): void;
  err(text: string): void;
}

interface Options {
  suite: string;
  ignoreLogLines: boolean;
  rewrite: boolean;
  paths: string[];
}

export const usage =
  'usage: raftlab datadriven [--suite interaction|quorum|confchange] [--ignore-log-lines] [--rewrite] PATH...\n';

function parseOptions(args: string[]): Options | string {
  const options: Options = {
    suite: 'interaction',
    ignoreLogLines: false,
    rewrite: false,
    paths: [],
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--suite') {
      const value = args[++i];
      if (value === undefined) return '--suite needs a value';
      options.suite = value;
    } else if (arg.startsWith('--suite=')) {
      options.suite = arg.slice('--suite='.length);
    } else if (arg === '--ignore-log-lines') {
      options.ignoreLogLines = true;
    } else if (arg === '--rewrite') {
      options.rewrite = true;
    } else if (arg.startsWith('-') && arg !== '-') {
      return `unknown option ${arg}`;
    } else {
      options.paths.push(arg);
    }
  }
  if (options.paths.length === 0) return 'no PATH given';
  return options;
}

/** The files a path stands for: itself, or a folder's *.txt files in name order. */
async function expandPath(path: string): Promise<string[] | string> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    return `cannot read ${path}: ${(error as Error).message}`;
  }
  if (!info.isDirectory()) return [path];
  try {
    const names = (await readdir(path)).filter((name) => name.endsWith('.txt')).sort();
    if (names.length === 0) return `no *.txt files in ${path}`;
    return names.map((name) => join(path, name));
  } catch (error) {
    return `cannot read ${path}: ${(error as Error).message}`;
  }
}

export async function runDatadrivenCommand(
  args: string[],
  io: DatadrivenCommandOutput,
): Promise<number> {
  const options = parseOptions(args);
  if (typeof options === 'string') {
    io.err(`raftlab datadriven: ${options}\n${usage}`);
    return 2;
  }
  const suite = suites[options.suite];
  if (suite === undefined) {
    const known = Object.keys(suites).sort().join(', ');
    io.err(
      `raftlab datadriven: suite "${options.suite}" is not available (registered: ${known})\n`,
    );
    return 2;
  }
  const files: string[] = [];
  for (const path of options.paths) {
    const expanded = await expandPath(path);
    if (typeof expanded === 'string') {
      io.err(`raftlab datadriven: ${expanded}\n`);
      return 2;
    }
    files.push(...expanded);
  }
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      io.err(`raftlab datadriven: cannot read ${file}: ${(error as Error).message}\n`);
      return 2;
    }
    const result = runDatadrivenFile({
      path: file,
      text,
      handler: suite.createHandler(),
      ignoreLogLines: options.ignoreLogLines,
      rewrite: options.rewrite,
    });
    if (result.passed && result.rewritten !== undefined && result.rewritten !== text) {
      const written = await writeOutput(file, result.rewritten);
      if (written !== null) {
        io.err(`raftlab datadriven: --rewrite: ${written}\n`);
        return 2;
      }
    }
    if (result.passed) passed++;
    else failed++;
    io.out(`${result.passed ? 'PASS' : 'FAIL'} ${file}\n`);
    for (const line of result.diffs) io.out(`    ${line}\n`);
  }
  io.out(`${passed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}
