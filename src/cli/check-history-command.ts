// `raftlab check-history --model register|kv FILE...`: checks Jepsen histories for
// linearizability and prints one line per file:
//   <path>: linearizable | not linearizable (<first operation that cannot be placed>) | unknown (<why>)
// Exit codes: 0 all linearizable, 1 some not, 3 some unknown and none not, 2 usage error or
// unreadable input (the file and line are named on stderr).
import { readFile } from 'node:fs/promises';
import {
  checkHistory,
  createRegisterModel,
  describeVerdict,
  kvModel,
  parseKvHistory,
  parseRegisterHistory,
  type CheckOptions,
  type HistoryParseError,
} from '../checker/linearizability';

export interface CheckHistoryCommandOutput {
  out(text: string): void;
  err(text: string): void;
}

type ModelName = 'register' | 'kv';
type FailedCas = 'mismatch' | 'did-not-happen';

interface Options {
  model: ModelName;
  timeLimitSeconds: number;
  failedCas: FailedCas;
  paths: string[];
}

export const timeLimitSecondsDefault = 60;

export const usage =
  'usage: raftlab check-history --model register|kv [--time-limit SECONDS] ' +
  '[--failed-cas mismatch|did-not-happen] FILE...\n';

type Verdict = 'linearizable' | 'not-linearizable' | 'unknown' | 'unreadable';

function optionValue(args: string[], index: number, name: string): [string, number] | string {
  const arg = args[index];
  if (arg.startsWith(`${name}=`)) return [arg.slice(name.length + 1), index];
  const value = args[index + 1];
  if (value === undefined) return `${name} needs a value`;
  return [value, index + 1];
}

function parseOptions(args: string[]): Options | string {
  let model: string | undefined;
  let timeLimit = String(timeLimitSecondsDefault);
  let failedCas = 'mismatch';
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const name = arg.split('=', 1)[0];
    if (name === '--model' || name === '--time-limit' || name === '--failed-cas') {
      const read = optionValue(args, i, name);
      if (typeof read === 'string') return read;
      [, i] = read;
      if (name === '--model') model = read[0];
      else if (name === '--time-limit') timeLimit = read[0];
      else failedCas = read[0];
    } else if (arg.startsWith('-') && arg !== '-') {
      return `unknown option ${arg}`;
    } else {
      paths.push(arg);
    }
  }
  if (model === undefined) return '--model register|kv is required';
  if (model !== 'register' && model !== 'kv') return `unknown model "${model}" (register or kv)`;
  const timeLimitSeconds = Number(timeLimit);
  if (!(timeLimitSeconds > 0) || !Number.isFinite(timeLimitSeconds)) {
    return `--time-limit must be a positive number of seconds, not "${timeLimit}"`;
  }
  if (failedCas !== 'mismatch' && failedCas !== 'did-not-happen') {
    return `--failed-cas must be mismatch or did-not-happen, not "${failedCas}"`;
  }
  if (paths.length === 0) return 'no FILE given';
  return { model, timeLimitSeconds, failedCas, paths };
}

function describeParseError(path: string, error: HistoryParseError): string {
  const column = error.column === undefined ? '' : `:${error.column}`;
  return `${path}:${error.line}${column}: ${error.message}`;
}

/** Checks one file's text; returns the verdict and the line to print (stdout or stderr). */
function checkText(
  text: string,
  path: string,
  options: Options,
): { verdict: Verdict; line: string } {
  const checkOptions: CheckOptions = {
    timeLimitMs: options.timeLimitSeconds * 1000,
    now: () => performance.now(),
  };
  if (options.model === 'kv') {
    const parsed = parseKvHistory(text);
    if (!parsed.ok) return { verdict: 'unreadable', line: describeParseError(path, parsed.error) };
    const result = checkHistory(kvModel, parsed.value, checkOptions);
    return { verdict: result.verdict, line: `${path}: ${describeVerdict(kvModel, result)}` };
  }
  const model = createRegisterModel({ failedCas: options.failedCas });
  const parsed = parseRegisterHistory(text);
  if (!parsed.ok) return { verdict: 'unreadable', line: describeParseError(path, parsed.error) };
  const result = checkHistory(model, parsed.value, checkOptions);
  return { verdict: result.verdict, line: `${path}: ${describeVerdict(model, result)}` };
}

function exitCode(verdicts: Verdict[]): number {
  if (verdicts.includes('unreadable')) return 2;
  if (verdicts.includes('not-linearizable')) return 1;
  if (verdicts.includes('unknown')) return 3;
  return 0;
}

export async function runCheckHistoryCommand(
  args: string[],
  io: CheckHistoryCommandOutput,
): Promise<number> {
  const options = parseOptions(args);
  if (typeof options === 'string') {
    io.err(`raftlab check-history: ${options}\n${usage}`);
    return 2;
  }
  const verdicts: Verdict[] = [];
  for (const path of options.paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      io.err(`raftlab check-history: cannot read ${path}: ${(error as Error).message}\n`);
      verdicts.push('unreadable');
      continue;
    }
    const { verdict, line } = checkText(text, path, options);
    verdicts.push(verdict);
    if (verdict === 'unreadable') io.err(`raftlab check-history: ${line}\n`);
    else io.out(`${line}\n`);
  }
  return exitCode(verdicts);
}
