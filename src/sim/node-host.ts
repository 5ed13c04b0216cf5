// One simulated node: a RawNode over a MemoryStorage, and the Ready loop that a real host runs.
// The order inside the loop is the contract etcd documents for Ready: persist the snapshot,
// entries and HardState first, only then send messages, then apply committed entries, then
// advance. Sending before persisting could let a node vote twice or lose an acknowledged entry.
import { RawNode } from '../raft/rawnode';
import { MemoryStorage } from '../raft/log/log-storage';
import type { Ready } from '../raft/ready';
import { discardLogger, type Logger } from '../raft/logger';
import type { RandomSource } from '../raft/random';
import {
  MessageType,
  emptyConfState,
  isEmptyHardState,
  isEmptySnapshot,
  type Entry,
  type LogIndex,
  type Message,
  type NodeId,
} from '../raft/types';

/** Rounds of Ready handled after one event before we call it a livelock. */
export const readyRoundsMax = 1_000;

export interface NodeHostOptions {
  id: NodeId;
  /** Every voter of the initial configuration, this node included. */
  voters: NodeId[];
  random: RandomSource;
  logger?: Logger;
}

/** The engine settings every simulated node runs with. */
export const nodeEngineSettings = {
  electionTick: 10,
  heartbeatTick: 1,
  maxSizePerMsg: 1024 * 1024,
  maxInflightMsgs: 256,
  preVote: true,
  checkQuorum: true,
} as const;

export class NodeHost {
  readonly id: NodeId;
  readonly storage: MemoryStorage;
  readonly rawNode: RawNode;
  /** The index of the last entry handed to the state machine. */
  // Invariant: appliedIndex never exceeds the persisted commit index.
  appliedIndex: LogIndex;

  constructor(options: NodeHostOptions) {
    this.id = options.id;
    this.storage = new MemoryStorage();
    // The cluster starts from a configuration snapshot at index 1, term 1, the way a fresh
    // etcd-engine data dir is seeded: every node agrees on the voters before it first ticks.
    this.storage.applySnapshot({
      data: null,
      metadata: {
        confState: { ...emptyConfState(), voters: [...options.voters] },
        index: 1,
        term: 1,
      },
    });
    this.appliedIndex = 1;
    this.rawNode = new RawNode({
      id: options.id,
      storage: this.storage,
      applied: this.appliedIndex,
      random: options.random,
      logger: options.logger ?? discardLogger,
      ...nodeEngineSettings,
    });
  }

  /** Handles every pending Ready; returns the messages to put on the network, in order. */
  handleReadies(): Message[] {
    const outbox: Message[] = [];
    for (let round = 0; this.rawNode.hasReady(); round++) {
      if (round >= readyRoundsMax) {
        throw new Error(`node ${this.id}: still has a Ready after ${readyRoundsMax} rounds`);
      }
      const ready = this.rawNode.ready();
      this.persist(ready);
      for (const message of ready.messages) this.assertPersisted(message);
      outbox.push(...ready.messages);
      this.apply(ready.committedEntries);
      this.rawNode.advance(ready);
    }
    return outbox;
  }

  private persist(ready: Ready): void {
    if (!isEmptySnapshot(ready.snapshot)) {
      this.storage.applySnapshot(ready.snapshot);
      this.appliedIndex = ready.snapshot.metadata.index;
    }
    if (ready.entries.length > 0) this.storage.append(ready.entries);
    if (!isEmptyHardState(ready.hardState)) this.storage.setHardState(ready.hardState);
  }

  /** A message may only promise what the storage already holds: the point of the Ready order. */
  private assertPersisted(message: Message): void {
    const granted = message.type === MessageType.MsgVoteResp && !message.reject;
    if (granted && this.storage.hardState.vote !== message.to) {
      throw new Error(`node ${this.id}: grants its vote to ${message.to} before persisting it`);
    }
    const last = message.entries[message.entries.length - 1];
    if (last !== undefined && this.storage.lastIndex() < last.index) {
      throw new Error(`node ${this.id}: sends entry ${last.index} before persisting it`);
    }
  }

  private apply(entries: Entry[]): void {
    for (const entry of entries) {
      if (entry.index !== this.appliedIndex + 1) {
        throw new Error(
          `node ${this.id}: applying index ${entry.index} after ${this.appliedIndex}`,
        );
      }
      if (entry.index > this.storage.hardState.commit) {
        throw new Error(
          `node ${this.id}: applying index ${entry.index} beyond commit ${this.storage.hardState.commit}`,
        );
      }
      // The first simulator never proposes configuration changes, so applying an entry means
      // only recording that the state machine has seen it.
      this.appliedIndex = entry.index;
    }
  }
}
