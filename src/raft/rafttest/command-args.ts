// Argument helpers for the interaction commands, mirroring etcd's rafttest helpers
// (firstAsInt, firstAsNodeIdx, nodeIdxs) and datadriven's CmdArg.Scan.
//
// Two kinds of failure are kept apart, as in etcd: a malformed test file is the test's fault
// (etcd calls t.Fatal) and throws HarnessFatal, which fails the run; an error the command itself
// returns (etcd's `return err`) throws InteractionError, which the harness prints as output.

/** One command argument: `key`, `key=value` or `key=(a,b)`. */
export interface CommandArg {
  key: string;
  vals: string[];
}

/** The test file is malformed: stop the run (etcd's t.Fatal). */
export class HarnessFatal extends Error {
  override name = 'HarnessFatal';
}

/** A command returned an error; its text becomes the command's output. */
export class InteractionError extends Error {
  override name = 'InteractionError';
}

/** Parses a decimal integer as Go's strconv.Atoi does; throws HarnessFatal otherwise. */
export function parseIntStrict(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) {
    throw new HarnessFatal(`strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new HarnessFatal(`strconv.Atoi: parsing ${JSON.stringify(text)}: value out of range`);
  }
  return value;
}

/** Parses an unsigned decimal integer (strconv.ParseUint); throws HarnessFatal otherwise. */
export function parseUintStrict(text: string): number {
  if (!/^\d+$/.test(text)) {
    throw new HarnessFatal(`strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`);
  }
  return parseIntStrict(text);
}

/** Parses a boolean as Go's strconv.ParseBool does, or returns null. */
export function parseGoBool(text: string): boolean | null {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return null;
}

/** datadriven's Scan of a bool value; a bad value fails the test. */
export function scanBool(arg: CommandArg, i: number): boolean {
  const value = parseGoBool(arg.vals[i]);
  if (value === null) {
    throw new HarnessFatal(
      `${arg.key}: strconv.ParseBool: parsing ${JSON.stringify(arg.vals[i])}: invalid syntax`,
    );
  }
  return value;
}

/** datadriven's Scan of an integer value; a bad value fails the test. */
export function scanInt(arg: CommandArg, i: number): number {
  return parseIntStrict(arg.vals[i]);
}

/** datadriven's Scan of an unsigned integer value; a bad value fails the test. */
export function scanUint(arg: CommandArg, i: number): number {
  return parseUintStrict(arg.vals[i]);
}

/** The first argument read as an integer (etcd's firstAsInt). */
export function firstAsInt(args: CommandArg[]): number {
  if (args.length === 0) throw new HarnessFatal('expected at least one argument');
  return parseIntStrict(args[0].key);
}

/** The first argument read as a node id, returned as a zero-based node index. */
export function firstAsNodeIdx(args: CommandArg[]): number {
  return firstAsInt(args) - 1;
}

/** Every bare argument read as a node id and returned as a zero-based index; skips key=value. */
export function nodeIdxs(args: CommandArg[]): number[] {
  return args.filter((arg) => arg.vals.length === 0).map((arg) => parseIntStrict(arg.key) - 1);
}

/** The single value of the argument named key (datadriven's ScanArgs); throws when missing. */
export function scanArgInt(args: CommandArg[], key: string): number {
  const arg = args.find((candidate) => candidate.key === key);
  if (arg === undefined) throw new HarnessFatal(`missing argument: ${key}`);
  if (arg.vals.length !== 1) throw new HarnessFatal(`${key}: expected exactly one value`);
  return parseIntStrict(arg.vals[0]);
}
