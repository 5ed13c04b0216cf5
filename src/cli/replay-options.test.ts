// replay checks every option field of a trace before running it: "<file>: ... options.<field>: <what>".
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from './main';
import { traceOptionsError } from './trace-options';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

let dir = '';
let edits = 0;
let trace: Record<string, unknown> & { options: Record<string, unknown> };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raftlab-replay-options-'));
  const scenario = join(dir, 'scenario.json');
  await writeFile(
    scenario,
    JSON.stringify({ version: 1, seed: 5, nodes: 3, timeMs: 1000, steps: [{ atMs: 100, action: 'crash', node: 2 }, { atMs: 500, action: 'restart', node: 2 }] }),
  );
  const path = join(dir, 'trace.json');
  expect((await cli(['run', '--scenario', scenario, '--trace', path])).code).toBe(0);
  trace = JSON.parse(await readFile(path, 'utf8')) as typeof trace;
}, 30_000);

async function replayWith(options: Record<string, unknown>): Promise<{ code: number; out: string; err: string }> {
  const path = join(dir, `edited-${++edits}.json`);
  await writeFile(path, JSON.stringify({ ...trace, options: { ...trace.options, ...options } }));
  return cli(['replay', path]);
}

describe('raftlab replay: the trace options', () => {
  it('a trace with a plan (run --scenario) replays to the same transcript', async () => {
    expect(trace.options.plan).toBeDefined();
    const result = await replayWith({});
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/same transcript/);
  });

  it.each([
    [{ reads: 'xx' }, 'options.reads: expected one of index, lease, log, got "xx"'],
    [{ diskFaults: ['melt'], durable: true }, 'options.diskFaults[0]: unknown name "melt" (known: lost-writes, torn-writes, corrupt-reads, disk-full)'],
    [{ durable: 'yes' }, 'options.durable: expected true or false, got "yes"'],
    [{ plan: 'nope' }, 'options.plan: expected a nemesis plan object, got "nope"'],
    [{ nodeCount: 12 }, 'options.nodeCount: expected an integer in 1..9, got 12'],
    [{ timeMs: -1 }, 'options.timeMs: expected an integer in 1..9007199254740991, got -1'],
    [{ seed: 'one' }, 'options.seed: expected an integer in -9007199254740991..9007199254740991, got "one"'],
    [{ bugs: ['nope'] }, 'options.bugs[0]: unknown name "nope"'],
    [{ nemesis: 'all' }, 'options.nemesis: expected an array of names'],
    [{ workload: { timeoutMs: 0 } }, 'options.workload.timeoutMs: expected an integer in 1..1000000, got 0'],
    [{ workload: { speed: 1 } }, 'options.workload.speed: unknown field'],
    [{ engine: 'raft' }, 'options.engine: expected one of etcd, hashicorp, got "raft"'],
    [{ engine: 'etcd' }, 'options.engine: a etcd host runs only in a durable trace (durable: true)'],
    [{ nemesisSpeedup: 0 }, 'options.nemesisSpeedup: expected an integer in 1..1000, got 0'],
    [{ driftPpmMax: 600000 }, 'options.driftPpmMax: expected an integer in 0..500000, got 600000'],
    [{ colour: 'red' }, 'options.colour: unknown field (known: seed, nodeCount'],
  ])('refuses %j: exit 2, names the field', async (options, message) => {
    const result = await replayWith(options);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toContain(`: refused: ${message}`);
    expect(result.err).toMatch(/^raftlab replay: \S+edited-\d+\.json: refused: options\./);
  });

  it('checks the plan with the scenario validator: steps past the time, unknown nodes, bad links', () => {
    const plan = trace.options.plan as Record<string, unknown> & { steps: Record<string, unknown>[] };
    const step = plan.steps[0];
    const error = (edit: Record<string, unknown>, options: Record<string, unknown> = {}) =>
      traceOptionsError({ ...trace.options, ...options, plan: { ...plan, ...edit } });
    expect(error({})).toBeNull();
    expect(error({}, { timeMs: 50 })).toBe('options.plan: steps[0].atMs: expected below timeMs 50, got 100');
    expect(error({ steps: [{ ...step, action: { kind: 'crash', node: 7 } }] })).toMatch(/^options\.plan: steps\[0\]\.node: expected an integer in 1\.\.3, got 7/);
    expect(error({ steps: [{ atMs: 1 }] })).toMatch(/^options\.plan: expected links .* and steps/);
    expect(error({ links: 3 })).toMatch(/^options\.plan: expected links/);
    expect(error({ faults: ['fire'] })).toMatch(/^options\.plan: faults\[0\]: unknown name "fire"/);
    expect(error({ source: 'hand' })).toBe('options.plan: source: expected one of seed, list, scenario, got "hand"');
  });
});
