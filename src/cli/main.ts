// The `raftlab` command line. Each subcommand lives in its own module and returns an exit code.

export interface CommandOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

const intro = `raftlab — a Raft simulator and visualizer with an etcd/raft-faithful engine

Usage:
  raftlab <command> [options]
  raftlab <command> --help    (or -h) prints that command's usage

Commands:
`;

/** What each command does; its options come from the command's own usage text. */
const descriptions: Record<string, string> = {
  datadriven:
    'Run etcd-style datadriven scenario files (a folder means its *.txt files) and print\n' +
    'PASS/FAIL per file and a closing "N passed, M failed" line. Exit 0 only when all pass.',
  'check-history':
    'Check Jepsen histories (etcd text logs or EDN lines) for linearizability; one line per\n' +
    'file: "linearizable", "not linearizable (<operation>)" or "unknown (<why>)". Exit 0 all\n' +
    'linearizable, 1 any not, 3 any unknown (and none not), 2 unreadable input. Default time\n' +
    'limit 60 s per file.',
  peers:
    'Print an etcd-raft-peers.bin as {"index": "N", "peers": [...]} (a malformed file prints\n' +
    'what is wrong and at which byte offset, exit 1), or write one atomically.',
  datadir:
    "check: run elastickv's engine-switch safety check on DIR and read its files (exit 0 with\n" +
    'the marker written; 1 when the check refuses the dir or a file is corrupt; 2 when DIR is\n' +
    'missing, without --create, or not a folder); inspect: list a node\'s data dir (either\n' +
    "engine's layout) with what each file holds, exit 1 when a file is corrupt.",
  run:
    'One deterministic simulator run with faults and a KV workload: prints every parameter,\n' +
    'operation outcomes, leader changes, invariant, liveness and linearizability results and\n' +
    "the transcript's SHA-256. Exit 1 on any violation, 2 on a usage error.",
  sweep:
    'Run many seeds in parallel on worker threads; ends with each failing seed and the\n' +
    'command that replays it. Exit 1 if any seed fails. Takes the run options but --seed,\n' +
    '--trace, --json, --scenario and --workers.',
  replay:
    'Re-run a trace written by run --trace and check the transcript hash; exit 0 same, 1 not.',
  shrink:
    'Reduce a failing in-memory run (fewer faults, operations, nodes, less time) while it fails\n' +
    'the same way, or find a new small one that does; writes the smallest failing scenario,\n' +
    'which run --scenario FILE replays. Takes the run options but --trace, --json, --scenario,\n' +
    '--durable, --workers and --engine.',
  migrate:
    "elastickv's offline migrator: seed an etcd data dir (WAL + snap at index 1, the peers file)\n" +
    'from a hashicorp node\'s fsm.db; prints "migrated snapshot_bytes=N peers=M".',
  'migrate-cluster':
    'The migration orchestrator end to end on a simulated cluster (hashicorp with data -> etcd),\n' +
    'one line per step. Exit 1 on any failure.',
};

type Command = (args: string[], io: CommandOutput) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  datadriven: async () => (await import('./datadriven-command')).runDatadrivenCommand,
  run: async () => (await import('./run-command')).runRunCommand,
  peers: async () => (await import('./peers-command')).runPeersCommand,
  datadir: async () => (await import('./datadir-command')).runDatadirCommand,
  'check-history': async () => (await import('./check-history-command')).runCheckHistoryCommand,
  sweep: async () => (await import('./sweep-command')).runSweepCommand,
  replay: async () => (await import('./replay-command')).runReplayCommand,
  shrink: async () => (await import('./shrink-command')).runShrinkCommand,
  migrate: async () => (await import('./migrate-command')).runMigrateCommand,
  'migrate-cluster': async () => (await import('./migrate-command')).runMigrateClusterCommand,
};

/** Each command's usage text, from the command's own module so the help cannot drift. */
const usages: Record<string, () => Promise<string>> = {
  datadriven: async () => (await import('./datadriven-command')).usage,
  run: async () => (await import('./run-command')).usage,
  peers: async () => (await import('./peers-command')).usage,
  'check-history': async () => (await import('./check-history-command')).usage,
  sweep: async () => (await import('./sweep-command')).usage,
  replay: async () => (await import('./replay-command')).usage,
  shrink: async () => (await import('./shrink-command')).usage,
  datadir: async () => (await import('./datadir-command')).usage,
  migrate: async () => (await import('./migrate-command')).migrateUsage,
  'migrate-cluster': async () => (await import('./migrate-command')).clusterUsage,
};

/** The usage text of one command, or undefined for an unknown name. */
export async function commandUsage(name: string): Promise<string | undefined> {
  const usage = usages[name];
  return usage === undefined ? undefined : usage();
}

/** The top-level help: each command's own usage text, then what the command does. */
export async function topLevelUsage(): Promise<string> {
  const sections: string[] = [];
  for (const name of Object.keys(commands)) {
    const usage = (await commandUsage(name)) ?? '';
    const lines = usage
      .trimEnd()
      .split('\n')
      .map((line) => `  ${indentLine(line)}`);
    const described = descriptions[name].split('\n').map((line) => `      ${line}`);
    sections.push([...lines, ...described].join('\n'));
  }
  return `${intro}${sections.join('\n')}\n  help\n      Print this text.\n`;
}

/** A usage line under the top-level help's indent: "usage: " dropped, its alignment kept. */
function indentLine(line: string): string {
  if (line.startsWith('usage: ')) return line.slice('usage: '.length);
  const leading = /^ */.exec(line)![0].length;
  return leading >= 7 ? line.slice(7) : `  ${line.trimStart()}`;
}

const helpFlags = ['--help', '-h'];

export async function main(args: string[], io: CommandOutput = defaultOutput()): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === 'help' || helpFlags.includes(name)) {
    io.out(await topLevelUsage());
    return 0;
  }
  const load = commands[name];
  if (load === undefined) {
    io.err(`raftlab: unknown command "${name}"; run "raftlab --help" for the list\n`);
    return 2;
  }
  if (rest.some((arg) => helpFlags.includes(arg))) {
    io.out((await commandUsage(name)) ?? '');
    return 0;
  }
  const command = await load();
  return command(rest, io);
}

function defaultOutput(): CommandOutput {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
}
