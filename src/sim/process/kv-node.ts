// One simulated server: a RawNode over a MemoryStorage, the Ready loop, and the key-value state
// machine. The storage is the node's disk: the Ready loop writes entries, HardState and snapshots
// to it before sending, so a crash keeps exactly the storage and loses everything else (the
// RawNode, the applied state machine, requests in progress). A restart builds a new RawNode over
// the same storage and re-applies the committed log from the snapshot.
import { ReadOnlyOption } from '../../raft/config';
import { errProposalDropped, errStepPeerNotFound } from '../../raft/errors';
import { discardLogger, type Logger } from '../../raft/logger';
import { MemoryStorage } from '../../raft/log/log-storage';
import { RawNode } from '../../raft/rawnode';
import { SnapshotStatus, type Ready } from '../../raft/ready';
import type { RandomSource } from '../../raft/random';
import {
  unmarshalConfChange,
  unmarshalConfChangeV2,
  type ConfChangeI,
} from '../../raft/encoding/conf-change';
import {
  EntryType,
  MessageType,
  emptyConfState,
  isEmptyHardState,
  isEmptySnapshot,
  type Entry,
  type LogIndex,
  type Message,
  type NodeId,
} from '../../raft/types';
import { entryDataHash, type EntryView, type NodeView } from '../../checker/invariants/node-view';
import { raftBugsOf, type BugName } from '../bugs';
import { nodeEngineSettings, readyRoundsMax } from '../node-host';
import { roleOf } from '../node-snapshot';
import {
  KvStore,
  decodeProposal,
  decodeReadIndexContext,
  encodeProposal,
  encodeReadIndexContext,
  type KvCommand,
  type KvResult,
} from '../workload/kv-codec';

export type ReadMode = 'index' | 'lease' | 'log';
export const readModes: readonly ReadMode[] = ['index', 'lease', 'log'];

export interface ClientRequest {
  requestId: number;
  command: KvCommand;
}

export type NodeReply =
  | { requestId: number; kind: 'ok'; result: KvResult }
  /** Not the leader: nothing was proposed; `leader` is the node's best guess (0: unknown). */
  | { requestId: number; kind: 'redirect'; leader: NodeId };

/** Requests a node tracks at once; beyond it new ones are refused like a full queue. */
export const pendingRequestsMax = 10_000;

export interface KvNodeOptions {
  id: NodeId;
  voters: NodeId[];
  random: RandomSource;
  readMode: ReadMode;
  /** The node's own clock (it drifts, and runs on through pauses); lease reads measure with it. */
  localClockMs?: () => number;
  /**
   * The same clock as an object (preferred by the Simulation: objects can be cloned, closures
   * cannot); consulted before localClockMs.
   */
  clock?: LocalClock;
  /** The engine's logger (default: discard). */
  logger?: Logger;
  tickMs?: number;
  /** Overrides the engine's maxSizePerMsg (0: one entry per append). */
  maxSizePerMsg?: number;
  /** Override the engine's heartbeatTick and electionTick (default nodeEngineSettings's). */
  heartbeatTick?: number;
  electionTick?: number;
  bugs?: readonly BugName[];
}

/**
 * The clock drift lease reads allow for, in parts per million: a lease lasts
 * (electionTick - 1) ticks scaled by (1 - bound) / (1 + bound), so it ends before any follower
 * that acknowledged it could vote for another leader, as long as no clock drifts further.
 */
export const leaseDriftBoundPpm = 250_000;

export function leaseDurationMs(
  tickMs: number,
  electionTick: number = nodeEngineSettings.electionTick,
): number {
  const ticks = electionTick - 1;
  return Math.floor(
    (ticks * tickMs * (1_000_000 - leaseDriftBoundPpm)) / (1_000_000 + leaseDriftBoundPpm),
  );
}

/** Reads a node's own (drifting) clock. */
export interface LocalClock {
  localClockMs(node: NodeId): number;
}

/**
 * Each node's termAt function for its views, made once per node (views are built after every
 * event). Kept outside the node so that a node holds no closure and can be deep-cloned.
 */
const termAtFunctions = new WeakMap<KvNode, (index: LogIndex) => number | undefined>();

export class KvNode {
  readonly id: NodeId;
  /** The node's disk; survives crashes. */
  readonly storage = new MemoryStorage();
  private rawNode: RawNode | null = null;
  private kv = new KvStore();
  private appliedIndex: LogIndex = 0;
  private readonly pending = new Map<number, KvCommand>();
  private readonly readsWaiting: { requestId: number; index: LogIndex }[] = [];
  /** Observations for the invariants, reset by takeView(). */
  private appended: EntryView[] = [];
  private appendedPrevTerm = 0;
  private appliedEntries: EntryView[] = [];
  private restarted = false;
  private readonly applyBeforeCommit: boolean;
  private readonly voteBeforePersist: boolean;
  /** Lease reads with the clock bound (lease mode without the lease-no-clock-bound bug). */
  private readonly boundedLease: boolean;
  /** ReadIndex rounds that renew the lease: request id -> local clock and term at issue. */
  private readonly leaseRenewals = new Map<number, { atMs: number; term: number }>();
  private leaseStartMs = Number.NEGATIVE_INFINITY;
  private leaseTerm = 0;
  /** Counts crashes; events scheduled for an older incarnation are stale. */
  incarnation = 0;
  /**
   * Whether the node may look different from its last takeView(): set by a handled Ready that
   * changes what a view shows (readyChangesView), a crash, a restart or a transport report;
   * cleared by takeView(). A Ready carries every change of the engine's role, leader, term,
   * vote and commit (RawNode builds its soft and hard state exactly when those changed) and
   * everything persisted or applied; one with only messages or read states (a heartbeat and
   * its response) leaves the last view true.
   */
  viewStale = true;
  pausedUntilMs = 0;

  constructor(private readonly options: KvNodeOptions) {
    this.id = options.id;
    const bugs = options.bugs ?? [];
    this.applyBeforeCommit = bugs.includes('apply-before-commit');
    this.voteBeforePersist = bugs.includes('vote-before-persist');
    this.boundedLease = options.readMode === 'lease' && !bugs.includes('lease-no-clock-bound');
    // Like a fresh etcd-engine data dir: a configuration snapshot at index 1, term 1.
    this.storage.applySnapshot({
      data: null,
      metadata: {
        confState: { ...emptyConfState(), voters: [...options.voters] },
        index: 1,
        term: 1,
      },
    });
    this.start();
  }

  get up(): boolean {
    return this.rawNode !== null;
  }

  get raw(): RawNode {
    if (this.rawNode === null) throw new Error(`node ${this.id} is down`);
    return this.rawNode;
  }

  crash(): void {
    if (!this.up) throw new Error(`node ${this.id} is already down`);
    this.rawNode = null;
    this.kv = new KvStore();
    this.pending.clear();
    this.readsWaiting.length = 0;
    this.leaseRenewals.clear();
    this.leaseStartMs = Number.NEGATIVE_INFINITY;
    this.incarnation++;
    this.viewStale = true;
  }

  restart(): void {
    if (this.up) throw new Error(`node ${this.id} is already up`);
    this.start();
    this.restarted = true;
    this.viewStale = true;
  }

  private start(): void {
    this.appliedIndex = this.storage.firstIndex() - 1;
    this.rawNode = new RawNode({
      id: this.id,
      storage: this.storage,
      applied: this.appliedIndex,
      random: this.options.random,
      logger: this.options.logger ?? discardLogger,
      ...nodeEngineSettings,
      maxSizePerMsg: this.options.maxSizePerMsg ?? nodeEngineSettings.maxSizePerMsg,
      heartbeatTick: this.options.heartbeatTick ?? nodeEngineSettings.heartbeatTick,
      electionTick: this.options.electionTick ?? nodeEngineSettings.electionTick,
      // A bounded lease is kept by the host, renewed by ReadIndex rounds; only the bug leaves
      // lease reads to the engine's CheckQuorum-based leadership.
      readOnlyOption:
        this.options.readMode === 'lease' && !this.boundedLease
          ? ReadOnlyOption.ReadOnlyLeaseBased
          : ReadOnlyOption.ReadOnlySafe,
      bugs: raftBugsOf(this.options.bugs ?? []),
    });
  }

  tick(): Message[] {
    this.raw.tick();
    return this.handleReadies().messages;
  }

  /** Steps a message in; the errors a real transport ignores are ignored here too. */
  receive(message: Message): { messages: Message[]; replies: NodeReply[] } {
    try {
      this.raw.step(message);
    } catch (error) {
      if (error !== errProposalDropped && error !== errStepPeerNotFound) throw error;
    }
    return this.handleReadies();
  }

  /**
   * The transport's word on a snapshot this node sent, as etcd's host must give it: without a
   * report, a leader whose MsgSnap was lost waits in StateSnapshot forever.
   */
  reportSnapshotSent(peer: NodeId, delivered: boolean): void {
    if (!this.up) return;
    this.viewStale = true;
    this.raw.reportSnapshot(
      peer,
      delivered ? SnapshotStatus.SnapshotFinish : SnapshotStatus.SnapshotFailure,
    );
  }

  /** Tells the engine every peer was unreachable (a healed partition's reconnect). */
  reportPeersUnreachable(): void {
    if (!this.up) return;
    this.viewStale = true;
    for (const peer of this.options.voters) if (peer !== this.id) this.raw.reportUnreachable(peer);
  }

  /** A client request arrives; replies may come at once (redirects) or in later Readies. */
  request(request: ClientRequest): { messages: Message[]; replies: NodeReply[] } {
    const raft = this.raw.raft;
    if (roleOf(raft.state) !== 'leader' || this.pending.size >= pendingRequestsMax) {
      return {
        messages: [],
        replies: [{ requestId: request.requestId, kind: 'redirect', leader: raft.lead }],
      };
    }
    this.pending.set(request.requestId, request.command);
    if (request.command.f === 'get' && this.boundedLease && this.leaseHeld()) {
      // Within the lease no other leader can exist: read at our commit index, no quorum round.
      this.readsWaiting.push({ requestId: request.requestId, index: raft.raftLog.committed });
    } else if (request.command.f === 'get' && this.options.readMode !== 'log') {
      if (this.boundedLease) {
        if (this.leaseRenewals.size >= pendingRequestsMax) this.leaseRenewals.clear();
        this.leaseRenewals.set(request.requestId, { atMs: this.localClockMs(), term: raft.term });
      }
      this.raw.readIndex(encodeReadIndexContext(request.requestId));
    } else {
      try {
        this.raw.propose(encodeProposal(request));
      } catch (error) {
        if (error !== errProposalDropped) throw error;
        this.pending.delete(request.requestId);
        return {
          messages: [],
          replies: [{ requestId: request.requestId, kind: 'redirect', leader: raft.lead }],
        };
      }
    }
    return this.handleReadies();
  }

  /** Handles every pending Ready in etcd's order: persist, send, apply, advance. */
  private handleReadies(): { messages: Message[]; replies: NodeReply[] } {
    // Most ticks have no Ready: answer with one shared, frozen nothing.
    if (!this.raw.hasReady()) return noWork;
    let messages: Message[] | null = null;
    const replies: NodeReply[] = [];
    const raw = this.raw;
    for (let round = 0; raw.hasReady(); round++) {
      if (round >= readyRoundsMax)
        throw new Error(`node ${this.id}: still has a Ready after ${readyRoundsMax} rounds`);
      const ready = raw.ready();
      if (readyChangesView(ready)) this.viewStale = true;
      this.persist(ready);
      for (const message of ready.messages) this.assertPersisted(message);
      // The first Ready's array is the engine's, handed over (it starts a fresh one): no copy.
      if (messages === null) messages = ready.messages;
      else messages.push(...ready.messages);
      if (this.earlyReplies.length > 0) replies.push(...this.earlyReplies.splice(0));
      this.apply(ready.committedEntries, replies);
      for (const state of ready.readStates) {
        const decoded = decodeReadIndexContext(state.requestCtx);
        if (!decoded.ok)
          throw new Error(`node ${this.id}: bad read index context: ${decoded.error}`);
        this.readsWaiting.push({ requestId: decoded.value, index: state.index });
        this.renewLease(decoded.value);
      }
      this.serveReads(replies);
      raw.advance(ready);
    }
    return { messages: messages ?? [], replies };
  }

  private localClockMs(): number {
    if (this.options.clock !== undefined) return this.options.clock.localClockMs(this.id);
    const clock = this.options.localClockMs;
    if (clock === undefined) throw new Error(`node ${this.id}: lease reads need a local clock`);
    return clock();
  }

  /**
   * A quorum acknowledged heartbeats sent after the renewal was issued, so each of those
   * followers refuses votes for an election timeout of its own clock from then on.
   */
  private renewLease(requestId: number): void {
    const renewal = this.leaseRenewals.get(requestId);
    if (renewal === undefined) return;
    this.leaseRenewals.delete(requestId);
    if (renewal.term !== this.raw.raft.term) return;
    if (renewal.term !== this.leaseTerm || renewal.atMs > this.leaseStartMs) {
      this.leaseTerm = renewal.term;
      this.leaseStartMs = renewal.atMs;
    }
  }

  /** Whether this leader's lease (in its own clock) still runs, and it committed in its term. */
  private leaseHeld(): boolean {
    const raft = this.raw.raft;
    if (this.leaseTerm !== raft.term || roleOf(raft.state) !== 'leader') return false;
    if (this.termAt(raft.raftLog.committed) !== raft.term) return false;
    const elapsedMs = this.localClockMs() - this.leaseStartMs;
    return elapsedMs < leaseDurationMs(this.options.tickMs ?? 10, this.options.electionTick);
  }

  private persist(ready: Ready): void {
    if (!isEmptySnapshot(ready.snapshot)) {
      this.storage.applySnapshot(ready.snapshot);
      this.appliedIndex = ready.snapshot.metadata.index;
    }
    if (ready.entries.length > 0) {
      const first = ready.entries[0].index;
      if (this.appended.length === 0) this.appendedPrevTerm = this.termAt(first - 1) ?? 0;
      this.storage.append(ready.entries);
      for (const entry of ready.entries) this.appended.push(entryView(entry));
      if (this.applyBeforeCommit) this.applyUncommitted(ready.entries);
    }
    if (!isEmptyHardState(ready.hardState)) this.storage.setHardState(ready.hardState);
  }

  /** A message may only promise what the storage already holds: the point of the Ready order. */
  private assertPersisted(message: Message): void {
    const granted = message.type === MessageType.MsgVoteResp && !message.reject;
    // With the vote-before-persist bug this is the very mistake: let it through, for the
    // checkers (not this assertion) to catch.
    if (granted && this.storage.hardState.vote !== message.to && !this.voteBeforePersist) {
      throw new Error(`node ${this.id}: grants its vote to ${message.to} before persisting it`);
    }
    // Read the last entry only when there is one: an index past an array's end is a slow load.
    const entries = message.entries;
    if (
      entries.length > 0 &&
      message.type === MessageType.MsgApp &&
      this.storage.lastIndex() < entries[entries.length - 1].index
    ) {
      const last = entries[entries.length - 1].index;
      throw new Error(`node ${this.id}: sends entry ${last} before persisting it`);
    }
  }

  /** The apply-before-commit bug: entries are applied (and answered) once they are in the log. */
  private applyUncommitted(entries: Entry[]): void {
    const fresh = entries.filter((entry) => entry.index > this.appliedIndex);
    if (fresh.length > 0 && fresh[0].index === this.appliedIndex + 1)
      this.apply(fresh, this.earlyReplies);
  }

  /** Replies produced while persisting (the apply-before-commit bug), sent with the Ready's. */
  private earlyReplies: NodeReply[] = [];

  private apply(entries: Entry[], replies: NodeReply[]): void {
    if (this.applyBeforeCommit)
      entries = entries.filter((entry) => entry.index > this.appliedIndex);
    for (const entry of entries) {
      if (entry.index !== this.appliedIndex + 1) {
        throw new Error(
          `node ${this.id}: applying index ${entry.index} after ${this.appliedIndex}`,
        );
      }
      this.appliedIndex = entry.index;
      this.appliedEntries.push(entryView(entry));
      if (entry.type !== EntryType.EntryNormal) {
        this.applyConfChangeEntry(entry);
        continue;
      }
      if (entry.data === null || entry.data.length === 0) continue;
      const decoded = decodeProposal(entry.data);
      if (!decoded.ok)
        throw new Error(`node ${this.id}: entry ${entry.index} is not a command: ${decoded.error}`);
      const result = this.kv.apply(decoded.value.command);
      if (this.pending.delete(decoded.value.requestId)) {
        replies.push({ requestId: decoded.value.requestId, kind: 'ok', result });
      }
    }
  }

  /** A committed conf change takes effect when applied, as etcd's hosts do it. */
  private applyConfChangeEntry(entry: Entry): void {
    const data = entry.data ?? new Uint8Array(0);
    const change: ConfChangeI =
      entry.type === EntryType.EntryConfChange
        ? unmarshalConfChange(data)
        : unmarshalConfChangeV2(data);
    this.raw.applyConfChange(change);
  }

  /** Starts an election now (etcd's Campaign), as if the election timer had fired. */
  campaign(): Message[] {
    this.raw.campaign();
    return this.handleReadies().messages;
  }

  /** Asks this node (a leader, or a follower that forwards it) to hand leadership over. */
  transferLeader(transferee: NodeId): Message[] {
    this.raw.transferLeader(transferee);
    return this.handleReadies().messages;
  }

  /** Proposes a configuration change; false when the engine drops the proposal. */
  proposeConfChange(change: ConfChangeI): { messages: Message[]; dropped: boolean } {
    try {
      this.raw.proposeConfChange(change);
    } catch (error) {
      if (error !== errProposalDropped) throw error;
      return { messages: this.handleReadies().messages, dropped: true };
    }
    return { messages: this.handleReadies().messages, dropped: false };
  }

  private serveReads(replies: NodeReply[]): void {
    while (this.readsWaiting.length > 0 && this.readsWaiting[0].index <= this.appliedIndex) {
      const { requestId } = this.readsWaiting.shift()!;
      const command = this.pending.get(requestId);
      if (command === undefined || command.f !== 'get') continue;
      this.pending.delete(requestId);
      replies.push({
        requestId,
        kind: 'ok',
        result: { f: 'get', value: this.kv.get(command.key) },
      });
    }
  }

  termAt(index: LogIndex): number | undefined {
    if (index < this.storage.firstIndex() - 1 || index > this.storage.lastIndex()) return undefined;
    return this.storage.term(index);
  }

  /** The node as the invariants see it after an event; resets the per-event observations. */
  takeView(): NodeView {
    const view = this.view();
    this.viewStale = false;
    if (this.appended.length > 0) this.appended = [];
    if (this.appliedEntries.length > 0) this.appliedEntries = [];
    this.restarted = false;
    return view;
  }

  /** The node now, leaving the per-event observations in place. */
  view(): NodeView {
    const raft = this.rawNode?.raft;
    const hardState = this.storage.hardState;
    const lastIndex = this.storage.lastIndex();
    return {
      id: this.id,
      up: raft !== undefined,
      restarted: this.restarted,
      role: raft === undefined ? 'follower' : roleOf(raft.state),
      term: raft?.term ?? hardState.term,
      lead: raft?.lead ?? 0,
      commit: raft?.raftLog.committed ?? hardState.commit,
      applied: this.appliedIndex,
      snapshotIndex: this.storage.firstIndex() - 1,
      lastIndex,
      durable: { term: hardState.term, vote: hardState.vote, commit: hardState.commit, lastIndex },
      appended: this.appended,
      appendedPrevTerm: this.appendedPrevTerm,
      appliedEntries: this.appliedEntries,
      termAt: this.termAtFunction(),
    };
  }

  private termAtFunction(): (index: LogIndex) => number | undefined {
    let termAt = termAtFunctions.get(this);
    if (termAt === undefined) {
      termAt = (index) => this.termAt(index);
      termAtFunctions.set(this, termAt);
    }
    return termAt;
  }

  /** The state machine's value for a key (tests and reports). */
  valueOf(key: string): string | null {
    return this.kv.get(key);
  }
}

/** Whether handling the Ready changes anything a NodeView shows (see KvNode.viewStale). */
function readyChangesView(ready: Ready): boolean {
  return (
    ready.softState !== null ||
    !isEmptyHardState(ready.hardState) ||
    ready.entries.length > 0 ||
    !isEmptySnapshot(ready.snapshot) ||
    ready.committedEntries.length > 0
  );
}

/** What handleReadies returns when there was no Ready (frozen: callers only read it). */
const noWork = Object.freeze({
  messages: Object.freeze([]) as unknown as Message[],
  replies: Object.freeze([]) as unknown as NodeReply[],
});

function entryView(entry: Entry): EntryView {
  return { index: entry.index, term: entry.term, dataHash: entryDataHash(entry.type, entry.data) };
}
