// How `raftlab datadir inspect` reads the HashiCorp engine's data dir and the state machine's
// store, with the stores' own decoders and nothing written: raft.db/stable.bin (term and vote),
// raft.db/logs.bin (its records replayed: first and last index), snapshots/<id>/meta.json and
// state.bin (checked against the metadata's size and CRC), and fsm.db/state.bin.
import { crc32c } from '../../storage/codec/crc32c';
import type { FileDescriber, FileDescription, FileToDescribe } from '../../storage/datadir/inspect';
import { decodeFsmState, fsmStateFileName, fsmStoreDirName } from '../fsm-store';
import { decodeLogFile, logFileName, replayLogRecords } from './log-store';
import { raftDbDirName, snapshotsDirName } from './data-dir';
import { decodeSnapshotMeta, parseSnapshotName, snapshotMetaFile, snapshotStateFile } from './snapshot-store';
import { decodeStableState, stableFileName } from './stable-store';
import { Suffrage } from './types';

const corrupt = (text: string): FileDescription => ({ text, corrupt: true });

/** The describer for a HashiCorp node's files (and fsm.db, which both engines' nodes keep). */
export const describeHashicorpFile: FileDescriber = async (file) => {
  const { relativePath, bytes } = file;
  if (relativePath === `${raftDbDirName}/${stableFileName}`) return describeStable(bytes);
  if (relativePath === `${raftDbDirName}/${logFileName}`) return describeLog(bytes);
  if (relativePath === `${fsmStoreDirName}/${fsmStateFileName}`) return describeFsm(bytes);
  const parts = relativePath.split('/');
  if (parts.length === 3 && parts[0] === snapshotsDirName && parseSnapshotName(parts[1]) !== null) {
    if (parts[2] === snapshotMetaFile) return describeSnapshotMeta(bytes, parts[1]);
    if (parts[2] === snapshotStateFile) return describeSnapshotState(file);
  }
  return null;
};

function describeStable(bytes: Uint8Array): FileDescription {
  const decoded = decodeStableState(bytes);
  if (!decoded.ok) return corrupt(`stable store, corrupt: ${decoded.error.message}`);
  const { currentTerm, lastVoteTerm, lastVoteCand } = decoded.value;
  return { text: `stable store: CurrentTerm=${currentTerm} LastVoteTerm=${lastVoteTerm} LastVoteCand=${lastVoteCand}` };
}

function describeLog(bytes: Uint8Array): FileDescription {
  const decoded = decodeLogFile(bytes);
  if (!decoded.ok) return corrupt(`log store, corrupt: ${decoded.error.message}`);
  const replayed = replayLogRecords(decoded.value.records);
  if (!replayed.ok) return corrupt(`log store, corrupt: ${replayed.error}`);
  const log = replayed.value;
  const range = log.lastStoredIndex === 0 ? 'no entries' : `entries ${log.firstStoredIndex} to ${log.lastStoredIndex}`;
  const torn = decoded.value.tornTail === null ? '' : `; torn tail (${decoded.value.tornTail}), cut off at startup`;
  return { text: `log store, ${decoded.value.records.length} records: ${range}${torn}` };
}

function describeFsm(bytes: Uint8Array): FileDescription {
  const decoded = decodeFsmState(bytes);
  if (!decoded.ok) return corrupt(`fsm store, corrupt: ${decoded.error.message}`);
  const { appliedIndex, appliedTerm, data } = decoded.value;
  return { text: `fsm store: applied index=${appliedIndex} term=${appliedTerm}, state ${data.length} bytes` };
}

function describeSnapshotMeta(bytes: Uint8Array, folder: string): FileDescription {
  const decoded = decodeSnapshotMeta(bytes);
  if (!decoded.ok) return corrupt(`snapshot metadata, corrupt: ${decoded.error}`);
  const { id, meta } = decoded.value;
  if (id !== folder) return corrupt(`snapshot metadata, corrupt: ID ${id} does not match its folder ${folder}`);
  const servers = meta.configuration.servers.map((server) => `${server.id}=${server.address}${server.suffrage === Suffrage.Voter ? '' : ' (nonvoter)'}`);
  return {
    text: `snapshot metadata: term=${meta.term} index=${meta.index} configuration index=${meta.configurationIndex} servers [${servers.join(' ')}] size=${meta.size}`,
  };
}

async function describeSnapshotState(file: FileToDescribe): Promise<FileDescription> {
  const metaBytes = await file.readSibling(snapshotMetaFile);
  if (metaBytes === null) return corrupt(`snapshot state, ${snapshotMetaFile} is missing beside it`);
  const decoded = decodeSnapshotMeta(metaBytes);
  if (!decoded.ok) return corrupt(`snapshot state, unverifiable: ${snapshotMetaFile}: ${decoded.error}`);
  const { meta, crc } = decoded.value;
  if (file.bytes.length !== meta.size) return corrupt(`snapshot state, corrupt: ${file.bytes.length} bytes, metadata says ${meta.size}`);
  if (crc32c(file.bytes) !== crc) return corrupt('snapshot state, corrupt: checksum mismatch with its metadata');
  return { text: `snapshot state, ${file.bytes.length} bytes, checksum ok` };
}
