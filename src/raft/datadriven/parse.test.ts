// The datadriven reader: cockroachdb/datadriven's file format and ParseLine.
import { describe, expect, it } from 'vitest';
import {
  argBool,
  argInt,
  argString,
  argUint,
  cmdArgUint,
  DatadrivenArgError,
  hasArg,
  scanArg,
} from './args';
import { DatadrivenSyntaxError, parseDatadriven, parseDatadrivenFile } from './parse';
import { formatCmdArg, parseLine, ParseLineError } from './parse-line';

describe('parseLine', () => {
  it('reads keys, single values, empty values and lists', () => {
    expect(parseLine('  cmd a b=1 c= d=(1, 2,3) e=()  ')).toEqual({
      cmd: 'cmd',
      cmdArgs: [
        { key: 'a', vals: [] },
        { key: 'b', vals: ['1'] },
        { key: 'c', vals: [''] },
        { key: 'd', vals: ['1', '2', '3'] },
        { key: 'e', vals: [''] },
      ],
    });
    expect(parseLine('')).toEqual({ cmd: '', cmdArgs: [] });
  });

  it('keeps nested parentheses inside one value', () => {
    expect(parseLine('cmd exprs=(a + (b + c), d + f)').cmdArgs).toEqual([
      { key: 'exprs', vals: ['a + (b + c)', 'd + f'] },
    ]);
  });

  it('reports the column of a syntax error', () => {
    expect(() => parseLine('cmd a=(1, 2')).toThrow(ParseLineError);
    expect(() => parseLine('cmd a=(1, 2')).toThrow(
      'cannot parse directive at column 11: cmd a=(1, 2',
    );
    expect(() => parseLine('cmd =1')).toThrow('cannot parse directive at column 5: cmd =1');
  });

  it('prints arguments as datadriven does', () => {
    expect(formatCmdArg({ key: 'a', vals: [] })).toBe('a');
    expect(formatCmdArg({ key: 'a', vals: ['1'] })).toBe('a=1');
    expect(formatCmdArg({ key: 'a', vals: ['1', '2'] })).toBe('a=(1, 2)');
  });
});

describe('parseDatadriven', () => {
  const text = [
    '# a comment',
    'first x=1',
    'some input',
    '',
    'more input',
    '----',
    'line 1',
    'line 2',
    '',
    '',
    'second \\',
    '  y=(a,b)',
    '----',
    '----',
    'out 1',
    '',
    'out 2',
    '----',
    'not the end',
    '----',
    '----',
    '',
    'third',
    '----',
    '',
    'fourth',
    '----',
    'last line without blank',
  ].join('\n');

  it('reads commands, inputs and both forms of expected output', () => {
    const cases = parseDatadriven(text, 'f.txt');
    expect(cases.map((d) => [d.pos, d.cmd, d.input, d.expected])).toEqual([
      ['f.txt:2', 'first', 'some input\n\nmore input', 'line 1\nline 2\n'],
      ['f.txt:11', 'second', '', 'out 1\n\nout 2\n----\nnot the end\n'],
      ['f.txt:23', 'third', '', ''],
      ['f.txt:26', 'fourth', '', 'last line without blank\n'],
    ]);
    expect(cases[1].cmdArgs).toEqual([{ key: 'y', vals: ['a', 'b'] }]);
    expect(cases[1].directive).toBe('second  y=(a,b)');
    expect(cases[0].echo).toEqual(['# a comment', 'first x=1', 'some input', '', 'more input']);
    expect(cases[1].echo).toEqual(['', 'second \\', '  y=(a,b)']);
  });

  it('keeps what follows the last case, and handles CRLF files', () => {
    const file = parseDatadrivenFile('a\r\n----\r\nok\r\n\r\n# tail\r\n', 'g.txt');
    expect(file.cases[0].expected).toBe('ok\n');
    expect(file.trailer).toEqual(['# tail']);
  });

  it('a command without a separator has no expected output', () => {
    expect(parseDatadriven('cmd\ninput\n', 'h.txt')).toMatchObject([
      { cmd: 'cmd', input: 'input', expected: '' },
    ]);
  });

  it('names file and line in syntax errors', () => {
    const bad = 'ok\n----\nok\n\ncmd a=(1\n----\nok\n';
    expect(() => parseDatadriven(bad, 'bad.txt')).toThrow(DatadrivenSyntaxError);
    expect(() => parseDatadriven(bad, 'bad.txt')).toThrow(
      'bad.txt:5: cannot parse directive at column 8: cmd a=(1',
    );
    const trailing = 'cmd\n----\n----\nx\n----\n----\nnot blank\n';
    expect(() => parseDatadriven(trailing, 't.txt')).toThrow(
      't.txt:7: non-blank line after end of double ---- separator section',
    );
  });
});

describe('argument helpers', () => {
  const [d] = parseDatadriven('cmd n=5 u=7 b=true s=hi list=(1,x) neg=-3 flag\n----\n', 'a.txt');

  it('scan typed values', () => {
    expect(hasArg(d, 'flag')).toBe(true);
    expect(hasArg(d, 'nope')).toBe(false);
    expect(argInt(d, 'n')).toBe(5);
    expect(argInt(d, 'neg')).toBe(-3);
    expect(argUint(d, 'u')).toBe(7);
    expect(argBool(d, 'b')).toBe(true);
    expect(argString(d, 's')).toBe('hi');
    expect(cmdArgUint(d, scanArg(d, 'list'), 0)).toBe(1);
  });

  it('errors name file and line', () => {
    expect(() => scanArg(d, 'nope')).toThrow('a.txt:1: missing argument: nope');
    expect(() => argInt(d, 'list')).toThrow('a.txt:1: list: got 1 destinations, but 2 values');
    expect(() => cmdArgUint(d, scanArg(d, 'list'), 1)).toThrow(
      'a.txt:1: strconv.ParseUint: parsing "x": invalid syntax',
    );
    expect(() => argUint(d, 'neg')).toThrow(DatadrivenArgError);
    expect(() => argBool(d, 's')).toThrow(
      'a.txt:1: strconv.ParseBool: parsing "hi": invalid syntax',
    );
    expect(() => cmdArgUint(d, scanArg(d, 'list'), 5)).toThrow('cannot scan index 5 of key list');
  });
});
