// The read mode a run prints and the note under it agree with what the run does.
import { describe, expect, it } from 'vitest';
import { main } from './main';

async function readLines(args: string[]): Promise<string[]> {
  let out = '';
  const code = await main(['run', '--time', '1s', '--nemesis', 'none', ...args], { out: (text) => (out += text), err: () => {} });
  expect(code).toBe(0);
  return out.split('\n').filter((line) => /^(reads | {2}reads: )/.test(line));
}

describe('raftlab run: reads', () => {
  it('a durable etcd run whose seed picked lease says it reads by index, and why', async () => {
    expect(await readLines(['--durable', '--seed', '4'])).toEqual([
      'reads index (the seed picked lease; durable nodes read by lease only with --reads lease)',
      "  reads: reads go to the leader's host: the etcd host serves them by ReadIndex",
    ]);
  }, 30_000);

  it('hashicorp with --reads lease: lease reads, the rest through the log; no contradiction', async () => {
    const lines = await readLines(['--engine', 'hashicorp', '--seed', '1', '--reads', 'lease']);
    expect(lines).toEqual([
      'reads lease (given)',
      '  reads: a leader answers from its applied state within a clock-bounded lease; other reads go to the ' +
        "leader's host (the hashicorp host has no ReadIndex, so it serves them through the log) and renew the lease when they complete",
    ]);
  }, 30_000);

  it('hashicorp with --reads index says its host serves them through the log', async () => {
    expect(await readLines(['--engine', 'hashicorp', '--seed', '1', '--reads', 'index'])).toEqual([
      'reads index (given)',
      "  reads: reads go to the leader's host: the hashicorp host has no ReadIndex, so it serves them through the log",
    ]);
  }, 30_000);

  it('an in-memory run prints the mode alone', async () => {
    expect(await readLines(['--seed', '3', '--reads', 'log'])).toEqual(['reads log (given)']);
  });
});
