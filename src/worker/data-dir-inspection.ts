// Reads a node's data dir with the storage decoders and sums it up for the UI (inspection.ts):
// read-only, like `raftlab datadir inspect`, and run by the node process between batches.
import { asV2, enterJoint, leaveJoint, unmarshalConfChange, unmarshalConfChangeV2 } from '../raft/encoding/conf-change';
import { describeEntry } from '../raft/describe';
import { ConfChangeType, EntryType, type Entry } from '../raft/types';
import { describeDataDir } from '../storage/datadir/inspect';
import { decodeEngineMarker, raftEngineMarkerFile } from '../storage/datadir/engine-marker';
import type { FileSystem } from '../storage/fs/file-system';
import { joinPath } from '../storage/fs/path';
import { decodePeersFile, peersFileName } from '../storage/peers/peers-file';
import { decodeSnapFile, parseSnapFileName } from '../storage/snap/snap-file';
import { WalRecordType, type WalRecord } from '../storage/wal/wal-record';
import { parseSegment, parseSegmentName } from '../storage/wal/wal-segment';
import { inspectHashicorpDataDir } from './hashicorp-dir-inspection';
import {
  emptyInspection,
  inspectionConfChangesMax,
  inspectionWalRecordsMax,
  type DataDirInspection,
  type InspectedConfChange,
  type WalRecordKind,
} from './inspection';

const textMax = 4_000;
const clip = (text: string): string => (text.length > textMax ? `${text.slice(0, textMax - 1)}…` : text);

/** Every file under `dir`, depth first, sorted by name. */
async function listFiles(fs: FileSystem, dir: string, out: { path: string; size: number }[]): Promise<void> {
  for (const name of await fs.list(dir)) {
    const path = joinPath(dir, name);
    const stat = await fs.stat(path);
    if (stat.kind === 'dir') await listFiles(fs, path, out);
    else out.push({ path, size: stat.size });
  }
}

/** The data dir of a node running `engine`'s host, read with that engine's decoders. */
export async function inspectEngineDataDir(
  engine: 'etcd' | 'hashicorp',
  fs: FileSystem,
  pending: { path: string; bytes: number }[],
): Promise<DataDirInspection> {
  if (engine === 'etcd') return inspectDataDir(fs, pending);
  const files: { path: string; size: number }[] = [];
  await listFiles(fs, '', files);
  return inspectHashicorpDataDir(fs, files, pending);
}

export async function inspectDataDir(
  fs: FileSystem,
  pending: { path: string; bytes: number }[],
): Promise<DataDirInspection> {
  const inspection: DataDirInspection = {
    ...emptyInspection(pending),
    lines: (await describeDataDir(fs, '')).map(clip),
  };
  await listFiles(fs, '', inspection.files);
  const segments = inspection.files.filter((file) => parseSegmentName(baseName(file.path)) !== null);
  for (const file of inspection.files) {
    const name = baseName(file.path);
    if (name === raftEngineMarkerFile) {
      const marker = decodeEngineMarker(await fs.readFile(file.path));
      inspection.marker = marker.ok ? marker.engine : `invalid ${marker.quotedContent}`;
    } else if (name === peersFileName) {
      readPeers(inspection, file.path, await fs.readFile(file.path));
    } else if (parseSnapFileName(name) !== null) {
      readSnapshot(inspection, file.path, await fs.readFile(file.path));
    } else if (segments.includes(file)) {
      const isLast = segments[segments.length - 1] === file;
      readSegment(inspection, file.path, await fs.readFile(file.path), isLast);
    }
  }
  inspection.walRecords = inspection.walRecords.slice(-inspectionWalRecordsMax);
  inspection.confChanges = inspection.confChanges.slice(-inspectionConfChangesMax);
  return inspection;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function readPeers(inspection: DataDirInspection, path: string, bytes: Uint8Array): void {
  const decoded = decodePeersFile(bytes);
  if (!decoded.ok) {
    inspection.problems.push(clip(`${path}: ${decoded.error.message}`));
    return;
  }
  inspection.peers = {
    index: Number(decoded.value.index),
    peers: decoded.value.peers.map((peer) => ({
      id: clip(peer.id),
      address: clip(peer.address),
      nodeId: peer.nodeId.toString(),
    })),
  };
}

function readSnapshot(inspection: DataDirInspection, path: string, bytes: Uint8Array): void {
  const decoded = decodeSnapFile(bytes);
  if (!decoded.ok) {
    inspection.problems.push(clip(`${path}: ${decoded.error.message}`));
    return;
  }
  const { index, term, confState } = decoded.value.metadata;
  inspection.snapshots.push({ name: path, index, term, confState: { ...confState } });
}

function readSegment(inspection: DataDirInspection, path: string, bytes: Uint8Array, isLast: boolean): void {
  const parsed = parseSegment(bytes, { file: path, expectedSeed: null, allowTornTail: isLast });
  if (!parsed.ok) {
    inspection.problems.push(clip(`${path}: ${parsed.error.message}`));
    return;
  }
  for (const { record } of parsed.value.records) {
    inspection.walRecordCount++;
    const { kind, text } = describeRecord(record);
    inspection.walRecords.push({ segment: path, kind, text: clip(text) });
    // Keep the list bounded while reading: only the newest records are reported.
    if (inspection.walRecords.length > 2 * inspectionWalRecordsMax) {
      inspection.walRecords.splice(0, inspection.walRecords.length - inspectionWalRecordsMax);
    }
    if (record.type === WalRecordType.HardState) inspection.hardState = { ...record.hardState };
    if (record.type === WalRecordType.SnapshotMarker && record.marker.index > inspection.lastIndex) {
      inspection.lastIndex = record.marker.index;
      inspection.lastTerm = record.marker.term;
    }
    if (record.type === WalRecordType.Entry) {
      inspection.lastIndex = record.entry.index;
      inspection.lastTerm = record.entry.term;
      const change = confChangeOf(record.entry);
      if (change !== null) {
        // A rewritten suffix replaces the conf changes it overwrote.
        inspection.confChanges = inspection.confChanges.filter((item) => item.index < change.index);
        inspection.confChanges.push(change);
      }
    }
  }
  if (parsed.value.tornAt !== null && parsed.value.validEnd < bytes.length) {
    inspection.problems.push(`${path}: torn tail at byte ${parsed.value.validEnd} (${bytes.length - parsed.value.validEnd} bytes)`);
  }
}

function describeRecord(record: WalRecord): { kind: WalRecordKind; text: string } {
  switch (record.type) {
    case WalRecordType.CrcSeed:
      return { kind: 'crc', text: `crc seed ${record.seed.toString(16)}` };
    case WalRecordType.HardState: {
      const { term, vote, commit } = record.hardState;
      return { kind: 'hardstate', text: `term=${term} vote=${vote} commit=${commit}` };
    }
    case WalRecordType.SnapshotMarker:
      return { kind: 'snapshot', text: `snapshot term=${record.marker.term} index=${record.marker.index}` };
    case WalRecordType.Entry: {
      const entry = record.entry;
      if (entry.type !== EntryType.EntryNormal) return { kind: 'entry', text: describeEntry(entry) };
      const size = entry.data?.length ?? 0;
      return { kind: 'entry', text: `${entry.term}/${entry.index} EntryNormal (${size} bytes)` };
    }
  }
}

const operations: Record<ConfChangeType, string> = {
  [ConfChangeType.ConfChangeAddNode]: 'voter',
  [ConfChangeType.ConfChangeAddLearnerNode]: 'learner',
  [ConfChangeType.ConfChangeRemoveNode]: 'remove',
  [ConfChangeType.ConfChangeUpdateNode]: 'update',
};

function confChangeOf(entry: Entry): InspectedConfChange | null {
  if (entry.type === EntryType.EntryNormal || entry.data === null) return null;
  let cc;
  try {
    const raw = entry.type === EntryType.EntryConfChange ? unmarshalConfChange(entry.data) : unmarshalConfChangeV2(entry.data);
    cc = asV2(raw);
  } catch {
    return null;
  }
  const joint = enterJoint(cc);
  const transition = leaveJoint(cc) ? 'leave-joint' : joint.ok ? 'enter-joint' : 'simple';
  return {
    index: entry.index,
    term: entry.term,
    transition,
    autoLeave: joint.ok && joint.autoLeave,
    changes: cc.changes.map((change) => [operations[change.type] ?? 'update', change.nodeId]),
    text: clip(describeEntry(entry)),
  };
}
