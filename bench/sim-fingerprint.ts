// `npx tsx bench/sim-fingerprint.ts [OUT]`: the fingerprints of a fixed set of `raftlab run
// --json` runs, one line each (the arguments, the exit code, the transcript hash and a SHA-256 of
// the whole JSON report: options, counts, history, verdicts, liveness, violation). A speed change
// to the simulator must leave every line the same: run it before and after and diff the files.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { main } from '../src/cli/main';

const etcdTiming = ['--heartbeat-ticks', '10', '--election-ticks', '100'];
const range = (first: number, last: number): number[] =>
  Array.from({ length: last - first + 1 }, (_, i) => first + i);

const bugRuns = [
  '--nodes 3 --time 5000ms --nemesis partition,crash,pause,loss,latency --max-msg-size 0 --nemesis-speedup 5 --bug figure8',
  '--nodes 3 --time 5000ms --nemesis crash,partition,latency --nemesis-speedup 10 --bug vote-before-persist',
  '--nodes 3 --time 5000ms --nemesis partition,crash,loss --bug vote-no-uptodate-check',
  '--nodes 3 --time 5000ms --nemesis partition,crash,loss --bug no-truncate-conflict',
  '--nodes 3 --time 5000ms --nemesis partition,crash,loss --bug no-stepdown-higher-term',
  '--nodes 3 --time 5000ms --nemesis partition,clock,pause --reads lease --drift-max 200000 --nemesis-speedup 5 --client-timeout 200 --bug lease-no-clock-bound',
  '--nodes 3 --time 5000ms --nemesis partition,crash,loss --bug apply-before-commit',
];

function runs(): string[][] {
  const list: string[][] = [];
  const add = (seeds: number[], args: string[]): void => {
    for (const seed of seeds) list.push(['--seed', String(seed), ...args]);
  };
  add(range(1, 20), ['--nemesis', 'all']);
  add(range(1, 10), ['--nodes', '5', '--nemesis', 'all', ...etcdTiming]);
  add(range(1, 5), ['--nodes', '5', '--nemesis', 'all', '--time', '30s']);
  add(range(1, 5), ['--nemesis', 'all', '--reads', 'lease']);
  add(range(1, 5), ['--nemesis', 'all', '--reads', 'log']);
  add(range(1, 5), ['--nemesis', 'all', '--reads', 'lease', ...etcdTiming]);
  add(range(1, 5), ['--nemesis', 'none', '--nodes', '5', '--time', '20s']);
  add(range(21, 30), []);
  add(range(1, 3), ['--nodes', '7', '--nemesis', 'all', '--time', '20s', '--max-msg-size', '0']);
  add(range(1, 3), ['--durable', '--nemesis', 'all', '--time', '10s']);
  add(range(1, 3), ['--durable', '--nemesis', 'all', '--time', '10s', ...etcdTiming]);
  add(range(1, 3), ['--engine', 'hashicorp', '--nemesis', 'all', '--time', '10s']);
  // Each bug switch with the search options it had when these fingerprints were first taken
  // (written out, so that retuning a search does not change the list).
  for (const args of bugRuns) add(range(1, 12), args.split(' '));
  return list;
}

async function fingerprint(args: string[]): Promise<string> {
  let out = '';
  let err = '';
  const code = await main(['run', ...args, '--json'], {
    out: (text) => (out += text),
    err: (text) => (err += text),
  });
  if (err !== '') return `${args.join(' ')} -> exit ${code} error ${err.split('\n')[0]}`;
  const report = JSON.parse(out) as { simulation?: { transcriptHash?: string } };
  const digest = createHash('sha256').update(out).digest('hex').slice(0, 16);
  return `${args.join(' ')} -> exit ${code} transcript ${report.simulation?.transcriptHash} report ${digest}`;
}

const lines: string[] = [];
for (const args of runs()) {
  const line = await fingerprint(args);
  lines.push(line);
  console.log(line);
}
if (process.argv[2] !== undefined) writeFileSync(process.argv[2], lines.join('\n') + '\n');
