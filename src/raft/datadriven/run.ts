// Runs a datadriven file against a handler and compares (or rewrites) the expected outputs, as
// cockroachdb/datadriven's RunTest does. Output that ends without a newline gets one; empty
// output stays empty (etcd's handlers print "ok" themselves).
import { DatadrivenSyntaxError, parseDatadrivenFile, type TestData } from './parse';

/** Handles one test case and returns its output. Throwing fails the file at that case. */
export type DatadrivenHandler = (d: TestData) => string;

export interface RunDatadrivenOptions {
  /** Names the file in messages ("path:line"). */
  path: string;
  text: string;
  handler: DatadrivenHandler;
  /** Drop log lines (first word DEBUG, INFO, WARN, ERROR or FATAL) before comparing. */
  ignoreLogLines?: boolean;
  /** Produce the file with every expected output replaced by the actual one. */
  rewrite?: boolean;
}

export interface RunDatadrivenResult {
  passed: boolean;
  /** For a failure: where and how, the first differing lines, human readable. */
  diffs: string[];
  /** With `rewrite`, the new file text (absent when a case failed with an error). */
  rewritten?: string;
}

/** Lines of a difference shown on each side. */
const diffLinesMax = 6;

const logLevels = new Set(['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']);

/** Whether the line is an engine log line: its first word is a log level. */
export function isLogLine(line: string): boolean {
  const firstWord = line.trimStart().split(/\s/, 1)[0];
  return logLevels.has(firstWord);
}

/** The text without its log lines. */
export function withoutLogLines(text: string): string {
  return splitLines(text)
    .filter((line) => !isLogLine(line))
    .map((line) => `${line}\n`)
    .join('');
}

/** Runs every case of the file, stopping at the first failure (as datadriven does). */
export function runDatadrivenFile(options: RunDatadrivenOptions): RunDatadrivenResult {
  let file;
  try {
    file = parseDatadrivenFile(options.text, options.path);
  } catch (error) {
    if (error instanceof DatadrivenSyntaxError) return { passed: false, diffs: [error.message] };
    throw error;
  }
  const rewrite: string[] = [];
  for (const d of file.cases) {
    let actual: string;
    try {
      actual = options.handler(d);
    } catch (error) {
      return {
        passed: false,
        diffs: [`${d.pos}: ${d.directive}`, `  error: ${errorMessage(error)}`],
      };
    }
    if (actual !== '' && !actual.endsWith('\n')) actual += '\n';
    if (options.rewrite) {
      rewrite.push(...d.echo.map((line) => `${line}\n`), rewrittenOutput(actual));
      continue;
    }
    const expected = options.ignoreLogLines ? withoutLogLines(d.expected) : d.expected;
    const compared = options.ignoreLogLines ? withoutLogLines(actual) : actual;
    if (expected !== compared) {
      return { passed: false, diffs: describeDifference(d, expected, compared) };
    }
  }
  if (!options.rewrite) return { passed: true, diffs: [] };
  rewrite.push(...file.trailer.map((line) => `${line}\n`));
  let rewritten = rewrite.join('');
  // A file does not end in a blank line.
  if (rewritten.length > 2 && rewritten.endsWith('\n\n')) rewritten = rewritten.slice(0, -1);
  return { passed: true, diffs: [], rewritten };
}

/** The separator and output as datadriven writes them; doubled separators when blank lines. */
function rewrittenOutput(actual: string): string {
  if (hasBlankLine(actual)) return `----\n----\n${actual}----\n----\n\n`;
  return `----\n${actual}\n`;
}

function hasBlankLine(text: string): boolean {
  return splitLines(text).some((line) => line.trim() === '');
}

/** The lines of a text, as Go's bufio.Scanner yields them. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** Where the outputs first differ, with a few lines of each side from there. */
function describeDifference(d: TestData, expected: string, actual: string): string[] {
  const expectedLines = splitLines(expected);
  const actualLines = splitLines(actual);
  let first = 0;
  while (
    first < expectedLines.length &&
    first < actualLines.length &&
    expectedLines[first] === actualLines[first]
  ) {
    first++;
  }
  const side = (lines: string[], mark: string): string[] => {
    const shown = lines.slice(first, first + diffLinesMax).map((line) => `  ${mark} ${line}`);
    if (lines.length > first + diffLinesMax)
      shown.push(`  ${mark} ... (${lines.length - first - diffLinesMax} more lines)`);
    if (shown.length === 0) shown.push(`  ${mark} (end of output)`);
    return shown;
  };
  return [
    `${d.pos}: ${d.directive}`,
    `  output differs at line ${first + 1} (- expected, + actual):`,
    ...side(expectedLines, '-'),
    ...side(actualLines, '+'),
  ];
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
