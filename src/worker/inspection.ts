// What a node process answers to an `inspect` request: its data dir as the storage decoders read
// it (WAL records, HardState, snapshots, the peers file, the engine marker; for a HashiCorp-style
// node its log store, stable store, snapshots and fsm.db) and the bytes written since each
// file's last fsync. The UI shows this without opening the node's disk itself: the
// node process is the disk's only user. Bounded and validated like every protocol message.
import { array, bool, nullable, object, oneOf, pair, safeInt, string, type Check } from './validate';

/** WAL records an inspection lists (the newest); the counts cover all of them. */
export const inspectionWalRecordsMax = 200;
/** Conf change entries an inspection lists (the newest). */
export const inspectionConfChangesMax = 200;
const filesMax = 4_096;
const textMax = 4_096;

export type WalRecordKind = 'crc' | 'entry' | 'hardstate' | 'snapshot';

export interface InspectedConfState {
  voters: number[];
  learners: number[];
  votersOutgoing: number[];
  learnersNext: number[];
  autoLeave: boolean;
}

/** A conf change entry from the WAL: what it asks for, in the terms of a config fold. */
export interface InspectedConfChange {
  index: number;
  term: number;
  transition: 'simple' | 'enter-joint' | 'leave-joint';
  autoLeave: boolean;
  /** [operation, node id]: operation is 'voter', 'learner', 'remove' or 'update'. */
  changes: [string, number][];
  text: string;
}

export type LogStoreRecordKind = 'entry' | 'delete-from' | 'delete-through';

/**
 * A HashiCorp-style node's stores (hashicorp-dir-inspection.ts): `raft.db/` holds the stable store
 * (CurrentTerm and the vote) and the log store (its records, oldest first, the newest listed).
 */
export interface HashicorpStoresInspection {
  stable: { currentTerm: number; lastVoteTerm: number; lastVoteCand: number } | null;
  logRecordCount: number;
  logRecords: { kind: LogStoreRecordKind; text: string }[];
  /** The first and last index the log store holds (0/0 when it holds none). */
  firstIndex: number;
  lastStoredIndex: number;
  /** `fsm.db/` (written by a graceful stop): the index applied to the saved state machine. */
  fsm: { appliedIndex: number; appliedTerm: number; bytes: number } | null;
}

export interface DataDirInspection {
  /** One line per file or folder (raftlab datadir inspect's listing). */
  lines: string[];
  files: { path: string; size: number }[];
  /** Files with bytes written since their last fsync. */
  pending: { path: string; bytes: number }[];
  walRecordCount: number;
  /** The newest records, oldest first. */
  walRecords: { segment: string; kind: WalRecordKind; text: string }[];
  /** The last HardState record in the WAL. */
  hardState: { term: number; vote: number; commit: number } | null;
  /** The last entry's index and term in the WAL (0/0 when none). */
  lastIndex: number;
  lastTerm: number;
  snapshots: { name: string; index: number; term: number; confState: InspectedConfState }[];
  peers: { index: number; peers: { id: string; address: string; nodeId: string }[] } | null;
  marker: string | null;
  confChanges: InspectedConfChange[];
  /** Files the decoders refused, with why. */
  problems: string[];
  /** Present for a HashiCorp-style node (its snapshots are in `snapshots`, its voters as a ConfState's). */
  hashicorp?: HashicorpStoresInspection;
}

/** An inspection that has read nothing yet: the readers fill in what the dir holds. */
export function emptyInspection(pending: { path: string; bytes: number }[]): DataDirInspection {
  return {
    lines: [],
    files: [],
    pending,
    walRecordCount: 0,
    walRecords: [],
    hardState: null,
    lastIndex: 0,
    lastTerm: 0,
    snapshots: [],
    peers: null,
    marker: null,
    confChanges: [],
    problems: [],
  };
}

const u = safeInt();
const text = string(textMax);
const ids = array(u, 1_024);

const hashicorpCheck: Check<HashicorpStoresInspection> = object<HashicorpStoresInspection>({
  stable: nullable(object({ currentTerm: u, lastVoteTerm: u, lastVoteCand: u })),
  logRecordCount: u,
  logRecords: array(
    object({ kind: oneOf(['entry', 'delete-from', 'delete-through'] as const), text }),
    inspectionWalRecordsMax,
  ),
  firstIndex: u,
  lastStoredIndex: u,
  fsm: nullable(object({ appliedIndex: u, appliedTerm: u, bytes: u })),
});

export const inspectionCheck: Check<DataDirInspection> = object<DataDirInspection>({
  lines: array(text, filesMax),
  files: array(object({ path: text, size: u }), filesMax),
  pending: array(object({ path: text, bytes: u }), filesMax),
  walRecordCount: u,
  walRecords: array(
    object({ segment: text, kind: oneOf(['crc', 'entry', 'hardstate', 'snapshot'] as const), text }),
    inspectionWalRecordsMax,
  ),
  hardState: nullable(object({ term: u, vote: u, commit: u })),
  lastIndex: u,
  lastTerm: u,
  snapshots: array(
    object({
      name: text,
      index: u,
      term: u,
      confState: object({ voters: ids, learners: ids, votersOutgoing: ids, learnersNext: ids, autoLeave: bool }),
    }),
    filesMax,
  ),
  peers: nullable(
    object({ index: u, peers: array(object({ id: text, address: text, nodeId: string(20) }), 1_024) }),
  ),
  marker: nullable(text),
  confChanges: array(
    object({
      index: u,
      term: u,
      transition: oneOf(['simple', 'enter-joint', 'leave-joint'] as const),
      autoLeave: bool,
      changes: array(pair(oneOf(['voter', 'learner', 'remove', 'update'] as const), u), 1_024),
      text,
    }),
    inspectionConfChangesMax,
  ),
  problems: array(text, filesMax),
  hashicorp: hashicorpCheck,
}, ['hashicorp']);
