// `raftlab datadir check --engine etcd|hashicorp DIR` runs elastickv's engine-switch safety check
// on a real directory (exit 0 with the marker written, or exit 1 with elastickv's error text).
// `raftlab datadir inspect DIR` lists a node's data dir and what each file holds.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ensureRaftEngineDataDir } from '../storage/datadir/engine-check';
import { raftEngineTypes, type RaftEngineType } from '../storage/datadir/engine-marker';
import { NodeFsBackend } from '../storage/fs/node-fs-backend';
import { describeDataDir } from '../storage/datadir/inspect';
import type { CommandOutput } from './main';

const usage = `usage: raftlab datadir check --engine etcd|hashicorp DIR
       raftlab datadir inspect DIR
`;

export async function runDatadirCommand(args: string[], io: CommandOutput): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'check') return checkCommand(rest, io);
  if (sub === 'inspect' && rest.length === 1) return inspectCommand(rest[0], io);
  io.err(usage);
  return 2;
}

async function checkCommand(args: string[], io: CommandOutput): Promise<number> {
  let engine: RaftEngineType | null = null;
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--engine') {
      const value = args[++i];
      if (!raftEngineTypes.includes(value as RaftEngineType)) {
        io.err(`raftlab datadir check: --engine must be etcd or hashicorp, got "${value ?? ''}"\n${usage}`);
        return 2;
      }
      engine = value as RaftEngineType;
    } else {
      dirs.push(args[i]);
    }
  }
  if (engine === null || dirs.length !== 1) {
    io.err(usage);
    return 2;
  }
  const dir = dirs[0];
  // Step 1 of the check: create the dir (MkdirAll); the check then runs inside it.
  await mkdir(resolve(dir), { recursive: true });
  const result = await ensureRaftEngineDataDir(new NodeFsBackend(resolve(dir)), '', engine, {
    displayDir: dir,
    tempId: process.pid,
  });
  if (!result.ok) {
    io.err(`${result.error.message}\n`);
    return 1;
  }
  const how = result.value.markerWritten ? 'marker written' : 'marker already present';
  io.out(`${dir}: ok for the ${engine} engine (${how})\n`);
  return 0;
}

async function inspectCommand(dir: string, io: CommandOutput): Promise<number> {
  const fs = new NodeFsBackend(resolve(dir));
  if (!(await fs.exists(''))) {
    io.err(`raftlab datadir inspect: ${dir} does not exist\n`);
    return 1;
  }
  for (const line of await describeDataDir(fs, '')) io.out(`${line}\n`);
  return 0;
}
