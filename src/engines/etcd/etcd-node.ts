// One incarnation of an etcd-style node: a RawNode over EtcdStorage, the key-value state machine,
// the peer metadata and the requests it waits on. It lives from a restart to a crash.
//
// The Ready loop keeps etcd's order: persist (await storage.save: the WAL write and its fsync)
// BEFORE releasing the Ready's messages; then restore a received snapshot; then apply committed
// entries (a conf change is applied to Raft, then the peers file and a config snapshot are
// written together under storage.exclusive(), so a snapshot restore cannot land between them);
// then advance. A local snapshot is taken once applied - last snapshot index reaches the
// threshold, one at a time. The apply-before-commit bug (bugs.ts) applies entries as soon as
// they are persisted instead.
import { isRaftBug } from '../../raft/bugs';
import { RawNode } from '../../raft/rawnode';
import { StateType, type Ready } from '../../raft/ready';
import type { Logger } from '../../raft/logger';
import type { RandomSource } from '../../raft/random';
import { asV2, unmarshalConfChange, unmarshalConfChangeV2, type ConfChangeI } from '../../raft/encoding/conf-change';
import { describeConfState } from '../../raft/describe';
import {
  EntryType,
  MessageType,
  isEmptyHardState,
  isEmptySnapshot,
  type ConfState,
  type Entry,
  type LogIndex,
  type Message,
  type NodeId,
  type Snapshot,
} from '../../raft/types';
import { EtcdStorage } from '../../storage/etcd-storage';
import type { FileSystem } from '../../storage/fs/file-system';
import { decodeConfChangeContext, decodeProposalEnvelope, decodeReadContext } from '../../storage/peers/context-codec';
import { failure, success, type Result } from '../../storage/result';
import { decodeKvCommand, describeKvCommand, KvStateMachine } from '../kv-state-machine';
import type { AppliedRecord, NodeInit, PersistedRecord } from './batch';
import type { EtcdHostBug } from './bugs';
import { observeEntry, observeSaveStart, termOrZero, type EtcdObservationSink, type ObservationSink } from './observation';
import { PeerTable, peerFromSpec } from './peer-table';
import { RequestBook } from './request-book';
import type { EtcdHostSettings } from './settings';

/** Ready rounds one batch may take before the host calls it a livelock. */
export const readyRoundsMax = 1_000;

export interface EtcdNodeOptions {
  init: NodeInit;
  settings: EtcdHostSettings;
  fs: FileSystem;
  random: RandomSource;
  logger: Logger;
}

/** Where a batch's outputs are collected. */
export interface BatchSink {
  messages: Message[];
  persisted: PersistedRecord[];
  applied: AppliedRecord[];
  /** Set when the host observes for a simulator (BatchObservation). */
  observation?: EtcdObservationSink;
}

export class EtcdNode {
  readonly rawNode: RawNode;
  readonly requests: RequestBook;
  /** The index of the last entry applied to the state machine. */
  // Invariant: applied <= the durable commit index (but under the apply-before-commit bug), and
  // entries are applied in index order.
  applied: LogIndex;
  lastSnapshotIndex: LogIndex;
  /** Set when the node applied its own removal: it shuts down. */
  removed = false;
  private snapshotInFlight = false;
  /** The apply-before-commit bug switch (off unless NodeInit.bugs names it). */
  private readonly applyBeforeCommit: boolean;

  private constructor(
    readonly id: NodeId,
    readonly storage: EtcdStorage,
    readonly fsm: KvStateMachine,
    readonly peers: PeerTable,
    private readonly options: EtcdNodeOptions,
  ) {
    const snapshotIndex = storage.storage.snapshot().metadata.index;
    this.applied = snapshotIndex;
    this.lastSnapshotIndex = snapshotIndex;
    const { settings } = options;
    this.rawNode = new RawNode({
      id,
      storage: storage.storage,
      applied: snapshotIndex,
      electionTick: settings.electionTicks,
      heartbeatTick: settings.heartbeatTicks,
      maxSizePerMsg: settings.maxSizePerMsg,
      maxInflightMsgs: settings.maxInflightMsgs,
      checkQuorum: settings.checkQuorum,
      preVote: settings.preVote,
      readOnlyOption: settings.readOnlyOption,
      logger: options.logger,
      random: options.random,
      // The simulator's bug switches that live in the engine core (src/raft/bugs.ts), off unless named.
      bugs: new Set((options.init.bugs ?? []).filter(isRaftBug)),
    });
    this.requests = new RequestBook(this.rawNode, settings);
    this.applyBeforeCommit = (options.init.bugs ?? []).includes('apply-before-commit' satisfies EtcdHostBug);
  }

  /** Opens the data dir, bootstrapping a new cluster member when it is empty. */
  static async open(options: EtcdNodeOptions): Promise<Result<EtcdNode, string>> {
    const { init, fs, logger } = options;
    const opened = await EtcdStorage.open(fs, {
      displayDir: `node ${init.id}`,
      segmentBytesMax: options.settings.walSegmentBytesMax,
      logger,
    });
    if (!opened.ok) return failure(opened.error.message);
    const storage = opened.value;
    const loaded = await storage.loadPeers();
    if (!loaded.ok) return failure(`etcd-raft-peers.bin: ${loaded.error.message}`);
    const fsm = new KvStateMachine();
    const memory = storage.storage;
    const isEmpty = memory.lastIndex() === 0 && isEmptyHardState(memory.hardState);
    let peers: PeerTable;
    if (isEmpty && init.bootstrapPeers !== null) {
      peers = await bootstrap(storage, init, fsm);
    } else if (loaded.value !== null) {
      peers = PeerTable.from(loaded.value);
    } else {
      peers = PeerTable.from({ index: 0n, peers: [] });
      const snapshot = memory.snapshot();
      if (!isEmpty) {
        logger.warning(`node ${init.id}: no etcd-raft-peers.bin; placeholder peers from the snapshot's configuration`);
        peers.applySnapshot(snapshot.metadata.index, snapshot.metadata.confState);
      }
    }
    const data = memory.snapshot().data;
    if (data !== null && data.length > 0) {
      const restored = fsm.restore(data);
      if (!restored.ok) return failure(`snapshot state machine data: ${restored.error.message}`);
    }
    return success(new EtcdNode(init.id, storage, fsm, peers, options));
  }

  get isLeader(): boolean {
    return this.rawNode.raft.state === StateType.StateLeader;
  }

  /** Handles Readies until none is left (or the node removed itself), then maybe snapshots. */
  async runReadies(sink: BatchSink): Promise<void> {
    for (let round = 0; ; round++) {
      this.requests.maybeProposeConfChange();
      if (this.removed || !this.rawNode.hasReady()) break;
      if (round >= readyRoundsMax) throw new Error(`node ${this.id}: still has a Ready after ${readyRoundsMax} rounds`);
      const ready = this.rawNode.ready();
      await this.persist(ready, sink);
      if (this.applyBeforeCommit) this.applyUncommitted(ready.entries, sink);
      for (const message of ready.messages) this.assertDurable(message);
      sink.messages.push(...ready.messages);
      if (ready.softState !== null && ready.softState.raftState !== StateType.StateLeader) {
        this.requests.failQueuedConfChanges();
      }
      for (const readState of ready.readStates) {
        const requestId = decodeReadContext(readState.requestCtx);
        if (requestId !== null) this.requests.readState(Number(requestId), readState.index);
      }
      if (!isEmptySnapshot(ready.snapshot)) await this.restoreSnapshot(ready.snapshot, sink);
      await this.applyEntries(ready.committedEntries, sink);
      if (this.removed) return;
      this.rawNode.advance(ready);
      this.requests.answerReads(this.applied, (key) => this.fsm.get(key));
    }
    await this.maybeSnapshot();
  }

  private async persist(ready: Ready, sink: BatchSink): Promise<void> {
    const hasHardState = !isEmptyHardState(ready.hardState);
    const hasSnapshot = !isEmptySnapshot(ready.snapshot);
    if (!hasHardState && !hasSnapshot && ready.entries.length === 0) return;
    if (sink.observation !== undefined) observeSaveStart(sink.observation, this.storage.storage, ready);
    await this.storage.save(ready);
    if (sink.observation !== undefined) sink.observation.saveInFlight = null;
    const first = ready.entries[0];
    const last = ready.entries[ready.entries.length - 1];
    if (sink.observation !== undefined && first !== undefined) this.observeAppend(ready.entries, sink.observation);
    sink.persisted.push({
      hardState: hasHardState ? { ...ready.hardState } : null,
      entries: first === undefined ? null : { first: first.index, last: last.index, term: last.term },
      snapshot: hasSnapshot ? { index: ready.snapshot.metadata.index, term: ready.snapshot.metadata.term } : null,
    });
  }

  private observeAppend(entries: Entry[], observation: ObservationSink): void {
    if (observation.appended.length === 0) {
      observation.appendedPrevTerm = termOrZero(this.storage.storage, entries[0].index - 1);
    }
    for (const entry of entries) observation.appended.push(observeEntry(entry));
  }

  /** A message may promise only what is durable: the reason for the Ready order. */
  private assertDurable(message: Message): void {
    const durable = this.storage.storage;
    const voteGranted = (message.type === MessageType.MsgVoteResp) && !message.reject;
    // The vote-before-persist bug sends the vote first on purpose; the checkers must catch it.
    if (voteGranted && durable.hardState.vote !== message.to && !this.rawNode.raft.bugVoteBeforePersist) {
      throw new Error(`node ${this.id}: grants its vote to ${message.to} before persisting it`);
    }
    const last = message.entries[message.entries.length - 1];
    if (message.type === MessageType.MsgApp && last !== undefined && durable.lastIndex() < last.index) {
      throw new Error(`node ${this.id}: sends entry ${last.index} before persisting it`);
    }
  }

  private async restoreSnapshot(snapshot: Snapshot, sink: BatchSink): Promise<void> {
    const { index, term, confState } = snapshot.metadata;
    await this.storage.exclusive(async (access) => {
      const restored = this.fsm.restore(snapshot.data ?? new Uint8Array(0));
      if (!restored.ok) throw new Error(`node ${this.id}: snapshot ${index} data: ${restored.error.message}`);
      if (this.peers.applySnapshot(index, confState)) await access.writeCurrentPeers(this.peers.toPersisted());
    });
    this.applied = index;
    this.lastSnapshotIndex = index;
    this.requests.snapshotApplied(index);
    sink.applied.push({ index, term, kind: 'snapshot', detail: `snapshot ${describeConfState(confState)}` });
  }

  private async applyEntries(entries: Entry[], sink: BatchSink): Promise<void> {
    for (const entry of entries) {
      if (entry.index <= this.applied) continue;
      if (entry.index !== this.applied + 1) {
        throw new Error(`node ${this.id}: applying index ${entry.index} after ${this.applied}`);
      }
      if (entry.type === EntryType.EntryNormal) this.applyNormal(entry, sink);
      else await this.applyConfChange(entry, sink);
      this.applied = entry.index;
      sink.observation?.applied.push(observeEntry(entry));
      if (this.removed) return;
    }
  }

  /**
   * The apply-before-commit bug: the entries this Ready persisted go to the state machine now,
   * and their clients are answered, though no quorum may hold them yet. Those the leader later
   * commits are skipped as applied; ones a new leader overwrites stay applied. A conf change
   * still waits for its commit (and so does everything after it): Raft itself must only ever
   * apply a committed one, so the mistake stays the host's.
   */
  private applyUncommitted(entries: Entry[], sink: BatchSink): void {
    for (const entry of entries) {
      if (entry.index <= this.applied) continue;
      if (entry.index !== this.applied + 1 || entry.type !== EntryType.EntryNormal) return;
      this.applyNormal(entry, sink);
      this.applied = entry.index;
      sink.observation?.applied.push(observeEntry(entry));
    }
  }

  private applyNormal(entry: Entry, sink: BatchSink): void {
    const record: AppliedRecord = { index: entry.index, term: entry.term, kind: 'empty', detail: '' };
    const envelope = entry.data === null || entry.data.length === 0 ? null : decodeProposalEnvelope(entry.data);
    if (envelope === null) {
      if (entry.data !== null && entry.data.length > 0) record.detail = 'not a proposal envelope: ignored';
      this.requests.appliedEntry(entry.index, null, null);
    } else {
      const command = decodeKvCommand(envelope.payload);
      const requestId = Number(envelope.requestId);
      if (command.ok) {
        const outcome = this.fsm.apply(command.value);
        record.kind = 'command';
        record.detail = `${requestId}: ${describeKvCommand(command.value)}`;
        this.requests.appliedEntry(entry.index, requestId, outcome);
      } else {
        record.detail = `${requestId}: undecodable command (${command.error.message}): ignored`;
        this.requests.appliedEntry(entry.index, null, null);
      }
    }
    sink.applied.push(record);
  }

  private async applyConfChange(entry: Entry, sink: BatchSink): Promise<void> {
    const data = entry.data ?? new Uint8Array(0);
    const cc: ConfChangeI =
      entry.type === EntryType.EntryConfChange ? unmarshalConfChange(data) : unmarshalConfChangeV2(data);
    const v2 = asV2(cc);
    const confState = this.rawNode.applyConfChange(cc);
    await this.saveConfigSnapshot(entry.index, v2.changes.length === 0 ? null : v2, confState);
    const context = v2.context === null ? null : decodeConfChangeContext(v2.context);
    this.requests.appliedConfChange(entry.index, context === null ? null : Number(context.requestId));
    const detail = `${v2.changes.map((c) => `${['add', 'remove', 'update', 'add-learner'][c.type]} ${c.nodeId}`).join(', ') || 'leave joint'} -> ${describeConfState(confState)}`;
    sink.applied.push({ index: entry.index, term: entry.term, kind: 'conf-change', detail });
    if (!isMember(this.id, confState)) {
      this.removed = true;
      this.options.logger.info(`node ${this.id} applied its own removal at index ${entry.index}; shutting down`);
    }
  }

  /** The peers file and a config snapshot, written under one lock (elastickv's fix of a race). */
  private async saveConfigSnapshot(index: LogIndex, cc: ReturnType<typeof asV2> | null, confState: ConfState): Promise<void> {
    const changed = cc === null ? this.peers.applySnapshot(index, confState) : this.peers.applyConfChange(index, cc);
    const data = this.fsm.serialize();
    const memory = this.storage.storage;
    await this.storage.exclusive(async (access) => {
      if (changed) await access.writeCurrentPeers(this.peers.toPersisted());
      if (index <= memory.snapshot().metadata.index) return;
      const snapshot = memory.createSnapshot(index, confState, data);
      await access.saveSnapshotFile(snapshot);
    });
    this.lastSnapshotIndex = Math.max(this.lastSnapshotIndex, index);
  }

  private async maybeSnapshot(): Promise<void> {
    const { snapshotThresholdEntries, snapshotCatchUpEntries } = this.options.settings;
    if (this.removed || this.snapshotInFlight) return;
    // Only the apply-before-commit bug applies past the commit; a snapshot there could even lie
    // past a truncated log, which Raft refuses: wait until the commit catches up.
    if (this.applied > this.rawNode.raft.raftLog.committed) return;
    if (this.applied - this.lastSnapshotIndex < snapshotThresholdEntries) return;
    this.snapshotInFlight = true;
    try {
      const index = this.applied;
      await this.storage.createSnapshot(index, this.rawNode.raft.trk.confState(), this.fsm.serialize());
      this.lastSnapshotIndex = index;
      this.options.logger.info(`node ${this.id} saved a local snapshot at index ${index}`);
      const compactIndex = index - snapshotCatchUpEntries;
      if (compactIndex >= this.storage.storage.firstIndex()) {
        await this.storage.compact(compactIndex);
        this.options.logger.info(`node ${this.id} compacted its log up to index ${compactIndex}`);
      }
    } finally {
      this.snapshotInFlight = false;
    }
  }
}

function isMember(id: NodeId, confState: ConfState): boolean {
  return [confState.voters, confState.votersOutgoing, confState.learners, confState.learnersNext].some((ids) =>
    ids.includes(id),
  );
}

/**
 * Seeds an empty data dir as elastickv's migrator seeds one: the peers file at index 1, then a
 * snapshot at index 1, term 1 naming the voters with the empty state machine, and
 * HardState{term 1, commit 1}. The peers file comes first: a crash between the two leaves an
 * empty log, and the next restart bootstraps again.
 */
async function bootstrap(storage: EtcdStorage, init: NodeInit, fsm: KvStateMachine): Promise<PeerTable> {
  const specs = init.bootstrapPeers ?? [];
  const peers = PeerTable.from({ index: 1n, peers: specs.map(peerFromSpec) });
  const saved = await storage.savePeers(peers.toPersisted());
  if (!saved.ok) throw new Error(`node ${init.id}: etcd-raft-peers.bin: ${saved.error.message}`);
  const voters = specs.map((spec) => spec.nodeId).sort((a, b) => a - b);
  await storage.save({
    hardState: { term: 1, vote: 0, commit: 1 },
    entries: [],
    snapshot: {
      data: fsm.serialize(),
      metadata: { index: 1, term: 1, confState: { voters, learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false } },
    },
  });
  return peers;
}
