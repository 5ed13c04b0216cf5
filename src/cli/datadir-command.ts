// `raftlab datadir check --engine etcd|hashicorp [--create] DIR` runs elastickv's engine-switch
// safety check on a real directory, and what the engine itself refuses when it opens the dir
// (hashicorp: legacy boltdb files; etcd: a corrupt WAL, snapshot or peers file). Exit 0 with the
// marker written, 1 with the refusal, 2 for bad input (no such dir without --create, a path that
// is not a folder).
// `raftlab datadir inspect DIR` lists a node's data dir and what each file holds (either engine's
// layout); it exits 1 when a file is corrupt.
import { mkdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkLegacyBoltdbStorage, ensureRaftEngineDataDir } from '../storage/datadir/engine-check';
import { raftEngineMarkerFile, raftEngineTypes, type RaftEngineType } from '../storage/datadir/engine-marker';
import { describeFsError, explainFsErrorCode } from '../storage/datadir/fs-error-text';
import { FsError } from '../storage/fs/file-system';
import { NodeFsBackend } from '../storage/fs/node-fs-backend';
import { inspectDataDir } from '../storage/datadir/inspect';
import { describeHashicorpFile } from '../engines/hashicorp/data-dir-inspect';
import type { CommandOutput } from './main';

export const usage = `usage: raftlab datadir check --engine etcd|hashicorp [--create] DIR
       raftlab datadir inspect DIR
`;

export async function runDatadirCommand(args: string[], io: CommandOutput): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (sub === 'check') return await checkCommand(rest, io);
    if (sub === 'inspect' && rest.length === 1) return await inspectCommand(rest[0], io);
  } catch (error) {
    if (!(error instanceof FsError)) throw error;
    io.err(`raftlab datadir ${sub}: ${describeFsError(error, (path) => (path === '' ? rest[rest.length - 1] : path))}\n`);
    return 2;
  }
  io.err(usage);
  return 2;
}

type PathKind = 'missing' | 'file' | 'dir';

/** What is at `dir` on the real file system, or a message saying why it cannot be told. */
async function pathKind(dir: string): Promise<PathKind | string> {
  try {
    return (await stat(resolve(dir))).isDirectory() ? 'dir' : 'file';
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    if (code === 'ENOENT') return 'missing';
    if (code === 'ENOTDIR') return `${dir}: ${explainFsErrorCode(code)}`;
    return `${dir}: cannot be read (${error instanceof Error ? error.message : String(error)})`;
  }
}

interface CheckArgs {
  engine: RaftEngineType;
  dir: string;
  create: boolean;
}

function parseCheckArgs(args: string[]): CheckArgs | string {
  let engine: RaftEngineType | null = null;
  let create = false;
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--engine') {
      const value = args[++i];
      if (!raftEngineTypes.includes(value as RaftEngineType)) return `--engine must be etcd or hashicorp, got "${value ?? ''}"`;
      engine = value as RaftEngineType;
    } else if (args[i] === '--create') {
      create = true;
    } else {
      dirs.push(args[i]);
    }
  }
  if (engine === null) return '--engine is required';
  if (dirs.length !== 1) return 'exactly one DIR is required';
  return { engine, dir: dirs[0], create };
}

async function checkCommand(args: string[], io: CommandOutput): Promise<number> {
  const parsed = parseCheckArgs(args);
  if (typeof parsed === 'string') {
    io.err(`raftlab datadir check: ${parsed}\n${usage}`);
    return 2;
  }
  const { engine, dir, create } = parsed;
  const kind = await pathKind(dir);
  if (kind === 'file' || (kind === 'missing' && !create) || (kind !== 'dir' && kind !== 'missing')) {
    const why =
      kind === 'file'
        ? `${dir} is a file, not a data dir`
        : kind === 'missing'
          ? `${dir} does not exist (pass --create to create it as a fresh node's data dir, as elastickv's check does at startup)`
          : kind;
    io.err(`raftlab datadir check: ${why}\n`);
    return 2;
  }
  if (kind === 'missing') {
    // Step 1 of elastickv's check: create the dir (MkdirAll); the check then runs inside it.
    await mkdir(resolve(dir), { recursive: true });
    io.out(`${dir}: created (a fresh node's data dir)\n`);
  }
  return checkExistingDir(dir, engine, io);
}

async function checkExistingDir(dir: string, engine: RaftEngineType, io: CommandOutput): Promise<number> {
  const fs = new NodeFsBackend(resolve(dir));
  // What the engine refuses when it opens the dir, checked first so a refused dir is left as it
  // was (no marker written).
  const refusal = engine === 'hashicorp' ? await hashicorpRefusal(fs, dir) : await etcdRefusal(fs, dir);
  if (refusal !== null) {
    io.err(`${refusal}\n`);
    return 1;
  }
  const result = await ensureRaftEngineDataDir(fs, '', engine, { displayDir: dir, tempId: process.pid });
  if (!result.ok) {
    io.err(`${result.error.message}\n`);
    return 1;
  }
  const how = result.value.markerWritten ? 'marker written' : 'marker already present';
  io.out(`${dir}: ok for the ${engine} engine (${how})\n`);
  return 0;
}

async function hashicorpRefusal(fs: NodeFsBackend, dir: string): Promise<string | null> {
  const legacy = await checkLegacyBoltdbStorage(fs, '', dir);
  if (!legacy.ok) return legacy.error.message;
  // A damaged log store, stable store or snapshot, read with the engine's own decoders.
  return corruptFiles(fs, dir, [describeHashicorpFile]);
}

async function etcdRefusal(fs: NodeFsBackend, dir: string): Promise<string | null> {
  return corruptFiles(fs, dir, []);
}

/** The problems `datadir inspect` would report in the dir, one line each, or null for none. */
async function corruptFiles(
  fs: NodeFsBackend,
  dir: string,
  describers: NonNullable<Parameters<typeof inspectDataDir>[2]>['describers'],
): Promise<string | null> {
  const { problems } = await inspectDataDir(fs, '', { describers });
  // The marker is the engine-switch check's to judge, with elastickv's own messages.
  const damaged = problems.filter((problem) => !problem.startsWith(`${raftEngineMarkerFile}:`));
  if (damaged.length === 0) return null;
  return damaged.map((problem) => `${dir}/${problem}`).join('\n');
}

async function inspectCommand(dir: string, io: CommandOutput): Promise<number> {
  const kind = await pathKind(dir);
  if (kind !== 'dir') {
    const why = kind === 'missing' ? `${dir} does not exist` : kind === 'file' ? `${dir} is a file, not a data dir` : kind;
    io.err(`raftlab datadir inspect: ${why}\n`);
    return 2;
  }
  const { lines, problems } = await inspectDataDir(new NodeFsBackend(resolve(dir)), '', { describers: [describeHashicorpFile] });
  for (const line of lines) io.out(`${line}\n`);
  if (problems.length === 0) return 0;
  for (const problem of problems) io.err(`raftlab datadir inspect: ${dir}/${problem}\n`);
  return 1;
}
