// Reading Jepsen's two text formats into register and kv operations, and refusing malformed
// input with the line and what is wrong.
import { describe, expect, it } from 'vitest';
import { detectFormat, parseKvHistory, parseRegisterHistory } from './histories';

const etcdLog = [
  'INFO  jepsen.core - Running test',
  'INFO  jepsen.util - 0\t:invoke\t:read\tnil',
  'INFO  jepsen.util - 1  :invoke   :cas [3 0]',
  'INFO  jepsen.util - :nemesis\t:info\t:start\tnil',
  'INFO  jepsen.util - 0\t:ok\t:read\t3',
  'INFO  jepsen.util - 2\t:invoke\t:write\t4',
  'INFO  jepsen.util - 1\t:fail\t:cas\t[3 0]',
  'INFO  jepsen.util - 2\t:info\t:write\t:timed-out',
  'INFO  jepsen.util - 3\t:invoke\t:read\tnil',
  'INFO  jepsen.util - 3\t:fail\t:read\t:timed-out',
  'INFO  jepsen.util - 4\t:invoke\t:write\t1',
  '',
].join('\n');

describe('Jepsen etcd text log', () => {
  it('reads operation lines, skips noise and the nemesis, and pairs per process', () => {
    const result = parseRegisterHistory(etcdLog);
    if (!result.ok) throw new Error(result.error.message);
    const summary = result.value.map((op) => [
      op.process,
      op.input,
      op.completion,
      op.output,
      op.invokeLine,
      op.completeLine,
    ]);
    expect(summary).toEqual([
      [0, { f: 'read' }, 'ok', 3, 2, 5],
      [1, { f: 'cas', from: 3, to: 0 }, 'fail', undefined, 3, 7],
      [2, { f: 'write', value: 4 }, 'info', undefined, 6, 8],
      [3, { f: 'read' }, 'fail', undefined, 9, 10],
      [4, { f: 'write', value: 1 }, 'info', undefined, 11, undefined],
    ]);
    expect(result.value.map((op) => [op.invokeIndex, op.completeIndex])).toEqual([
      [0, 2],
      [1, 4],
      [3, 5],
      [6, 7],
      [8, null],
    ]);
  });

  it.each([
    [
      'INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:invoke\t:read\tnil',
      2,
      'process 0 invokes :read while its invocation on line 1 is still open',
    ],
    [
      'INFO  jepsen.util - 5\t:ok\t:read\t1',
      1,
      'process 5 completes (:ok :read) with no open invocation',
    ],
    [
      'INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:write\t1',
      2,
      'process 0 completes :write but invoked :read on line 1',
    ],
    ['INFO  jepsen.util - 0\t:invoke\t:cas\t[1 2 3]', 1, 'a cas takes [from to], not [1 2 3]'],
    [
      'INFO  jepsen.util - 0\t:invoke\t:incr\t1',
      1,
      'the register model knows :read, :write and :cas, not :incr',
    ],
    [
      'INFO  jepsen.util - 0\t:invoke\t:write\t[1]',
      1,
      'the value written must be nil, an integer or a string, not [1]',
    ],
    ['INFO  jepsen.util - 0\t:invoke\t:cas\t[1 2', 1, '"[" not closed'],
    [
      'INFO  jepsen.util - 0\t:invoke\t3',
      1,
      'expected a function keyword such as :read after the type',
    ],
  ])('refuses malformed input %#', (text, line, message) => {
    const result = parseRegisterHistory(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ line, message });
  });
});

const ednLines = [
  '{:process 9, :type :invoke, :f :append, :key "0", :value "x 9 0 y"}',
  '{:process 1, :type :invoke, :f :get, :key "9", :value nil}',
  '',
  '{:process :nemesis, :type :info, :f :start, :value nil}',
  '{:process 9, :type :ok, :f :append, :key "0", :value "x 9 0 y"}',
  '{:process 1, :type :ok, :f :get, :key "9", :value nil}',
  '{:process 3, :type :invoke, :f :put, :key 4, :value "x 3 1 y"}',
].join('\n');

describe('Jepsen EDN lines (kv)', () => {
  it('reads maps, treats a nil get as the empty string and open operations as unknown', () => {
    expect(detectFormat(ednLines)).toBe('edn-lines');
    const result = parseKvHistory(ednLines);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.map((op) => [op.process, op.input, op.completion, op.output])).toEqual([
      [9, { f: 'append', key: '0', value: 'x 9 0 y' }, 'ok', undefined],
      [1, { f: 'get', key: '9' }, 'ok', ''],
      [3, { f: 'put', key: '4', value: 'x 3 1 y' }, 'info', undefined],
    ]);
  });

  it.each([
    ['{:process 1, :type :invoke, :f :get, :key "9"', 1, '"{" not closed'],
    ['[1 2]', 1, 'expected an EDN map {...}'],
    ['{:process 1, :type :invoke, :f :get, :key "9"} extra', 1, 'unexpected text after the map'],
    [
      '{:process "a", :type :invoke, :f :get, :key "9"}',
      1,
      ':process must be an integer (or :nemesis), not "a"',
    ],
    [
      '{:process 1, :type :done, :f :get, :key "9"}',
      1,
      ':type must be :invoke, :ok, :fail or :info, not :done',
    ],
    ['{:process 1, :type :invoke, :f "get", :key "9"}', 1, ':f must be a keyword, not "get"'],
    [
      '\n{:process 1, :type :invoke, :f :get}',
      2,
      'a kv operation needs :key "<string>", not (nothing)',
    ],
    [
      '{:process 1, :type :invoke, :f :put, :key "9", :value 3}',
      1,
      ':put takes a string :value, not 3',
    ],
    [
      '{:process 1, :type :invoke, :f :get, :key "9"}\n{:process 1, :type :ok, :f :get, :key "9", :value 3}',
      2,
      'a get returns a string or nil, not 3',
    ],
    [
      '{:process 1, :type :invoke, :f :cas, :key "9"}',
      1,
      'the kv model knows :get, :put and :append, not :cas',
    ],
  ])('refuses malformed input %#', (text, line, message) => {
    const result = parseKvHistory(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ line, message });
  });

  it('refuses a file without any client operation', () => {
    for (const text of [
      '',
      'INFO  jepsen.core - Running test\n',
      '{:process :nemesis, :type :info, :f :start}',
    ]) {
      const result = parseRegisterHistory(text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toMatch(/^no client operations found/);
    }
  });

  it('reads a register history written as EDN lines too', () => {
    const text =
      '{:process 0, :type :invoke, :f :write, :value 3}\n{:process 0, :type :ok, :f :write, :value 3}';
    const result = parseRegisterHistory(text);
    expect(result.ok && result.value[0].input).toEqual({ f: 'write', value: 3 });
  });
});
