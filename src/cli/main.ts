// The `raftlab` command line. Each subcommand lives in its own module and returns an exit code.

export interface CommandOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

const usage = `raftlab — a Raft simulator and visualizer with an etcd/raft-faithful engine

Usage:
  raftlab <command> [options]

Commands:
  datadriven [--suite interaction|quorum|confchange] [--ignore-log-lines] [--rewrite] PATH...
      Run etcd-style datadriven scenario files (a folder means its *.txt files) and print
      PASS/FAIL per file and a closing "N passed, M failed" line. Exit 0 only when all pass.
  check-history --model register|kv [--time-limit SECONDS] [--failed-cas mismatch|did-not-happen] FILE...
      Check Jepsen histories (etcd text logs or EDN lines) for linearizability; one line per
      file: "linearizable", "not linearizable (<operation>)" or "unknown (<why>)". Exit 0 all
      linearizable, 1 any not, 3 any unknown (and none not), 2 unreadable input. Default time
      limit 60 s per file.
  peers decode FILE
      Print an etcd-raft-peers.bin as {"index": "N", "peers": [...]}; a malformed file prints
      what is wrong and at which byte offset, exit 1.
  peers encode --index N --peer id=address [--peer id=address ...] --out FILE
      Write an etcd-raft-peers.bin (atomically).
  datadir check --engine etcd|hashicorp DIR
      Run elastickv's engine-switch safety check on DIR; exit 0 with the marker written, or 1.
  datadir inspect DIR
      List a node's data dir with what each file holds (WAL, snapshots, peers, marker).
  run --seed N [--nodes 3..9] [--time 60s] [--nemesis LIST|all|none] [--reads index|lease|log]
      [--bug NAME|list] [--max-msg-size B] [--drift-max PPM] [--nemesis-speedup N]
      [--client-timeout MS] [--scenario FILE] [--trace FILE] [--json] [--durable [--workers]]
      One deterministic simulator run with faults and a KV workload: prints every parameter,
      operation outcomes, leader changes, invariant, liveness and linearizability results and
      the transcript's SHA-256. Exit 1 on any violation. --durable: each node is the etcd host
      on its own disk, with disk faults (lost-writes, torn-writes, corrupt-reads, disk-full);
      --workers: one worker_thread per node (same transcript as in-process).
  sweep --seeds A..B [--jobs N] [--shard i/n] [run options...]
      Run many seeds in parallel on worker threads; ends with each failing seed and the
      command that replays it. --shard i/n takes every n-th seed. Exit 1 if any seed fails.
  replay TRACE
      Re-run a trace written by run --trace and check the transcript hash; exit 0 same, 1 not.
  shrink --seed N [run options...] [--bug NAME --bug-search] [--out FILE] [--progress]
      Reduce a failing run (fewer faults, operations, nodes, less time) while it fails the same
      way, or find a new small one that does; writes the smallest failing scenario, which
      run --scenario FILE replays. --bug-search takes the options of that bug's sweep.
  migrate --fsm-store DIR --dest DIR --peers id=host:port,...
      elastickv's offline migrator: seed an etcd data dir (WAL + snap at index 1, the peers file)
      from a hashicorp node's fsm.db; prints "migrated snapshot_bytes=N peers=M".
  migrate-cluster --nodes id=host,... --peers id=host:port,... [--yes] [--bug NAME] [--rollback]
      The migration orchestrator end to end on a simulated cluster (hashicorp with data -> etcd),
      one line per step; bugs: orchestrator-member-dir, no-peers-file. Exit 1 on any failure.
  help
      Print this text.
`;

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

export async function main(args: string[], io: CommandOutput = defaultOutput()): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(usage);
    return 0;
  }
  const load = commands[name];
  if (load === undefined) {
    io.err(`raftlab: unknown command "${name}"; run "raftlab --help" for the list\n`);
    return 2;
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
