// The node-host protocol between a scheduler and a node process (a Worker, a worker_thread, or
// the same code in-process). Lockstep: the scheduler sends one request and waits for its answer
// before the next; every message carries `protocolVersion`, and the receiver validates it whole
// (decodeWorkerRequest / decodeWorkerResponse) before acting: a malformed message is a typed
// error, never undefined behaviour.
import type { Entry, Message, Snapshot } from '../raft/types';
import { peerStringBytesMax } from '../storage/peers/peers-file';
import type { KvCommand } from '../engines/kv-state-machine';
import { kvKeyBytesMax, kvValueBytesMax } from '../engines/kv-state-machine';
import type {
  AdminRequest,
  BatchObservation,
  DiskFaultRates,
  FaultRatio,
  ObservedEntry,
  ClientRequest,
  NodeCommand,
  NodeInit,
  NodeStatus,
  PeerSpec,
  RequestResponse,
} from '../engines/etcd/batch';
import { batchTicksMax } from '../engines/etcd/node-host';
import { termRunsMax } from '../engines/etcd/observation';
import type { EtcdHostSettings } from '../engines/etcd/settings';
import { array, bool, bytes, literal, nullable, object, oneOf, pair, safeInt, string, tagged, type Check } from './validate';
import { ProtocolError } from './validate';
import { inspectionCheck, type DataDirInspection } from './inspection';
import { wireMessageValidator } from './rpc-validate';
import type { DriverBatch, DriverResult, WireMessage } from '../sim/durable/node-driver';

export const protocolVersion = 1;

/** Limits of one protocol message: every array and byte string is bounded. */
export const protocolLimits = {
  messagesPerBatchMax: 10_000,
  entriesPerMessageMax: 10_000,
  entryDataBytesMax: 16 * 1024 * 1024,
  snapshotDataBytesMax: 256 * 1024 * 1024,
  responsesPerMessageMax: 16,
  requestsPerBatchMax: 4_096,
  adminPerBatchMax: 256,
  commandsPerBatchMax: 16,
  peersMax: 1_024,
  idsMax: 1_024,
  logLinesMax: 100_000,
  logLineLengthMax: 64 * 1024,
  appliedPerBatchMax: 100_000,
  statusStringsMax: 1_024,
  textLengthMax: 64 * 1024,
  bugsMax: 16,
  bugNameLengthMax: 64,
} as const;

/** Where a node process keeps its disk, which outlives the process. */
export type DiskSpec =
  /** Real files under a directory (Node). */
  | { kind: 'node-fs'; root: string }
  /** One IndexedDB database per node (browsers). */
  | { kind: 'indexeddb'; name: string }
  /** The in-process endpoint's memory disk (held by the endpoint, not the process). */
  | { kind: 'memory' };

/** The node host a process runs: etcd's (the default) or the HashiCorp-style one. */
export const workerEngines = ['etcd', 'hashicorp'] as const;
export type WorkerEngine = (typeof workerEngines)[number];

/** A batch on the wire: etcd's NodeBatch, or the same with hashicorp's RPCs as its messages. */
export type WireBatch = DriverBatch<WireMessage>;
export type WireBatchResult = DriverResult<WireMessage>;

export type WorkerRequest =
  /** `engine` absent is etcd; the process checks every message it is given is its engine's. */
  | { protocolVersion: typeof protocolVersion; kind: 'init'; init: NodeInit; disk: DiskSpec; engine?: WorkerEngine }
  | { protocolVersion: typeof protocolVersion; kind: 'batch'; sequence: number; batch: WireBatch }
  /** Read-only, between batches: the node's data dir as the storage decoders see it (inspection.ts). */
  | { protocolVersion: typeof protocolVersion; kind: 'inspect' };

export type WorkerErrorCode = 'malformed' | 'unsupported-version' | 'out-of-order' | 'internal';

export type WorkerResponse =
  | { protocolVersion: typeof protocolVersion; kind: 'initialized'; nodeId: number }
  | { protocolVersion: typeof protocolVersion; kind: 'batchResult'; sequence: number; result: WireBatchResult }
  | { protocolVersion: typeof protocolVersion; kind: 'inspection'; inspection: DataDirInspection }
  | { protocolVersion: typeof protocolVersion; kind: 'error'; code: WorkerErrorCode; message: string };

const L = protocolLimits;
const u = safeInt();
const nodeIdCheck = safeInt(0);
const text = string(L.textLengthMax);
const peerString = string(peerStringBytesMax);

const entryCheck: Check<Entry> = object<Entry>({
  term: u,
  index: u,
  type: safeInt(0, 2),
  data: nullable(bytes(L.entryDataBytesMax)),
});

const confStateCheck = object({
  voters: array(nodeIdCheck, L.idsMax),
  learners: array(nodeIdCheck, L.idsMax),
  votersOutgoing: array(nodeIdCheck, L.idsMax),
  learnersNext: array(nodeIdCheck, L.idsMax),
  autoLeave: bool,
});

const snapshotCheck: Check<Snapshot> = object<Snapshot>({
  data: nullable(bytes(L.snapshotDataBytesMax)),
  metadata: object({ confState: confStateCheck, index: u, term: u }),
});

function messageCheck(depth: number): Check<Message> {
  const responses: Check<Message[]> =
    depth === 0
      ? (value, path) => {
          if (!Array.isArray(value) || value.length !== 0) throw new ProtocolError(path, 'nested responses are not allowed');
          return [];
        }
      : array(messageCheck(depth - 1), L.responsesPerMessageMax);
  return object<Message>({
    type: safeInt(0, 23),
    to: nodeIdCheck,
    from: nodeIdCheck,
    term: u,
    logTerm: u,
    index: u,
    entries: array(entryCheck, L.entriesPerMessageMax),
    commit: u,
    vote: nodeIdCheck,
    snapshot: nullable(snapshotCheck),
    reject: bool,
    rejectHint: u,
    context: nullable(bytes(L.entryDataBytesMax)),
    responses,
  });
}

export const messageValidator = messageCheck(1);
const wireMessage = wireMessageValidator(messageValidator);

const key = string(kvKeyBytesMax);
const value = string(kvValueBytesMax);
const kvCommandCheck: Check<KvCommand> = tagged<KvCommand>('op', {
  put: object({ op: literal('put'), key, value }),
  get: object({ op: literal('get'), key }),
  cas: object({ op: literal('cas'), key, expected: nullable(value), value }),
  delete: object({ op: literal('delete'), key }),
});

const clientRequestCheck: Check<ClientRequest> = tagged<ClientRequest>('kind', {
  propose: object({ kind: literal('propose'), requestId: u, command: kvCommandCheck }),
  read: object({ kind: literal('read'), requestId: u, key }),
});

const adminCheck: Check<AdminRequest> = tagged<AdminRequest>('kind', {
  addVoter: object({ kind: literal('addVoter'), requestId: u, nodeId: nodeIdCheck, address: peerString, prevIndex: u }),
  addLearner: object({ kind: literal('addLearner'), requestId: u, nodeId: nodeIdCheck, address: peerString, prevIndex: u }),
  removeServer: object({ kind: literal('removeServer'), requestId: u, nodeId: nodeIdCheck, prevIndex: u }),
  transferLeadership: object({ kind: literal('transferLeadership'), requestId: u, nodeId: nodeIdCheck }),
});

const ratioCheck: Check<FaultRatio> = (input, path) => {
  const ratio = object<FaultRatio>({ numerator: u, denominator: safeInt(1) })(input, path);
  if (ratio.numerator > ratio.denominator) throw new ProtocolError(path, 'a ratio above 1');
  return ratio;
};
const diskFaultShape = { bitFlipOnReadRatio: ratioCheck, writeFailureRatio: ratioCheck };
const diskFaultRatesCheck: Check<DiskFaultRates> = object<DiskFaultRates>(diskFaultShape);

const commandCheck: Check<NodeCommand> = tagged<NodeCommand>('kind', {
  restart: object(
    {
      kind: literal('restart'),
      seed: safeInt(0, 0xffffffff),
      diskFaults: object({ ...diskFaultShape, seed: safeInt(0, 0xffffffff) }),
    },
    ['diskFaults'],
  ),
  crash: object({ kind: literal('crash'), keepPendingBytes: u }, ['keepPendingBytes']),
  armCrash: object(
    { kind: literal('armCrash'), afterOperations: u, tornBytes: u, keepPendingBytes: u },
    ['tornBytes', 'keepPendingBytes'],
  ),
  campaign: object({ kind: literal('campaign') }),
  setDiskFaults: object({ kind: literal('setDiskFaults'), faults: diskFaultRatesCheck }),
  reportSnapshot: object({ kind: literal('reportSnapshot'), peer: nodeIdCheck, delivered: bool }),
  reportUnreachable: object({ kind: literal('reportUnreachable'), peer: nodeIdCheck }),
});

export const batchValidator: Check<WireBatch> = object<WireBatch>({
  commands: array(commandCheck, L.commandsPerBatchMax),
  messages: array(wireMessage, L.messagesPerBatchMax),
  requests: array(clientRequestCheck, L.requestsPerBatchMax),
  admin: array(adminCheck, L.adminPerBatchMax),
  ticks: safeInt(0, batchTicksMax),
});

const peerSpecCheck: Check<PeerSpec> = object<PeerSpec>({ nodeId: safeInt(1), address: peerString, id: peerString }, ['id']);

const settingsKeys: (keyof EtcdHostSettings)[] = [
  'tickIntervalMs',
  'heartbeatTicks',
  'electionTicks',
  'maxSizePerMsg',
  'maxInflightMsgs',
  'readOnlyOption',
  'snapshotThresholdEntries',
  'snapshotCatchUpEntries',
  'pendingConfChangesMax',
  'pendingRequestsMax',
  'walSegmentBytesMax',
];
const settingsShape = Object.fromEntries(settingsKeys.map((name) => [name, u])) as Record<keyof EtcdHostSettings, Check<unknown>>;
settingsShape.checkQuorum = bool;
settingsShape.preVote = bool;
const settingsCheck = object(
  settingsShape as { [K in keyof EtcdHostSettings]-?: Check<EtcdHostSettings[K]> },
  Object.keys(settingsShape) as (keyof EtcdHostSettings)[],
) as Check<Partial<EtcdHostSettings>>;

const initCheck: Check<NodeInit> = object<NodeInit>(
  {
    id: safeInt(1),
    bootstrapPeers: nullable(array(peerSpecCheck, L.peersMax)),
    settings: settingsCheck,
    observe: bool,
    bugs: array(string(L.bugNameLengthMax), L.bugsMax),
  },
  ['settings', 'observe', 'bugs'],
);

const diskCheck: Check<DiskSpec> = tagged<DiskSpec>('kind', {
  'node-fs': object({ kind: literal('node-fs'), root: string(4096) }),
  indexeddb: object({ kind: literal('indexeddb'), name: string(1024) }),
  memory: object({ kind: literal('memory') }),
});

const requestCheck: Check<WorkerRequest> = tagged<WorkerRequest>('kind', {
  init: object(
    { protocolVersion: literal(protocolVersion), kind: literal('init'), init: initCheck, disk: diskCheck, engine: oneOf(workerEngines) },
    ['engine'],
  ),
  batch: object({ protocolVersion: literal(protocolVersion), kind: literal('batch'), sequence: u, batch: batchValidator }),
  inspect: object({ protocolVersion: literal(protocolVersion), kind: literal('inspect') }),
});

const statusCheck: Check<NodeStatus> = object<NodeStatus>({
  id: nodeIdCheck,
  role: oneOf(['down', 'removed', 'failed', 'StateFollower', 'StateCandidate', 'StateLeader', 'StatePreCandidate'] as const),
  error: nullable(text),
  term: u,
  vote: nodeIdCheck,
  commit: u,
  applied: u,
  lead: nodeIdCheck,
  voters: array(nodeIdCheck, L.idsMax),
  learners: array(nodeIdCheck, L.idsMax),
  firstIndex: u,
  lastIndex: u,
  snapshotIndex: u,
  logTail: array(string(64), L.statusStringsMax),
  configIndex: u,
  peers: array(object({ nodeId: string(20), id: peerString, address: peerString }), L.peersMax),
  kv: array(pair(key, value), L.statusStringsMax),
});

const errorCodes = [
  'node-down',
  'not-leader',
  'duplicate-request',
  'too-many-pending-requests',
  'proposal-dropped',
  'proposal-lost',
  'outcome-unknown',
  'too-many-pending-configs',
  'prev-index-mismatch',
  'conf-change-context-too-large',
  'leadership-lost',
] as const;

const okResultCheck = object({ ok: literal(true), value: nullable(value), swapped: bool, index: u });
const failedResultCheck = object({ ok: literal(false), code: oneOf(errorCodes), message: text });
const responseCheck: Check<RequestResponse> = object<RequestResponse>({
  requestId: u,
  result: (input, path) => {
    const ok = typeof input === 'object' && input !== null && (input as { ok?: unknown }).ok === true;
    return ok ? okResultCheck(input, path) : failedResultCheck(input, path);
  },
});

const hardStateRecord = object({ term: u, vote: nodeIdCheck, commit: u });
const observedEntryCheck: Check<ObservedEntry> = object<ObservedEntry>({ index: u, term: u, dataHash: safeInt(0, 0xffffffff) });
const observationCheck: Check<BatchObservation> = object<BatchObservation>({
  restarted: bool,
  appended: array(observedEntryCheck, L.appliedPerBatchMax),
  appendedPrevTerm: u,
  applied: array(observedEntryCheck, L.appliedPerBatchMax),
  durable: nullable(object({ term: u, vote: nodeIdCheck, commit: u, lastIndex: u })),
  termRuns: array(pair(u, u), termRunsMax),
});
const resultCheck: Check<WireBatchResult> = object<WireBatchResult>({
  messages: array(wireMessage, L.messagesPerBatchMax),
  persisted: array(
    object({
      hardState: nullable(hardStateRecord),
      entries: nullable(object({ first: u, last: u, term: u })),
      snapshot: nullable(object({ index: u, term: u })),
    }),
    L.appliedPerBatchMax,
  ),
  applied: array(
    object({ index: u, term: u, kind: oneOf(['empty', 'command', 'conf-change', 'snapshot'] as const), detail: text }),
    L.appliedPerBatchMax,
  ),
  responses: array(responseCheck, L.requestsPerBatchMax + L.adminPerBatchMax + 1_024),
  logLines: array(object({ level: string(8), text: string(L.logLineLengthMax) }), L.logLinesMax),
  status: statusCheck,
  observation: observationCheck,
}, ['observation']);

const responseMessageCheck: Check<WorkerResponse> = tagged<WorkerResponse>('kind', {
  initialized: object({ protocolVersion: literal(protocolVersion), kind: literal('initialized'), nodeId: nodeIdCheck }),
  batchResult: object({ protocolVersion: literal(protocolVersion), kind: literal('batchResult'), sequence: u, result: resultCheck }),
  inspection: object({ protocolVersion: literal(protocolVersion), kind: literal('inspection'), inspection: inspectionCheck }),
  error: object({
    protocolVersion: literal(protocolVersion),
    kind: literal('error'),
    code: oneOf(['malformed', 'unsupported-version', 'out-of-order', 'internal'] as const),
    message: text,
  }),
});

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: ProtocolError };

function decodeWith<T>(check: Check<T>, value: unknown, what: string): Decoded<T> {
  try {
    if (typeof value === 'object' && value !== null && (value as { protocolVersion?: unknown }).protocolVersion !== protocolVersion) {
      const version = (value as { protocolVersion?: unknown }).protocolVersion;
      return { ok: false, error: new ProtocolError(`${what}.protocolVersion`, `unsupported protocol version ${String(version).slice(0, 20)} (expected ${protocolVersion})`) };
    }
    return { ok: true, value: check(value, what) };
  } catch (error) {
    if (error instanceof ProtocolError) return { ok: false, error };
    // A hostile value may also throw (a RangeError from a deeply nested array): still malformed.
    if (error instanceof RangeError) return { ok: false, error: new ProtocolError(what, error.message) };
    throw error;
  }
}

export function decodeWorkerRequest(value: unknown): Decoded<WorkerRequest> {
  return decodeWith(requestCheck, value, 'request');
}

export function decodeWorkerResponse(value: unknown): Decoded<WorkerResponse> {
  return decodeWith(responseMessageCheck, value, 'response');
}

export { ProtocolError };
