// A readable listing of a node's data dir for `raftlab datadir inspect`: every file with what it
// holds, read without changing anything (no truncation, no cleanup).
import type { FileSystem } from '../fs/file-system';
import { joinPath } from '../fs/path';
import { isTempFileName } from '../fs/atomic-write';
import { decodeSnapFile, parseSnapFileName } from '../snap/snap-file';
import { decodePeersFile, peersFileName } from '../peers/peers-file';
import { parseSegment, parseSegmentName } from '../wal/wal-segment';
import { WalRecordType, type WalRecord } from '../wal/wal-record';
import { decodeEngineMarker, raftEngineMarkerFile } from './engine-marker';

/** One line per file or folder, indented by depth, sorted by name. */
export async function describeDataDir(fs: FileSystem, dir: string): Promise<string[]> {
  const lines: string[] = [];
  await describeFolder(fs, dir, '', lines);
  return lines;
}

async function describeFolder(fs: FileSystem, dir: string, indent: string, lines: string[]): Promise<void> {
  const names = await fs.list(dir);
  const segments = names.filter((name) => parseSegmentName(name) !== null);
  for (const name of names) {
    const path = joinPath(dir, name);
    const stat = await fs.stat(path);
    if (stat.kind === 'dir') {
      lines.push(`${indent}${name}/`);
      await describeFolder(fs, path, `${indent}  `, lines);
      continue;
    }
    const isLastSegment = segments[segments.length - 1] === name;
    lines.push(`${indent}${name} (${stat.size} bytes): ${await describeFile(fs, path, name, isLastSegment)}`);
  }
}

async function describeFile(fs: FileSystem, path: string, name: string, isLastSegment: boolean): Promise<string> {
  if (isTempFileName(name)) return 'temp file of an interrupted atomic write (removed at startup)';
  const bytes = await fs.readFile(path);
  if (name === raftEngineMarkerFile) {
    const marker = decodeEngineMarker(bytes);
    return marker.ok ? `raft engine marker: ${marker.engine}` : `invalid raft engine marker ${marker.quotedContent}`;
  }
  if (name === peersFileName) {
    const peers = decodePeersFile(bytes);
    if (!peers.ok) return `peers file, malformed: ${peers.error.message}`;
    const list = peers.value.peers.map((peer) => `${peer.id}=${peer.address || '(no address)'} [${peer.nodeId}]`);
    return `peers at index ${peers.value.index}: ${list.join(', ') || '(none)'}`;
  }
  if (parseSnapFileName(name) !== null) {
    const snapshot = decodeSnapFile(bytes);
    if (!snapshot.ok) return `snapshot, corrupt: ${snapshot.error.message}`;
    const { metadata, data } = snapshot.value;
    const cs = metadata.confState;
    return `snapshot term=${metadata.term} index=${metadata.index} voters=[${cs.voters.join(' ')}] learners=[${cs.learners.join(' ')}] data=${data === null ? 'nil' : `${data.length} bytes`}`;
  }
  if (parseSegmentName(name) !== null) return describeSegment(bytes, path, isLastSegment);
  return 'not a file the etcd engine writes';
}

function describeSegment(bytes: Uint8Array, path: string, isLast: boolean): string {
  const parsed = parseSegment(bytes, { file: path, expectedSeed: null, allowTornTail: isLast });
  if (!parsed.ok) return `WAL segment, corrupt: ${parsed.error.message}`;
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
  return parts.filter((part) => part !== '').join('; ');
}

function summariseEntries(records: WalRecord[]): string {
  const entries = records.flatMap((record) => (record.type === WalRecordType.Entry ? [record.entry] : []));
  if (entries.length === 0) return '';
  const first = entries[0];
  const last = entries[entries.length - 1];
  return `${entries.length} entries from ${first.term}/${first.index} to ${last.term}/${last.index}`;
}
