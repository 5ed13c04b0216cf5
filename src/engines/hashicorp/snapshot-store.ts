// The file snapshot store in `snapshots/` (hashicorp/raft's FileSnapshotStore): one folder per
// snapshot, named `<term>-<index>-<seq>`, holding `meta.json` and `state.bin`. A snapshot is
// written into `<name>.tmp/`, both files fsynced, the folder fsynced, then renamed into place and
// `snapshots/` fsynced: a crash leaves the whole snapshot or only a `.tmp` folder, removed at the
// next open. After each save only the newest `retain` snapshots are kept (hashicorp's retain).
//
// meta.json holds hashicorp's fields: Version (1), ID, Index, Term, Configuration
// ({"Servers": [{"Suffrage": "Voter", "ID": "1", "Address": "..."}]}), ConfigurationIndex, Size,
// and CRC (CRC-32C of state.bin). It is read only up to snapshotMetaBytesMax bytes, every field
// checked; state.bin must have Size bytes and the CRC. Snapshots that fail are reported and skipped.
import { crc32c } from '../../storage/codec/crc32c';
import { encodeUtf8 } from '../../storage/codec/utf8';
import { ensureDirDurable } from '../../storage/fs/atomic-write';
import type { FileSystem } from '../../storage/fs/file-system';
import { joinPath } from '../../storage/fs/path';
import { failure, success, type Result } from '../../storage/result';
import { configurationServersMax, serverAddressBytesMax } from './configuration';
import { Suffrage, suffrageNames, type Configuration, type Server, type SnapshotMeta } from './types';

export const snapshotMetaFile = 'meta.json';
export const snapshotStateFile = 'state.bin';
export const snapshotMetaBytesMax = 256 * 1024;
export const snapshotStateBytesMax = 256 * 1024 * 1024;
export const snapshotsRetainedDefault = 2;
const tmpSuffix = '.tmp';
const namePattern = /^([0-9]{1,16})-([0-9]{1,16})-([0-9]{1,16})$/;

export interface StoredSnapshot {
  id: string;
  meta: SnapshotMeta;
  data: Uint8Array;
}

interface SnapshotName {
  id: string;
  term: number;
  index: number;
  seq: number;
}

export function parseSnapshotName(name: string): SnapshotName | null {
  const match = namePattern.exec(name);
  if (match === null) return null;
  const [term, index, seq] = [match[1], match[2], match[3]].map(Number);
  if (![term, index, seq].every(Number.isSafeInteger)) return null;
  return { id: name, term, index, seq };
}

export function encodeSnapshotMeta(id: string, meta: SnapshotMeta, crc: number): Uint8Array {
  const servers = meta.configuration.servers.map((server) => ({
    Suffrage: suffrageNames[server.suffrage],
    ID: String(server.id),
    Address: server.address,
  }));
  const json = {
    Version: 1,
    ID: id,
    Index: meta.index,
    Term: meta.term,
    Configuration: { Servers: servers },
    ConfigurationIndex: meta.configurationIndex,
    Size: meta.size,
    CRC: crc,
  };
  return encodeUtf8(`${JSON.stringify(json, null, 2)}\n`);
}

/** Decodes meta.json, checking every field; returns the metadata, its ID and the state's CRC. */
export function decodeSnapshotMeta(bytes: Uint8Array): Result<{ id: string; meta: SnapshotMeta; crc: number }, string> {
  if (bytes.length > snapshotMetaBytesMax) return failure(`meta.json of ${bytes.length} bytes exceeds ${snapshotMetaBytesMax}`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return failure('meta.json is not valid UTF-8 JSON');
  }
  if (!isRecord(value)) return failure('meta.json is not an object');
  if (value.Version !== 1) return failure(`unsupported snapshot version ${JSON.stringify(value.Version)}`);
  if (typeof value.ID !== 'string' || parseSnapshotName(value.ID) === null) return failure('meta.json ID is not <term>-<index>-<seq>');
  const numbers: Record<string, number> = {};
  for (const field of ['Index', 'Term', 'ConfigurationIndex', 'Size', 'CRC']) {
    const number = value[field];
    if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) return failure(`meta.json ${field} is not a non-negative integer`);
    numbers[field] = number;
  }
  if (numbers.CRC > 0xffffffff) return failure('meta.json CRC is not a 32-bit value');
  if (numbers.Size > snapshotStateBytesMax) return failure(`meta.json Size ${numbers.Size} exceeds ${snapshotStateBytesMax}`);
  const configuration = decodeMetaConfiguration(value.Configuration);
  if (!configuration.ok) return configuration;
  const meta: SnapshotMeta = {
    index: numbers.Index,
    term: numbers.Term,
    configuration: configuration.value,
    configurationIndex: numbers.ConfigurationIndex,
    size: numbers.Size,
  };
  return success({ id: value.ID, meta, crc: numbers.CRC });
}

function decodeMetaConfiguration(value: unknown): Result<Configuration, string> {
  if (!isRecord(value) || !Array.isArray(value.Servers)) return failure('meta.json Configuration.Servers is not a list');
  if (value.Servers.length > configurationServersMax) return failure(`meta.json lists more than ${configurationServersMax} servers`);
  const servers: Server[] = [];
  for (const server of value.Servers as unknown[]) {
    if (!isRecord(server)) return failure('meta.json server is not an object');
    const suffrage = (Object.keys(suffrageNames) as unknown as Suffrage[]).find((key) => suffrageNames[key] === server.Suffrage);
    if (suffrage === undefined) return failure(`meta.json server suffrage ${JSON.stringify(server.Suffrage)} is unknown`);
    const id = typeof server.ID === 'string' && /^[1-9][0-9]{0,15}$/.test(server.ID) ? Number(server.ID) : NaN;
    if (!Number.isSafeInteger(id)) return failure('meta.json server ID is not a positive decimal id');
    if (typeof server.Address !== 'string' || encodeUtf8(server.Address).length > serverAddressBytesMax) return failure('meta.json server Address is not a string of at most 1 KiB');
    servers.push({ suffrage: Number(suffrage) as Suffrage, id, address: server.Address });
  }
  return success({ servers });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class SnapshotStore {
  private constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
    private readonly retain: number,
    private nextSeq: number,
  ) {}

  /** Opens the folder: removes unfinished `.tmp` folders, finds the newest valid snapshot. */
  static async open(
    fs: FileSystem,
    dir: string,
    retain = snapshotsRetainedDefault,
  ): Promise<{ store: SnapshotStore; newest: StoredSnapshot | null; warnings: string[] }> {
    if (!(Number.isSafeInteger(retain) && retain >= 1)) throw new RangeError(`retain must be at least 1, got ${retain}`);
    await ensureDirDurable(fs, dir);
    const warnings: string[] = [];
    let removed = false;
    for (const name of await fs.list(dir)) {
      if (!name.endsWith(tmpSuffix)) continue;
      await fs.remove(joinPath(dir, name), { recursive: true });
      warnings.push(`${joinPath(dir, name)}: removed an unfinished snapshot`);
      removed = true;
    }
    if (removed) await fs.fsyncDir(dir);
    const names = await listNames(fs, dir);
    const store = new SnapshotStore(fs, dir, retain, names.reduce((max, name) => Math.max(max, name.seq), 0) + 1);
    let newest: StoredSnapshot | null = null;
    for (const name of names) {
      const loaded = await store.read(name.id);
      if (loaded.ok) {
        newest = loaded.value;
        break;
      }
      warnings.push(`${joinPath(dir, name.id)}: skipped: ${loaded.error}`);
    }
    return { store, newest, warnings };
  }

  /** Snapshot names, newest first (by term, then index, then sequence, as hashicorp sorts). */
  async list(): Promise<string[]> {
    return (await listNames(this.fs, this.dir)).map((name) => name.id);
  }

  /** Reads and verifies one snapshot. */
  async read(id: string): Promise<Result<StoredSnapshot, string>> {
    const folder = joinPath(this.dir, id);
    const metaPath = joinPath(folder, snapshotMetaFile);
    const statePath = joinPath(folder, snapshotStateFile);
    if (!(await this.fs.exists(metaPath)) || !(await this.fs.exists(statePath))) return failure('meta.json or state.bin is missing');
    if ((await this.fs.stat(metaPath)).size > snapshotMetaBytesMax) return failure(`meta.json exceeds ${snapshotMetaBytesMax} bytes`);
    const decoded = decodeSnapshotMeta(await this.fs.readFile(metaPath));
    if (!decoded.ok) return decoded;
    const { meta, crc } = decoded.value;
    const name = parseSnapshotName(id);
    if (decoded.value.id !== id || name === null || name.index !== meta.index || name.term !== meta.term) return failure('meta.json does not match its folder name');
    if ((await this.fs.stat(statePath)).size !== meta.size) return failure(`state.bin is not ${meta.size} bytes`);
    const data = await this.fs.readFile(statePath);
    if (crc32c(data) !== crc) return failure('state.bin checksum mismatch');
    return success({ id, meta, data });
  }

  /** Saves a snapshot atomically and reaps the oldest beyond `retain`; returns its id. */
  async create(meta: SnapshotMeta, data: Uint8Array): Promise<string> {
    if (meta.size !== data.length) throw new Error(`snapshot size ${meta.size} is not its ${data.length} bytes`);
    const id = `${meta.term}-${meta.index}-${this.nextSeq++}`;
    const temp = joinPath(this.dir, `${id}${tmpSuffix}`);
    const metaBytes = encodeSnapshotMeta(id, meta, crc32c(data));
    const check = decodeSnapshotMeta(metaBytes);
    if (!check.ok || check.value.meta.index !== meta.index) throw new Error(`snapshot ${id} metadata does not round-trip`);
    await this.fs.mkdir(temp);
    await this.fs.writeFile(joinPath(temp, snapshotStateFile), data);
    await this.fs.fsync(joinPath(temp, snapshotStateFile));
    await this.fs.writeFile(joinPath(temp, snapshotMetaFile), metaBytes);
    await this.fs.fsync(joinPath(temp, snapshotMetaFile));
    await this.fs.fsyncDir(temp);
    await this.fs.rename(temp, joinPath(this.dir, id));
    await this.fs.fsyncDir(this.dir);
    await this.reap();
    return id;
  }

  private async reap(): Promise<void> {
    const names = await this.list();
    if (names.length <= this.retain) return;
    for (const id of names.slice(this.retain)) await this.fs.remove(joinPath(this.dir, id), { recursive: true });
    await this.fs.fsyncDir(this.dir);
  }
}

async function listNames(fs: FileSystem, dir: string): Promise<SnapshotName[]> {
  const names: SnapshotName[] = [];
  for (const entry of await fs.list(dir)) {
    const name = parseSnapshotName(entry);
    if (name !== null && (await fs.stat(joinPath(dir, entry))).kind === 'dir') names.push(name);
  }
  return names.sort((a, b) => b.term - a.term || b.index - a.index || b.seq - a.seq);
}
