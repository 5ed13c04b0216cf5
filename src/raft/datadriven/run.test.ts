// The datadriven runner: comparison, log-line filtering, failures and rewriting.
import { describe, expect, it } from 'vitest';
import type { TestData } from './parse';
import { isLogLine, runDatadrivenFile, withoutLogLines } from './run';

/** Echoes the input, upper-cased; "fail" throws; "blank" prints a blank line inside. */
function handler(d: TestData): string {
  if (d.cmd === 'fail') throw new Error('boom');
  if (d.cmd === 'blank') return 'a\n\nb';
  if (d.cmd === 'log') return 'INFO chatty\nresult\n  DEBUG indented';
  if (d.cmd === 'empty') return '';
  return d.input.toUpperCase();
}

describe('runDatadrivenFile', () => {
  it('passes when every output matches, adding the final newline itself', () => {
    const text = 'echo\nhello\n----\nHELLO\n\nblank\n----\n----\na\n\nb\n----\n----\n';
    expect(runDatadrivenFile({ path: 'p.txt', text, handler })).toEqual({
      passed: true,
      diffs: [],
    });
  });

  it('reports the first differing lines, naming file and line', () => {
    const text = 'echo\nx\n----\nX\n\necho\nab\n----\nAC\n\necho\nz\n----\nWRONG TOO\n';
    const result = runDatadrivenFile({ path: 'p.txt', text, handler });
    expect(result.passed).toBe(false);
    expect(result.diffs).toEqual([
      'p.txt:6: echo',
      '  output differs at line 1 (- expected, + actual):',
      '  - AC',
      '  + AB',
    ]);
  });

  it('a handler error fails the file with its position, without crashing', () => {
    const result = runDatadrivenFile({ path: 'p.txt', text: 'fail x=1\n----\nok\n', handler });
    expect(result).toEqual({ passed: false, diffs: ['p.txt:1: fail x=1', '  error: boom'] });
  });

  it('a syntax error fails the file', () => {
    const result = runDatadrivenFile({ path: 'p.txt', text: 'echo a=(\n----\n', handler });
    expect(result.passed).toBe(false);
    expect(result.diffs[0]).toMatch(/^p\.txt:1: cannot parse directive/);
  });

  it('can ignore log lines on both sides', () => {
    const text = 'log\n----\nresult\nWARN other\n';
    expect(runDatadrivenFile({ path: 'p.txt', text, handler }).passed).toBe(false);
    expect(runDatadrivenFile({ path: 'p.txt', text, handler, ignoreLogLines: true }).passed).toBe(
      true,
    );
    expect(isLogLine('  FATAL x')).toBe(true);
    expect(isLogLine('INFOx')).toBe(false);
    expect(withoutLogLines('a\nERROR b\nc\n')).toBe('a\nc\n');
  });

  it('rewrites outputs, choosing the doubled separator for blank lines', () => {
    const text = [
      '# head',
      'echo',
      'hi',
      '----',
      'stale',
      '',
      'blank',
      '----',
      'old',
      '',
      'empty',
      '----',
      '',
      '# tail',
      '',
    ].join('\n');
    const result = runDatadrivenFile({ path: 'p.txt', text, handler, rewrite: true });
    expect(result.passed).toBe(true);
    expect(result.rewritten).toBe(
      [
        '# head',
        'echo',
        'hi',
        '----',
        'HI',
        '',
        'blank',
        '----',
        '----',
        'a',
        '',
        'b',
        '----',
        '----',
        '',
        'empty',
        '----',
        '',
        '# tail',
        '',
      ].join('\n'),
    );
    // The rewritten file passes as is, and rewriting it again changes nothing.
    const again = runDatadrivenFile({
      path: 'p.txt',
      text: result.rewritten!,
      handler,
      rewrite: true,
    });
    expect(again.rewritten).toBe(result.rewritten);
    expect(runDatadrivenFile({ path: 'p.txt', text: result.rewritten!, handler }).passed).toBe(
      true,
    );
  });

  it('does not end a rewritten file with a blank line', () => {
    const result = runDatadrivenFile({
      path: 'p.txt',
      text: 'echo\nx\n----\nX\n',
      handler,
      rewrite: true,
    });
    expect(result.rewritten).toBe('echo\nx\n----\nX\n');
  });
});
