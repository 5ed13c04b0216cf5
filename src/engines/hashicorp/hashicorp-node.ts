// One incarnation of a HashiCorp-style node: the engine core over its data dir, the key-value
// state machine and the requests it waits on. It lives from a restart to a crash.
//
// Output loop (raft-output.ts states the order): every write made durable, in order (the stable
// and log stores fsync before the promise resolves), BEFORE the messages leave; then snapshots
// are restored and committed entries applied; then the events answer futures. After the engine
// has nothing left, a local snapshot is taken once applied - last snapshot index reaches the
// threshold (state.bin + meta.json, then the log is compacted behind it).
import type { Logger } from '../../raft/logger';
import type { RandomSource } from '../../raft/random';
import type { FileSystem } from '../../storage/fs/file-system';
import { decodeProposalEnvelope } from '../../storage/peers/context-codec';
import { failure, success, type Result } from '../../storage/result';
import { fsmStoreDirName, saveFsmStore, type FsmState } from '../fsm-store';
import { decodeKvCommand, describeKvCommand, KvStateMachine } from '../kv-state-machine';
import type { AppliedRecord, PersistedRecord } from '../host-types';
import type { HashicorpNodeInit } from './batch';
import { decodeConfiguration, describeConfiguration, encodeConfiguration } from './configuration';
import { hashicorpBugsOf } from './bugs';
import { HashicorpDataDir } from './data-dir';
import { observeLogEntry, observeWriteStart, observeWritten, type HashicorpObservationSink } from './observation';
import { HashicorpRaft } from './raft';
import type { ApplyItem, RaftOutput, StoreWrite } from './raft-output';
import { HashicorpRequestBook } from './request-book';
import type { ResolvedHashicorpHostSettings } from './settings';
import { LogType, Suffrage, type LogEntry, type RpcMessage, type SnapshotMeta } from './types';

/** Output rounds one batch may take before the host calls it a livelock. */
export const outputRoundsMax = 1_000;

export interface HashicorpNodeOptions {
  init: HashicorpNodeInit;
  settings: ResolvedHashicorpHostSettings;
  fs: FileSystem;
  random: RandomSource;
  logger: Logger;
  nowMs: number;
}

/** Where a batch's outputs are collected. */
export interface HashicorpBatchSink {
  messages: RpcMessage[];
  persisted: PersistedRecord[];
  applied: AppliedRecord[];
  /** Set when the host observes for a simulator (BatchObservation). */
  observation?: HashicorpObservationSink;
}

export class HashicorpNode {
  readonly raft: HashicorpRaft;
  readonly requests: HashicorpRequestBook;
  /** Set when the engine shut down (it removed itself from the configuration). */
  shutdown = false;
  /** The index of the latest snapshot on disk (the engine learns of an installed one before it is written). */
  durableSnapshotIndex: number;
  private clockMs: number;

  private constructor(
    readonly id: number,
    readonly dataDir: HashicorpDataDir,
    readonly fsm: KvStateMachine,
    private readonly options: HashicorpNodeOptions,
  ) {
    this.clockMs = options.nowMs;
    this.durableSnapshotIndex = dataDir.recovered.snapshot?.meta.index ?? 0;
    this.raft = new HashicorpRaft({
      id,
      config: options.settings.raft,
      random: options.random,
      logger: options.logger,
      recovered: dataDir.recovered,
      nowMs: options.nowMs,
      bugs: hashicorpBugsOf(options.init.bugs),
    });
    this.requests = new HashicorpRequestBook(this.raft, options.settings.pendingRequestsMax, () => this.clockMs);
  }

  /** Opens the data dir and recovers; bootstraps a new cluster's first configuration when it is empty. */
  static async open(options: HashicorpNodeOptions): Promise<Result<HashicorpNode, string>> {
    const { init, fs } = options;
    let opened = await HashicorpDataDir.open(fs, { displayDir: `node ${init.id}`, snapshotsRetained: options.settings.snapshotsRetained });
    if (!opened.ok) return failure(opened.error);
    for (const warning of opened.value.warnings) options.logger.warning(`node ${init.id}: ${warning}`);
    if (!opened.value.hasExistingState && init.bootstrapPeers !== null) {
      await bootstrapCluster(opened.value, init);
      opened = await HashicorpDataDir.open(fs, { displayDir: `node ${init.id}`, snapshotsRetained: options.settings.snapshotsRetained });
      if (!opened.ok) return failure(opened.error);
    }
    const fsm = new KvStateMachine();
    const snapshot = opened.value.recovered.snapshot;
    if (snapshot !== null) {
      const restored = fsm.restore(snapshot.data);
      if (!restored.ok) return failure(`snapshot ${snapshot.meta.index} state: ${restored.error.message}`);
    }
    return success(new HashicorpNode(init.id, opened.value, fsm, options));
  }

  set nowMs(value: number) {
    this.clockMs = value;
  }

  get nowMs(): number {
    return this.clockMs;
  }

  /**
   * Writes `fsm.db/` (the state machine and the index applied to it) atomically; a graceful stop
   * does this, so the offline migration finds the state every acknowledged write reached.
   */
  async saveFsmStore(tempId: number): Promise<FsmState> {
    const raft = this.raft;
    const appliedIndex = raft.lastApplied;
    const atSnapshot = appliedIndex === raft.log.lastSnapshotIndex ? raft.log.lastSnapshotTerm : 0;
    const state: FsmState = { appliedIndex, appliedTerm: raft.log.get(appliedIndex)?.term ?? atSnapshot, data: this.fsm.serialize() };
    await saveFsmStore(this.options.fs, fsmStoreDirName, state, tempId);
    return state;
  }

  /** Handles the engine's output until there is none, then maybe takes a local snapshot. */
  async runOutputs(sink: HashicorpBatchSink): Promise<void> {
    for (let round = 0; ; round++) {
      if (round >= outputRoundsMax) throw new Error(`node ${this.id}: still has output after ${outputRoundsMax} rounds`);
      const output = this.raft.takeOutput();
      if (output.writes.length === 0 && output.messages.length === 0 && output.apply.length === 0 && output.events.length === 0) {
        if (this.shutdown || !(await this.maybeSnapshot())) return;
        continue;
      }
      await this.handle(output, sink);
    }
  }

  private async handle(output: RaftOutput, sink: HashicorpBatchSink): Promise<void> {
    for (const write of output.writes) {
      if (sink.observation !== undefined) observeWriteStart(sink.observation, this, write);
      await this.dataDir.write(write);
      if (write.kind === 'saveSnapshot') this.durableSnapshotIndex = Math.max(this.durableSnapshotIndex, write.meta.index);
      if (sink.observation !== undefined) observeWritten(sink.observation, write);
      const record = persistedRecord(write);
      if (record !== null) sink.persisted.push(record);
    }
    for (const message of output.messages) this.assertDurable(message);
    sink.messages.push(...output.messages);
    for (const item of output.apply) this.apply(item, sink);
    for (const event of output.events) {
      this.requests.event(event);
      if (event.kind === 'shutdown') this.shutdown = true;
    }
  }

  /** A message may promise only what is durable: the reason for the output order. */
  private assertDurable(message: RpcMessage): void {
    const stable = this.dataDir.stable.state;
    // The vote-before-persist bug sends the vote first on purpose; the checkers must catch it.
    if (message.type === 'RequestVoteResponse' && message.granted && !this.raft.bugs.has('vote-before-persist')) {
      if (stable.lastVoteTerm !== message.term || stable.lastVoteCand !== message.to) {
        throw new Error(`node ${this.id}: grants its vote to ${message.to} in term ${message.term} before persisting it`);
      }
    }
    if ('term' in message && stable.currentTerm < message.term) {
      throw new Error(`node ${this.id}: sends term ${message.term} before persisting it`);
    }
    if (message.type === 'AppendEntriesRequest') {
      for (const entry of message.entries) {
        if (!this.dataDir.logs.holds(entry.index, entry.term)) throw new Error(`node ${this.id}: sends entry ${entry.index} before persisting it`);
      }
    }
  }

  private apply(item: ApplyItem, sink: HashicorpBatchSink): void {
    if (item.kind === 'restore') {
      const restored = this.fsm.restore(item.data);
      if (!restored.ok) throw new Error(`node ${this.id}: snapshot ${item.meta.index} state: ${restored.error.message}`);
      this.requests.restored(item.meta.index);
      sink.applied.push({ index: item.meta.index, term: item.meta.term, kind: 'snapshot', detail: `snapshot ${describeConfiguration(item.meta.configuration)}` });
      return;
    }
    sink.applied.push(this.applyEntry(item.entry));
    sink.observation?.applied.push(observeLogEntry(item.entry));
  }

  private applyEntry(entry: LogEntry): AppliedRecord {
    const record: AppliedRecord = { index: entry.index, term: entry.term, kind: 'empty', detail: '' };
    if (entry.type === LogType.Configuration) {
      const decoded = decodeConfiguration(entry.data);
      record.kind = 'conf-change';
      record.detail = decoded.ok ? describeConfiguration(decoded.value) : `undecodable configuration: ${decoded.error.message}`;
      this.requests.applied(entry.index, null, null);
      return record;
    }
    if (entry.type === LogType.Noop) {
      this.requests.applied(entry.index, null, null);
      return record;
    }
    const envelope = decodeProposalEnvelope(entry.data);
    const command = envelope === null ? null : decodeKvCommand(envelope.payload);
    if (envelope === null || command === null || !command.ok) {
      record.detail = 'undecodable command: ignored';
      this.requests.applied(entry.index, null, null);
      return record;
    }
    const requestId = Number(envelope.requestId);
    const outcome = this.fsm.apply(command.value);
    record.kind = 'command';
    record.detail = `${requestId}: ${describeKvCommand(command.value)}`;
    this.requests.applied(entry.index, requestId, outcome);
    return record;
  }

  /** Takes a local snapshot when the threshold is reached; returns whether it did. */
  private async maybeSnapshot(): Promise<boolean> {
    const raft = this.raft;
    const index = raft.lastApplied;
    if (index - raft.log.lastSnapshotIndex < this.options.settings.snapshotThresholdEntries) return false;
    const configuration = raft.snapshotConfiguration();
    const entry = raft.log.get(index);
    if (!configuration.ok || entry === undefined) return false;
    const data = this.fsm.serialize();
    const meta: SnapshotMeta = {
      index,
      term: entry.term,
      configuration: configuration.value.configuration,
      configurationIndex: configuration.value.index,
      size: data.length,
    };
    await this.dataDir.snapshots.create(meta, data);
    this.durableSnapshotIndex = Math.max(this.durableSnapshotIndex, index);
    raft.snapshotSaved(meta, data);
    this.options.logger.info(`node ${this.id} saved a local snapshot at index ${index}`);
    return true;
  }
}

function persistedRecord(write: StoreWrite): PersistedRecord | null {
  switch (write.kind) {
    case 'stable': {
      const { currentTerm, lastVoteTerm, lastVoteCand } = write.state;
      // hashicorp persists no commit index: it is relearned from the leader after a restart.
      return { hardState: { term: currentTerm, vote: lastVoteTerm === currentTerm ? lastVoteCand : 0, commit: 0 }, entries: null, snapshot: null };
    }
    case 'appendLogs': {
      const first = write.entries[0];
      const last = write.entries[write.entries.length - 1];
      return first === undefined ? null : { hardState: null, entries: { first: first.index, last: last.index, term: last.term }, snapshot: null };
    }
    case 'saveSnapshot':
      return { hardState: null, entries: null, snapshot: { index: write.meta.index, term: write.meta.term } };
    default:
      return null;
  }
}

/**
 * hashicorp's BootstrapCluster: the configuration as log entry 1 (term 1), then CurrentTerm 1.
 * The entry goes first: a crash between the two leaves a log, which recovers as a member.
 */
async function bootstrapCluster(dataDir: HashicorpDataDir, init: HashicorpNodeInit): Promise<void> {
  const servers = (init.bootstrapPeers ?? []).map((peer) => ({ suffrage: Suffrage.Voter, id: peer.nodeId, address: peer.address }));
  const entry: LogEntry = { index: 1, term: 1, type: LogType.Configuration, data: encodeConfiguration({ servers }) };
  await dataDir.write({ kind: 'appendLogs', entries: [entry] });
  await dataDir.write({ kind: 'stable', state: { currentTerm: 1, lastVoteTerm: 0, lastVoteCand: 0 } });
}
