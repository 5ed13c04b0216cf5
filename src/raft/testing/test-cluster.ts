// A small in-memory cluster of RawNodes for engine tests: it runs the Ready loop as a correct host
// does (persist, then send, then apply, then advance) and delivers messages in FIFO order, with
// hooks to drop messages and cut nodes off.
import { RawNode } from '../rawnode';
import { MemoryStorage } from '../log/log-storage';
import { seededRandom } from '../random';
import type { Config } from '../config';
import type { ReadState } from '../ready';
import {
  ConfChangeTransition,
  EntryType,
  isEmptyHardState,
  isEmptySnapshot,
  type ConfState,
  type Entry,
  type HardState,
  type Message,
  type NodeId,
} from '../types';
import { unmarshalConfChange, unmarshalConfChangeV2 } from '../encoding/conf-change';
import { RaftError } from '../errors';
import { utf8Encode } from '../bytes';

export interface TestNode {
  id: NodeId;
  storage: MemoryStorage;
  rawNode: RawNode;
  applied: Entry[];
  /** Every ReadState the node's Readies handed out, in order. */
  readStates: ReadState[];
}

export interface TestClusterOptions {
  ids: NodeId[];
  /** Voters of the initial configuration; defaults to ids. */
  voters?: NodeId[];
  config?: Partial<Config>;
  /** Per-node initial log (after index 0) and hard state. */
  initialLogs?: Record<number, { entries: Entry[]; hardState?: HardState }>;
  seed?: number;
}

/** Bounds every stabilize loop: a correct cluster goes quiet long before this. */
export const stabilizeRoundsMax = 10_000;

export class TestCluster {
  readonly nodes = new Map<NodeId, TestNode>();
  private queue: Message[] = [];
  private readonly isolated = new Set<NodeId>();
  /** Returns true for a message to drop. */
  dropFilter: (m: Message) => boolean = () => false;
  /** Every message sent, in order, for assertions. */
  readonly sent: Message[] = [];

  constructor(options: TestClusterOptions) {
    const voters = options.voters ?? options.ids;
    for (const id of options.ids) {
      const storage = new MemoryStorage();
      const confState: ConfState = {
        voters,
        learners: [],
        votersOutgoing: [],
        learnersNext: [],
        autoLeave: false,
      };
      // As etcd's tests do: the initial configuration sits in the (empty) snapshot's ConfState.
      storage.snapshotState.metadata.confState = confState;
      const initial = options.initialLogs?.[id];
      if (initial !== undefined) {
        storage.append(initial.entries);
        if (initial.hardState !== undefined) storage.setHardState(initial.hardState);
      }
      const rawNode = new RawNode({
        id,
        electionTick: 10,
        heartbeatTick: 1,
        storage,
        maxSizePerMsg: Number.POSITIVE_INFINITY,
        maxInflightMsgs: 256,
        random: seededRandom((options.seed ?? 1) * 1000 + id),
        ...options.config,
      });
      this.nodes.set(id, { id, storage, rawNode, applied: [], readStates: [] });
    }
  }

  node(id: NodeId): TestNode {
    const node = this.nodes.get(id);
    if (node === undefined) throw new Error(`no node ${id}`);
    return node;
  }

  isolate(id: NodeId): void {
    this.isolated.add(id);
  }

  heal(): void {
    this.isolated.clear();
  }

  /** Handles every node's Ready once, queueing their messages. Returns whether any had one. */
  processReadies(): boolean {
    let any = false;
    for (const node of this.nodes.values()) {
      if (!node.rawNode.hasReady()) continue;
      any = true;
      const rd = node.rawNode.ready();
      if (!isEmptySnapshot(rd.snapshot)) node.storage.applySnapshot(rd.snapshot);
      node.storage.append(rd.entries);
      if (!isEmptyHardState(rd.hardState)) node.storage.setHardState(rd.hardState);
      node.readStates.push(...rd.readStates);
      for (const m of rd.messages) {
        this.sent.push(m);
        this.queue.push(m);
      }
      for (const entry of rd.committedEntries) this.apply(node, entry);
      node.rawNode.advance(rd);
    }
    return any;
  }

  private apply(node: TestNode, entry: Entry): void {
    node.applied.push(entry);
    if (entry.type === EntryType.EntryConfChange && entry.data !== null) {
      node.rawNode.applyConfChange(unmarshalConfChange(entry.data));
    } else if (entry.type === EntryType.EntryConfChangeV2) {
      const cc =
        entry.data === null
          ? { transition: ConfChangeTransition.ConfChangeTransitionAuto, changes: [], context: null }
          : unmarshalConfChangeV2(entry.data);
      node.rawNode.applyConfChange(cc);
    }
  }

  /** Delivers every queued message (dropping filtered and isolated ones). */
  deliverAll(): number {
    const batch = this.queue;
    this.queue = [];
    let delivered = 0;
    for (const m of batch) {
      if (this.isolated.has(m.from) || this.isolated.has(m.to) || this.dropFilter(m)) continue;
      const target = this.nodes.get(m.to);
      if (target === undefined) continue;
      try {
        target.rawNode.step(m);
      } catch (error) {
        if (!(error instanceof RaftError)) throw error;
      }
      delivered++;
    }
    return delivered;
  }

  /** Runs Ready handling and delivery until the cluster is quiet. */
  stabilize(): void {
    for (let round = 0; round < stabilizeRoundsMax; round++) {
      const hadReady = this.processReadies();
      const delivered = this.deliverAll();
      if (!hadReady && delivered === 0 && this.queue.length === 0) return;
    }
    throw new Error(`cluster did not stabilize within ${stabilizeRoundsMax} rounds`);
  }

  tickAll(times = 1): void {
    for (let i = 0; i < times; i++) {
      for (const node of this.nodes.values()) node.rawNode.tick();
    }
  }

  leaders(): NodeId[] {
    return [...this.nodes.values()]
      .filter((node) => node.rawNode.raft.state === 2)
      .map((node) => node.id);
  }
}

export function entry(index: number, term: number, text?: string): Entry {
  return {
    index,
    term,
    type: EntryType.EntryNormal,
    data: text === undefined ? null : utf8Encode(text),
  };
}
