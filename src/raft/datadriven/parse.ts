// A reader of cockroachdb/datadriven files (the format of etcd's golden transcripts):
//
//   # a comment
//   <command> [key | key=value | key=(v1, v2, ...)]...   (a trailing "\" continues the line)
//   <input lines, optional>
//   ----
//   <expected output, ending at the first blank line>
//
// Expected output that contains blank lines is written between doubled separators:
//
//   ----
//   ----
//   <output, blank lines allowed>
//   ----
//   ----
//
// Lines are what Go's bufio.Scanner yields: split at "\n", a trailing "\r" dropped.
import { parseLine, ParseLineError, type CmdArg } from './parse-line';

export type { CmdArg } from './parse-line';

/** Malformed test file; the message starts with "file:line: ". */
export class DatadrivenSyntaxError extends Error {
  override name = 'DatadrivenSyntaxError';

  constructor(
    readonly pos: string,
    readonly detail: string,
  ) {
    super(`${pos}: ${detail}`);
  }
}

/** One test case of a datadriven file. */
export interface TestData {
  /** "path:line" of the directive line, for messages. */
  pos: string;
  /** The command: the first word of the directive. */
  cmd: string;
  cmdArgs: CmdArg[];
  /** The directive line as written (continuations joined), for messages. */
  directive: string;
  /** The lines between the directive and the separator, trimmed. */
  input: string;
  /** The expected output: each line ends in "\n"; "" when there is none. */
  expected: string;
  /**
   * The file's lines that precede this case's output, from the end of the previous case:
   * comments, blank lines, the directive and the input. A rewrite writes them back unchanged.
   */
  echo: string[];
}

/** A parsed file: its cases, and the lines after the last one (kept by a rewrite). */
export interface DatadrivenFile {
  path: string;
  cases: TestData[];
  trailer: string[];
}

/** Upper bound on the lines of one file, so a runaway input fails instead of exhausting memory. */
export const datadrivenLinesMax = 10_000_000;

class LineScanner {
  private readonly lines: string[];
  /** 1-based number of the line last returned. */
  line = 0;

  constructor(text: string) {
    const lines = text.split('\n');
    // A final "\n" ends the last line; it does not start an empty one.
    if (lines[lines.length - 1] === '') lines.pop();
    if (lines.length > datadrivenLinesMax) {
      throw new Error(`datadriven: more than ${datadrivenLinesMax} lines`);
    }
    this.lines = lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  }

  /** The next line, or null at the end. */
  scan(): string | null {
    if (this.line >= this.lines.length) return null;
    return this.lines[this.line++];
  }
}

/** Parses a datadriven file; throws DatadrivenSyntaxError naming file and line. */
export function parseDatadrivenFile(text: string, path: string): DatadrivenFile {
  const scanner = new LineScanner(text);
  const cases: TestData[] = [];
  let echo: string[] = [];
  for (let raw = scanner.scan(); raw !== null; raw = scanner.scan()) {
    echo.push(raw);
    const pos = `${path}:${scanner.line}`;
    let line = raw.trim();
    if (line.startsWith('#')) continue;
    while (line.endsWith('\\')) {
      const next = scanner.scan();
      if (next === null) break;
      echo.push(next);
      line = `${line.slice(0, -1)} ${next.trim()}`;
    }
    let parsed: { cmd: string; cmdArgs: CmdArg[] };
    try {
      parsed = parseLine(line);
    } catch (error) {
      if (error instanceof ParseLineError) throw new DatadrivenSyntaxError(pos, error.message);
      throw error;
    }
    if (parsed.cmd === '') continue;
    const inputLines: string[] = [];
    let separator = false;
    for (let next = scanner.scan(); next !== null; next = scanner.scan()) {
      if (next === '----') {
        separator = true;
        break;
      }
      echo.push(next);
      inputLines.push(next);
    }
    const expected = separator ? readExpected(scanner, path) : '';
    cases.push({
      pos,
      cmd: parsed.cmd,
      cmdArgs: parsed.cmdArgs,
      directive: line,
      input: inputLines
        .map((input) => `${input}\n`)
        .join('')
        .trim(),
      expected,
      echo,
    });
    echo = [];
  }
  return { path, cases, trailer: echo };
}

/** Parses a datadriven file into its test cases. */
export function parseDatadriven(text: string, path: string): TestData[] {
  return parseDatadrivenFile(text, path).cases;
}

/** Reads the expected output after a "----" separator. */
function readExpected(scanner: LineScanner, path: string): string {
  let expected = '';
  const first = scanner.scan();
  if (first === '----') {
    // Doubled separators: the output ends at the next "----" that is followed by "----".
    for (let line = scanner.scan(); line !== null; line = scanner.scan()) {
      if (line === '----') {
        const second = scanner.scan();
        if (second === '----') {
          const after = scanner.scan();
          if (after !== null && after !== '') {
            throw new DatadrivenSyntaxError(
              `${path}:${scanner.line}`,
              'non-blank line after end of double ---- separator section',
            );
          }
          return expected;
        }
        if (second === null) return expected + '----\n';
        expected += `${line}\n${second}\n`;
        continue;
      }
      expected += `${line}\n`;
    }
    return expected;
  }
  // A single separator: the output ends at the first blank line (or the end of the file).
  for (let line = first; line !== null && line.trim() !== ''; line = scanner.scan()) {
    expected += `${line}\n`;
  }
  return expected;
}
