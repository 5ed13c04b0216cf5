// `raftlab migrate --fsm-store DIR --dest DIR --peers id=host:port,...`: the offline migrator on
// the real file system. `raftlab migrate-cluster --nodes ... --peers ... [--yes] [--bug NAME]
// [--rollback] [--seed N] [--timestamp T]`: the orchestrator end to end on a simulated cluster
// (a hashicorp cluster takes writes, is migrated, and the etcd cluster serves them), one line
// per step.
import { resolve, sep } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { NodeFsBackend } from '../storage/fs/node-fs-backend';
import { parseNodes } from '../engines/migration/arguments';
import { isMigrateInputError, migrate } from '../engines/migration/migrator';
import { describeMigrationEvent, runMigration, runRollback } from '../engines/migration/orchestrator';
import { hashicorpClusterWithData, verifyWrites } from '../engines/migration/scenario';
import { migrationBugs, type MigrationBug } from '../engines/migration/sim-cluster';
import type { CommandOutput } from './main';

export const migrateUsage = 'usage: raftlab migrate --fsm-store DIR --dest DIR --peers id=host:port,...\n';
export const clusterUsage = 'usage: raftlab migrate-cluster --nodes id=host,... --peers id=host:port,... [--yes] [--bug NAME] [--rollback] [--seed N] [--timestamp YYYYMMDDTHHMMSSZ]\n';

function parseFlags(args: string[], booleans: string[]): Map<string, string[]> | string {
  const flags = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const name = args[i];
    if (!name.startsWith('--')) return `unexpected argument "${name}"`;
    const value = booleans.includes(name) ? 'true' : args[++i];
    if (value === undefined) return `${name} needs a value`;
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return flags;
}

export async function runMigrateCommand(args: string[], io: CommandOutput): Promise<number> {
  const flags = parseFlags(args, []);
  if (typeof flags === 'string') {
    io.err(`raftlab migrate: ${flags}\n${migrateUsage}`);
    return 2;
  }
  for (const name of flags.keys()) {
    if (!['--fsm-store', '--dest', '--peers'].includes(name)) {
      io.err(`raftlab migrate: unknown flag ${name}\n${migrateUsage}`);
      return 2;
    }
  }
  // The real file system as one FileSystem rooted at '/': node paths are absolute paths without
  // the leading separator.
  const toNode = (path: string | undefined) => (path === undefined ? undefined : resolve(path).split(sep).filter((part) => part !== '').join('/'));
  const fs = new NodeFsBackend(sep);
  const result = await migrate(
    fs,
    { fsmStore: toNode(flags.get('--fsm-store')?.[0]), dest: toNode(flags.get('--dest')?.[0]), peers: flags.get('--peers')?.[0] },
    { display: (path) => `${sep}${path.split('/').join(sep)}` },
  );
  if (!result.ok) {
    io.err(`raftlab migrate: ${result.error}\n`);
    return isMigrateInputError(result.error) ? 2 : 1;
  }
  io.out(`${result.value.line}\n`);
  return 0;
}

export async function runMigrateClusterCommand(args: string[], io: CommandOutput): Promise<number> {
  const flags = parseFlags(args, ['--yes', '--rollback']);
  if (typeof flags === 'string') {
    io.err(`raftlab migrate-cluster: ${flags}\n${clusterUsage}`);
    return 2;
  }
  const nodesText = flags.get('--nodes')?.[0];
  const peersText = flags.get('--peers')?.[0];
  if (nodesText === undefined || peersText === undefined) {
    io.err(`raftlab migrate-cluster: --nodes and --peers are required\n${clusterUsage}`);
    return 2;
  }
  const bugs = flags.get('--bug') ?? [];
  const unknown = bugs.find((bug) => !migrationBugs.includes(bug as MigrationBug));
  if (unknown !== undefined) {
    io.err(`raftlab migrate-cluster: unknown bug "${unknown}"; known: ${migrationBugs.join(', ')}\n`);
    return 2;
  }
  const seed = parseSeed(flags.get('--seed')?.[0]);
  if (typeof seed === 'string') {
    io.err(`raftlab migrate-cluster: ${seed}\n${clusterUsage}`);
    return 2;
  }
  const timestamp = flags.get('--timestamp')?.[0] ?? utcTimestamp();
  const nodes = parseNodes(nodesText);
  if (!nodes.ok) {
    io.err(`raftlab migrate-cluster: NODES: ${nodes.error}\n`);
    return 1;
  }
  const { cluster, written } = await hashicorpClusterWithData({ nodes: nodes.value, seed, keys: 5, bugs: bugs as MigrationBug[] });
  io.out(`hashicorp cluster of ${nodes.value.length} nodes acknowledged ${written.length} writes\n`);
  const onEvent = (event: Parameters<typeof describeMigrationEvent>[0]) => io.out(`${describeMigrationEvent(event)}\n`);
  const outcome = await runMigration(cluster, {
    nodes: nodesText,
    peers: peersText,
    yes: flags.has('--yes'),
    confirm: askOnStdin,
    timestamp,
    bugs: bugs as MigrationBug[],
    onEvent,
  });
  if (outcome.error === 'aborted') io.out('aborted\n');
  if (outcome.exitCode !== 0) {
    io.err(`raftlab migrate-cluster: ${outcome.error}\n`);
    if (!flags.has('--rollback')) return 1;
    const rolledBack = await runRollback(cluster, { nodes: nodesText, timestamp, acknowledged: written, onEvent });
    io.out(rolledBack.exitCode === 0 ? `rolled back to hashicorp: the ${written.length} writes acknowledged before the migration read back\n` : `rollback failed: ${rolledBack.error}\n`);
    return 1;
  }
  const verified = await verifyWrites(cluster, nodes.value, written);
  if (!verified.ok) {
    io.err(`raftlab migrate-cluster: a write acknowledged before the migration is lost: ${verified.error}\n`);
    return 1;
  }
  io.out(`migrated: every one of the ${written.length} writes acknowledged on hashicorp read on every etcd node\n`);
  return 0;
}

/**
 * Asks on the terminal. End of input (stdin closed or </dev/null) answers '' (no), so the
 * orchestrator aborts with its message instead of Node exiting on a promise that never settles.
 */
export async function askOnStdin(prompt: string, input: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const reader = createInterface({ input, output: process.stdout });
  const closed = new Promise<string>((resolve) =>
    reader.once('close', () => {
      process.stdout.write('\n');
      resolve('');
    }),
  );
  try {
    return await Promise.race([reader.question(prompt), closed]);
  } finally {
    reader.close();
  }
}

/** `--seed`: a non-negative integer (the simulated cluster's seed). */
function parseSeed(text: string | undefined): number | string {
  if (text === undefined) return 1;
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(Number(text))) return `--seed must be a non-negative integer, got "${text}"`;
  return Number(text);
}

function utcTimestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\.[0-9]+Z$/, 'Z');
}
