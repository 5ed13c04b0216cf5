// datadriven's ParseLine: a directive line is a command followed by arguments of the forms
// `key`, `key=value`, `key=` (one empty value) and `key=(v1, v2, ...)`, where values may nest
// parentheses: `exprs=(a + (b + c), d)` gives two values.

/** One argument of a directive: its key and its values (none for a bare `key`). */
export interface CmdArg {
  key: string;
  vals: string[];
}

/** A directive line that cannot be parsed; `column` is 1-based. */
export class ParseLineError extends Error {
  override name = 'ParseLineError';

  constructor(
    readonly column: number,
    readonly line: string,
  ) {
    super(`cannot parse directive at column ${column}: ${line}`);
  }
}

/** Splits a directive line into its command and arguments; a blank line gives cmd "". */
export function parseLine(rawLine: string): { cmd: string; cmdArgs: CmdArg[] } {
  const original = rawLine.trim();
  if (original === '') return { cmd: '', cmdArgs: [] };
  let rest = original;
  const fail = (): never => {
    throw new ParseLineError(original.length - rest.length + 1, original);
  };
  // Removes and returns the prefix of `rest` up to the first of `chars`.
  const until = (chars: string): string => {
    let index = 0;
    while (index < rest.length && !chars.includes(rest[index])) index++;
    const prefix = rest.slice(0, index);
    rest = rest.slice(index);
    return prefix;
  };

  const cmd = until(' ');
  if (cmd === '') fail();
  rest = rest.trim();
  const cmdArgs: CmdArg[] = [];
  while (rest !== '') {
    const key = until(' =');
    if (key === '') fail();
    const vals: string[] = [];
    if (rest.startsWith('=')) {
      rest = rest.slice(1);
      if (rest === '' || rest[0] === ' ') {
        vals.push('');
      } else if (rest[0] !== '(') {
        vals.push(until(' '));
      } else {
        rest = rest.slice(1);
        let done = false;
        while (!done) {
          const end = valueEnd(rest);
          if (end === null) fail();
          done = rest[end!] === ')';
          vals.push(rest.slice(0, end!));
          rest = rest.slice(end! + 1).trim();
        }
      }
    }
    cmdArgs.push({ key, vals });
    rest = rest.trim();
  }
  return { cmd, cmdArgs };
}

/**
 * The position of the ',' or ')' that ends the first value of a parenthesized list, skipping
 * over balanced inner parentheses; null when the list is not closed.
 */
function valueEnd(text: string): number | null {
  let depth = 0;
  for (let position = 0; position < text.length; position++) {
    const char = text[position];
    if (char === '(') depth++;
    else if (char === ')' && depth > 0) depth--;
    else if (depth === 0 && (char === ')' || char === ',')) return position;
  }
  return null;
}

/** datadriven's CmdArg.String: `key`, `key=v` or `key=(v1, v2)`. */
export function formatCmdArg(arg: CmdArg): string {
  if (arg.vals.length === 0) return arg.key;
  if (arg.vals.length === 1) return `${arg.key}=${arg.vals[0]}`;
  return `${arg.key}=(${arg.vals.join(', ')})`;
}
