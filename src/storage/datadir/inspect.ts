// A readable listing of a node's data dir for `raftlab datadir inspect`: every file with what it
// holds, read without changing anything (no truncation, no cleanup). A file that does not decode
// (a corrupt WAL segment, snapshot or peers file) is also reported as a problem naming the file
// and the byte offset, so `datadir inspect` and `datadir check --engine etcd` can fail on it.
// The etcd engine's files are decoded here; other layouts (the HashiCorp engine's raft.db/,
// snapshots/, fsm.db/) come in through `describers`, since storage does not import engines.
import { readFileIfExists, type FileSystem } from '../fs/file-system';
import { joinPath, parentPath } from '../fs/path';
import { isTempFileName } from '../fs/atomic-write';
import { decodeSnapFile, parseSnapFileName } from '../snap/snap-file';
import { decodePeersFile, peersFileName } from '../peers/peers-file';
import { parseSegment, parseSegmentName } from '../wal/wal-segment';
import { WalRecordType, type WalRecord } from '../wal/wal-record';
import { decodeEngineMarker, raftEngineMarkerFile } from './engine-marker';

/** What a describer says of one file; `corrupt` makes it a problem of the inspection. */
export interface FileDescription {
  text: string;
  corrupt?: boolean;
}

export interface FileToDescribe {
  /** The path inside the inspected dir, `/`-separated. */
  relativePath: string;
  name: string;
  bytes: Uint8Array;
  /** Reads another file of the same folder (null when it is missing), e.g. a snapshot's metadata. */
  readSibling: (name: string) => Promise<Uint8Array | null>;
}

/** Describes a file of another layout, or null when it is not one of that layout's files. */
export type FileDescriber = (file: FileToDescribe) => Promise<FileDescription | null>;

export interface InspectOptions {
  /** Describers tried, in order, before the etcd engine's files. */
  describers?: readonly FileDescriber[];
}

export interface DataDirInspection {
  /** One line per file or folder, indented by depth, sorted by name. */
  lines: string[];
  /** `<relative path>: <what is wrong>` for every file that does not decode. */
  problems: string[];
}

/** One line per file or folder, indented by depth, sorted by name. */
export async function describeDataDir(fs: FileSystem, dir: string, options: InspectOptions = {}): Promise<string[]> {
  return (await inspectDataDir(fs, dir, options)).lines;
}

export async function inspectDataDir(fs: FileSystem, dir: string, options: InspectOptions = {}): Promise<DataDirInspection> {
  const inspection: DataDirInspection = { lines: [], problems: [] };
  await describeFolder(fs, { dir, relative: '', indent: '' }, options.describers ?? [], inspection);
  return inspection;
}

interface FolderAt {
  dir: string;
  relative: string;
  indent: string;
}

async function describeFolder(fs: FileSystem, at: FolderAt, describers: readonly FileDescriber[], out: DataDirInspection): Promise<void> {
  const names = await fs.list(at.dir);
  const segments = names.filter((name) => parseSegmentName(name) !== null);
  for (const name of names) {
    const path = joinPath(at.dir, name);
    const relativePath = at.relative === '' ? name : `${at.relative}/${name}`;
    const stat = await fs.stat(path);
    if (stat.kind === 'dir') {
      out.lines.push(`${at.indent}${name}/`);
      await describeFolder(fs, { dir: path, relative: relativePath, indent: `${at.indent}  ` }, describers, out);
      continue;
    }
    const isLastSegment = segments[segments.length - 1] === name;
    const description = await describeFile(fs, { path, relativePath, name, isLastSegment }, describers);
    out.lines.push(`${at.indent}${name} (${stat.size} bytes): ${description.text}`);
    if (description.corrupt === true) out.problems.push(`${relativePath}: ${description.text}`);
  }
}

interface FileAt {
  path: string;
  relativePath: string;
  name: string;
  isLastSegment: boolean;
}

async function describeFile(fs: FileSystem, file: FileAt, describers: readonly FileDescriber[]): Promise<FileDescription> {
  const { name } = file;
  if (isTempFileName(name)) return { text: 'temp file of an interrupted atomic write (removed at startup)' };
  const bytes = await fs.readFile(file.path);
  const folder = parentPath(file.path);
  const readSibling = (sibling: string) => readFileIfExists(fs, joinPath(folder, sibling));
  for (const describer of describers) {
    const described = await describer({ relativePath: file.relativePath, name, bytes, readSibling });
    if (described !== null) return described;
  }
  if (name === raftEngineMarkerFile) {
    const marker = decodeEngineMarker(bytes);
    return marker.ok ? { text: `raft engine marker: ${marker.engine}` } : { text: `invalid raft engine marker ${marker.quotedContent}`, corrupt: true };
  }
  if (name === peersFileName) {
    const peers = decodePeersFile(bytes);
    if (!peers.ok) return { text: `peers file, malformed: ${peers.error.message}`, corrupt: true };
    const list = peers.value.peers.map((peer) => `${peer.id}=${peer.address || '(no address)'} [${peer.nodeId}]`);
    return { text: `peers at index ${peers.value.index}: ${list.join(', ') || '(none)'}` };
  }
  if (parseSnapFileName(name) !== null) {
    const snapshot = decodeSnapFile(bytes);
    if (!snapshot.ok) return { text: `snapshot, corrupt: ${snapshot.error.message}`, corrupt: true };
    const { metadata, data } = snapshot.value;
    const cs = metadata.confState;
    return {
      text: `snapshot term=${metadata.term} index=${metadata.index} voters=[${cs.voters.join(' ')}] learners=[${cs.learners.join(' ')}] data=${data === null ? 'nil' : `${data.length} bytes`}`,
    };
  }
  if (parseSegmentName(name) !== null) return describeSegment(bytes, file.path, file.isLastSegment);
  return { text: describers.length === 0 ? 'not a file the etcd engine writes' : 'not a file either engine writes' };
}

function describeSegment(bytes: Uint8Array, path: string, isLast: boolean): FileDescription {
  const parsed = parseSegment(bytes, { file: path, expectedSeed: null, allowTornTail: isLast });
  if (!parsed.ok) return { text: `WAL segment, corrupt: ${parsed.error.message}`, corrupt: true };
  const records = parsed.value.records.map((parsedRecord) => parsedRecord.record);
  const parts = [`WAL segment, ${records.length} records`, summariseEntries(records)];
  const hardStates = records.flatMap((record) => (record.type === WalRecordType.HardState ? [record.hardState] : []));
  if (hardStates.length > 0) {
    const last = hardStates[hardStates.length - 1];
    parts.push(`${hardStates.length} hard states (last term=${last.term} vote=${last.vote} commit=${last.commit})`);
  }
  const markers = records.flatMap((record) => (record.type === WalRecordType.SnapshotMarker ? [record.marker] : []));
  if (markers.length > 0) parts.push(`snapshot markers ${markers.map((m) => `${m.term}/${m.index}`).join(' ')}`);
  if (parsed.value.tornAt !== null && parsed.value.validEnd < bytes.length) {
    parts.push(`torn tail at byte offset ${parsed.value.validEnd} (${bytes.length - parsed.value.validEnd} bytes)`);
  }
  return { text: parts.filter((part) => part !== '').join('; ') };
}

function summariseEntries(records: WalRecord[]): string {
  const entries = records.flatMap((record) => (record.type === WalRecordType.Entry ? [record.entry] : []));
  if (entries.length === 0) return '';
  const first = entries[0];
  const last = entries[entries.length - 1];
  return `${entries.length} entries from ${first.term}/${first.index} to ${last.term}/${last.index}`;
}
