// Reads a HashiCorp-style node's data dir for the UI (inspection.ts), read-only and between
// batches, with the engine's own decoders: the `raft-engine` marker, `raft.db/stable.bin` (term and
// vote), `raft.db/logs.bin` (the log store's records: appends, a conflicting suffix deleted,
// compaction), `snapshots/<term>-<index>-<seq>/meta.json` and `fsm.db/` (written by a graceful
// stop). The etcd fields it has no use for stay empty.
import { decodeFsmState, fsmStateFileName, fsmStoreDirName } from '../engines/fsm-store';
import { describeConfiguration, decodeConfiguration } from '../engines/hashicorp/configuration';
import { raftDbDirName, snapshotsDirName } from '../engines/hashicorp/data-dir';
import { decodeLogFile, logFileName, replayLogRecords, type LogRecord } from '../engines/hashicorp/log-store';
import { decodeSnapshotMeta, parseSnapshotName, snapshotMetaFile } from '../engines/hashicorp/snapshot-store';
import { decodeStableState, stableFileName } from '../engines/hashicorp/stable-store';
import { LogType, Suffrage, type LogEntry } from '../engines/hashicorp/types';
import { decodeKvCommand, describeKvCommand } from '../engines/kv-state-machine';
import { decodeEngineMarker, raftEngineMarkerFile } from '../storage/datadir/engine-marker';
import { isTempFileName } from '../storage/fs/atomic-write';
import { decodeProposalEnvelope } from '../storage/peers/context-codec';
import type { FileSystem } from '../storage/fs/file-system';
import { emptyInspection, inspectionWalRecordsMax, type DataDirInspection, type HashicorpStoresInspection } from './inspection';

const textMax = 4_000;
const clip = (text: string): string => (text.length > textMax ? `${text.slice(0, textMax - 1)}…` : text);
const stablePath = `${raftDbDirName}/${stableFileName}`;
const logPath = `${raftDbDirName}/${logFileName}`;
const fsmPath = `${fsmStoreDirName}/${fsmStateFileName}`;

export async function inspectHashicorpDataDir(
  fs: FileSystem,
  files: { path: string; size: number }[],
  pending: { path: string; bytes: number }[],
): Promise<DataDirInspection> {
  const stores: HashicorpStoresInspection = {
    stable: null,
    logRecordCount: 0,
    logRecords: [],
    firstIndex: 0,
    lastStoredIndex: 0,
    fsm: null,
  };
  const inspection: DataDirInspection = { ...emptyInspection(pending), files, hashicorp: stores };
  for (const file of files) {
    const what = await describeFile(fs, file.path, inspection, stores);
    inspection.lines.push(clip(`${file.path} (${file.size} bytes): ${what}`));
  }
  const newest = inspection.snapshots.reduce((best, item) => (item.index > best.index ? item : best), { index: 0, term: 0 });
  if (newest.index > inspection.lastIndex) {
    inspection.lastIndex = newest.index;
    inspection.lastTerm = newest.term;
  }
  return inspection;
}

async function describeFile(
  fs: FileSystem,
  path: string,
  inspection: DataDirInspection,
  stores: HashicorpStoresInspection,
): Promise<string> {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (isTempFileName(name) || path.includes('.tmp/')) return 'temp file of an interrupted write (removed at startup)';
  if (path === raftEngineMarkerFile) {
    const marker = decodeEngineMarker(await fs.readFile(path));
    inspection.marker = marker.ok ? marker.engine : `invalid ${marker.quotedContent}`;
    return `raft engine marker: ${inspection.marker}`;
  }
  if (path === stablePath) {
    const stable = decodeStableState(await fs.readFile(path));
    if (!stable.ok) return problem(inspection, path, stable.error.message);
    stores.stable = { ...stable.value };
    const { currentTerm, lastVoteTerm, lastVoteCand } = stable.value;
    return `stable store: CurrentTerm=${currentTerm} LastVoteTerm=${lastVoteTerm} LastVoteCand=${lastVoteCand}`;
  }
  if (path === logPath) return readLogStore(await fs.readFile(path), inspection, stores);
  if (path.startsWith(`${snapshotsDirName}/`) && name === snapshotMetaFile) return readSnapshot(fs, path, inspection);
  if (path.startsWith(`${snapshotsDirName}/`)) return 'snapshot state (the state machine at the snapshot)';
  if (path === fsmPath) {
    const fsm = decodeFsmState(await fs.readFile(path));
    if (!fsm.ok) return problem(inspection, path, fsm.error.message);
    stores.fsm = { appliedIndex: fsm.value.appliedIndex, appliedTerm: fsm.value.appliedTerm, bytes: fsm.value.data.length };
    return `fsm store: the state machine at applied index ${fsm.value.appliedIndex} (term ${fsm.value.appliedTerm})`;
  }
  return 'not a file the HashiCorp engine writes';
}

function problem(inspection: DataDirInspection, path: string, message: string): string {
  inspection.problems.push(clip(`${path}: ${message}`));
  return `corrupt: ${message}`;
}

function readLogStore(bytes: Uint8Array, inspection: DataDirInspection, stores: HashicorpStoresInspection): string {
  const decoded = decodeLogFile(bytes);
  if (!decoded.ok) return problem(inspection, logPath, decoded.error.message);
  const { records, tornTail } = decoded.value;
  stores.logRecordCount = records.length;
  for (const record of records) {
    stores.logRecords.push(...describeLogRecord(record));
    // Keep the list bounded while reading: only the newest records are reported.
    if (stores.logRecords.length > 2 * inspectionWalRecordsMax) stores.logRecords.splice(0, stores.logRecords.length - inspectionWalRecordsMax);
  }
  stores.logRecords = stores.logRecords.slice(-inspectionWalRecordsMax);
  if (tornTail !== null) inspection.problems.push(clip(`${logPath}: torn tail (${tornTail}), cut off at the next open`));
  const log = replayLogRecords(records);
  if (!log.ok) return problem(inspection, logPath, log.error);
  stores.firstIndex = log.value.firstStoredIndex;
  stores.lastStoredIndex = log.value.lastStoredIndex;
  inspection.lastIndex = log.value.lastStoredIndex;
  inspection.lastTerm = log.value.get(log.value.lastStoredIndex)?.term ?? 0;
  const span = stores.firstIndex === 0 ? 'no entries' : `entries ${stores.firstIndex}..${stores.lastStoredIndex}`;
  return `log store, ${records.length} records, ${span}${tornTail === null ? '' : `; torn tail (${tornTail})`}`;
}

function describeLogRecord(record: LogRecord): HashicorpStoresInspection['logRecords'] {
  if (record.kind === 'deleteFrom') return [{ kind: 'delete-from', text: `delete entries from ${record.index} (a conflicting suffix)` }];
  if (record.kind === 'deleteThrough') return [{ kind: 'delete-through', text: `delete entries through ${record.index} (compaction after a snapshot)` }];
  return record.entries.map((entry) => ({ kind: 'entry' as const, text: clip(describeLogEntry(entry)) }));
}

function describeLogEntry(entry: LogEntry): string {
  const head = `${entry.term}/${entry.index}`;
  if (entry.type === LogType.Noop) return `${head} noop`;
  if (entry.type === LogType.Configuration) {
    const configuration = decodeConfiguration(entry.data);
    return `${head} configuration ${configuration.ok ? describeConfiguration(configuration.value) : '(undecodable)'}`;
  }
  // A command is the request's envelope (its id) around the key-value command.
  const envelope = decodeProposalEnvelope(entry.data);
  const command = envelope === null ? null : decodeKvCommand(envelope.payload);
  const text = command?.ok === true ? describeKvCommand(command.value) : 'undecodable';
  return `${head} command r${envelope?.requestId ?? '?'} ${text} (${entry.data.length} bytes)`;
}

async function readSnapshot(fs: FileSystem, path: string, inspection: DataDirInspection): Promise<string> {
  const folder = path.slice(snapshotsDirName.length + 1, path.lastIndexOf('/'));
  if (parseSnapshotName(folder) === null) return 'not a snapshot folder the engine names';
  const decoded = decodeSnapshotMeta(await fs.readFile(path));
  if (!decoded.ok) return problem(inspection, path, decoded.error);
  const { meta } = decoded.value;
  const ids = (voter: boolean) =>
    meta.configuration.servers.filter((server) => (server.suffrage === Suffrage.Voter) === voter).map((server) => server.id);
  inspection.snapshots.push({
    name: `${snapshotsDirName}/${folder}`,
    index: meta.index,
    term: meta.term,
    confState: { voters: ids(true), learners: ids(false), votersOutgoing: [], learnersNext: [], autoLeave: false },
  });
  return `snapshot meta: term=${meta.term} index=${meta.index} configuration ${describeConfiguration(meta.configuration)} at ${meta.configurationIndex}, ${meta.size} bytes of state`;
}
