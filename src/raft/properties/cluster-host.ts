// A host for a random cluster of RawNodes, as a correct etcd host behaves: each Ready is
// persisted (snapshot, entries, HardState) before its messages leave, committed entries are
// applied in order (conf changes through applyConfChange), and advance() follows. The network is
// a bag of messages that the operations deliver in any order, duplicate or drop. A crash keeps
// only what the MemoryStorage holds; everything else of the node (its RawNode, its state machine,
// its unsent messages) is lost, while what it sent before stays in flight.
import { RawNode } from '../rawnode';
import { MemoryStorage } from '../log/log-storage';
import { seededRandom } from '../random';
import { RaftError } from '../errors';
import { SnapshotStatus, StateType, type Ready } from '../ready';
import { utf8Decode, utf8Encode } from '../bytes';
import {
  marshalConfChange,
  unmarshalConfChange,
  unmarshalConfChangeV2,
} from '../encoding/conf-change';
import { ReadOnlyOption, type Config } from '../config';
import {
  ConfChangeTransition,
  ConfChangeType,
  EntryType,
  MessageType,
  emptyConfState,
  isEmptyHardState,
  isEmptySnapshot,
  type ConfState,
  type Entry,
  type Message,
  type NodeId,
} from '../types';
import { entryRecord, type EntryRecord } from './safety-checker';
import { buildConfChange, type Operation } from './operations';

/** The knobs a run draws once. */
export interface ClusterOptions {
  voterCount: number;
  withLearner: boolean;
  seed: number;
  electionTick: number;
  preVote: boolean;
  checkQuorum: boolean;
  /** 0 sends at most one entry per MsgApp. */
  maxSizePerMsg: number;
  /** Must be positive: etcd defaults it to maxSizePerMsg, and 0 would panic when applying. */
  maxCommittedSizePerReady: number;
  maxInflightMsgs: number;
  /**
   * A deliberately broken host, to show the checker catches what it claims to: `forget-vote`
   * persists the HardState without its vote, so a restarted node may vote twice in a term.
   */
  hostFault?: 'forget-vote' | 'send-before-persist';
  /**
   * Lease-based reads (with CheckQuorum). The nodes' ticks drift freely in a run, and etcd's
   * leader keeps its lease up to two election timeouts (etcd-io/raft#166), so these reads may be
   * stale (thesis 6.4.1): only for showing that the checker notices.
   */
  leaseBasedReads?: boolean;
}

export interface HostNode {
  id: NodeId;
  storage: MemoryStorage;
  rawNode: RawNode;
  /** The state machine: every entry applied, index 1 first. */
  applied: EntryRecord[];
  /** The configuration as of the last applied entry. */
  confState: ConfState;
  restarts: number;
}

/** Node ids stop here: joins beyond it are skipped. */
export const nodeIdMax = 12;
/** Bounds the bag of messages in flight; past it, new messages are dropped as a network would. */
export const inflightMessagesMax = 2_000;
/** deliver-early picks among this many of the oldest messages. */
export const reorderWindow = 8;
/** A stabilize operation gives up after this many flush rounds (heartbeats never stop). */
export const stabilizeRoundsMax = 20;

export class ClusterHost {
  readonly nodes = new Map<NodeId, HostNode>();
  /** Messages in flight, in the order they were sent. */
  network: Message[] = [];
  readonly isolated = new Set<NodeId>();
  private proposals = 0;
  private reads = 0;
  /** What a run did, to show that runs reach the interesting cases. */
  readonly stats = {
    confChangesApplied: 0,
    snapshotsReceived: 0,
    crashes: 0,
    compactions: 0,
    readsAnswered: 0,
  };
  private snapshots = new Map<string, EntryRecord[]>();
  private nextId: NodeId;
  /** Called after a node restarts, with the commit index it had persisted. */
  onRestart: (node: HostNode, commits: { beforeCrash: number; persisted: number }) => void =
    () => {};
  /** Called when a node is asked for a read, with the read's context. */
  onReadRequested: (node: HostNode, context: string) => void = () => {};
  /** Called for every ReadState a Ready hands out. */
  onReadAnswered: (node: HostNode, state: { index: number; context: string }) => void = () => {};
  /** Called when a snapshot replaced a node's state machine. */
  onStateMachineReplaced: (node: HostNode) => void = () => {};

  constructor(readonly options: ClusterOptions) {
    const voters = Array.from({ length: options.voterCount }, (_, i) => i + 1);
    const learners = options.withLearner ? [options.voterCount + 1] : [];
    this.nextId = voters.length + learners.length + 1;
    // Every member starts with the same log: one conf change per member at term 1, all committed,
    // so that a node joining later rebuilds the configuration from the log.
    const bootstrap: Entry[] = [...voters, ...learners].map((id, i) => ({
      term: 1,
      index: i + 1,
      type: EntryType.EntryConfChange,
      data: marshalConfChange({
        type: learners.includes(id)
          ? ConfChangeType.ConfChangeAddLearnerNode
          : ConfChangeType.ConfChangeAddNode,
        nodeId: id,
        context: null,
        id: 0,
      }),
    }));
    for (const id of [...voters, ...learners]) {
      const storage = new MemoryStorage();
      storage.append(bootstrap);
      storage.setHardState({ term: 1, vote: 0, commit: bootstrap.length });
      this.addNode(id, storage);
    }
  }

  private newRawNode(id: NodeId, storage: MemoryStorage, restarts: number): RawNode {
    const config: Config = {
      id,
      electionTick: this.options.electionTick,
      heartbeatTick: 1,
      storage,
      preVote: this.options.preVote,
      checkQuorum: this.options.checkQuorum || this.options.leaseBasedReads === true,
      readOnlyOption:
        this.options.leaseBasedReads === true
          ? ReadOnlyOption.ReadOnlyLeaseBased
          : ReadOnlyOption.ReadOnlySafe,
      maxSizePerMsg: this.options.maxSizePerMsg,
      maxCommittedSizePerReady: this.options.maxCommittedSizePerReady,
      maxInflightMsgs: this.options.maxInflightMsgs,
      random: seededRandom(this.options.seed * 1009 + id * 101 + restarts),
    };
    return new RawNode(config);
  }

  private addNode(id: NodeId, storage: MemoryStorage): HostNode {
    const node: HostNode = {
      id,
      storage,
      rawNode: this.newRawNode(id, storage, 0),
      applied: [],
      confState: emptyConfState(),
      restarts: 0,
    };
    this.nodes.set(id, node);
    return node;
  }

  /** The nodes in id order; `pick` chooses one modulo their count. */
  pickNode(pick: number): HostNode {
    const ids = [...this.nodes.keys()].sort((a, b) => a - b);
    return this.nodes.get(ids[pick % ids.length])!;
  }

  /** The leader of the highest term, if any node believes it leads. */
  leader(): HostNode | null {
    let best: HostNode | null = null;
    for (const node of this.nodes.values()) {
      const r = node.rawNode.raft;
      if (r.state !== StateType.StateLeader) continue;
      if (best === null || r.term > best.rawNode.raft.term) best = node;
    }
    return best;
  }

  run(op: Operation): void {
    switch (op.kind) {
      case 'tick':
        for (let i = 0; i < op.count; i++) this.pickNode(op.node).rawNode.tick();
        return;
      case 'tick-all':
        for (let i = 0; i < op.count; i++)
          for (const node of this.nodes.values()) node.rawNode.tick();
        return;
      case 'ready':
        this.handleReady(this.pickNode(op.node), false);
        return;
      case 'ready-then-crash': {
        const node = this.pickNode(op.node);
        this.handleReady(node, true);
        this.crash(node);
        return;
      }
      case 'flush':
        this.flush();
        return;
      case 'stabilize':
        for (let round = 0; round < stabilizeRoundsMax && this.flush(); round++);
        return;
      case 'deliver':
      case 'deliver-early':
      case 'duplicate':
      case 'drop':
        this.runNetworkOperation(op);
        return;
      case 'propose':
        this.ignoringRaftErrors(() =>
          this.pickNode(op.node).rawNode.propose(utf8Encode(`p${++this.proposals}`)),
        );
        return;
      case 'read': {
        const node = this.pickNode(op.node);
        const context = `r${++this.reads}`;
        this.onReadRequested(node, context);
        node.rawNode.readIndex(utf8Encode(context));
        return;
      }
      case 'campaign':
        this.pickNode(op.node).rawNode.campaign();
        return;
      case 'crash':
        this.crash(this.pickNode(op.node));
        return;
      case 'isolate':
        this.isolated.add(this.pickNode(op.node).id);
        return;
      case 'heal':
        this.isolated.clear();
        return;
      case 'compact':
        this.compact(this.pickNode(op.node));
        return;
      case 'conf-change':
        this.proposeConfChange(op);
        return;
      case 'leave-joint':
        this.leaveJoint();
        return;
    }
  }

  /** Every node handles a Ready, then every message in flight is delivered; false if all was quiet. */
  private flush(): boolean {
    let busy = this.network.length > 0;
    for (const node of [...this.nodes.values()]) busy = this.handleReady(node, false) || busy;
    for (const m of this.network.splice(0)) this.deliver(m);
    return busy;
  }

  private runNetworkOperation(
    op: Extract<Operation, { kind: 'deliver' | 'deliver-early' | 'duplicate' | 'drop' }>,
  ): void {
    if (this.network.length === 0) return;
    const window =
      op.kind === 'deliver-early'
        ? Math.min(this.network.length, reorderWindow)
        : this.network.length;
    const position = op.pick % window;
    const m = this.network[position];
    if (op.kind === 'duplicate') {
      this.send(m);
      return;
    }
    this.network.splice(position, 1);
    if (op.kind !== 'drop') this.deliver(m);
    else this.reportIfSnapshot(m, SnapshotStatus.SnapshotFailure);
  }

  private send(m: Message): void {
    if (this.network.length < inflightMessagesMax) this.network.push(m);
  }

  /** Steps a message into its target; a message to or from an isolated node is lost. */
  private deliver(m: Message): void {
    const target = this.nodes.get(m.to);
    if (target === undefined || this.isolated.has(m.to) || this.isolated.has(m.from)) {
      this.reportIfSnapshot(m, SnapshotStatus.SnapshotFailure);
      return;
    }
    this.ignoringRaftErrors(() => target.rawNode.step(m));
    this.reportIfSnapshot(m, SnapshotStatus.SnapshotFinish);
  }

  /** The sender's transport tells its RawNode how a snapshot fared, as etcd's does. */
  private reportIfSnapshot(m: Message, status: SnapshotStatus): void {
    if (m.type !== MessageType.MsgSnap) return;
    this.nodes.get(m.from)?.rawNode.reportSnapshot(m.to, status);
  }

  private ignoringRaftErrors(action: () => void): void {
    try {
      action();
    } catch (error) {
      if (!(error instanceof RaftError)) throw error;
    }
  }

  /** Persists, sends, applies and advances one Ready; `crashing` stops after persisting. */
  handleReady(node: HostNode, crashing: boolean): boolean {
    if (!node.rawNode.hasReady()) return false;
    const rd = node.rawNode.ready();
    if (crashing && this.options.hostFault === 'send-before-persist') {
      for (const m of rd.messages) this.send(m);
      return true;
    }
    this.persist(node, rd);
    if (crashing) return true;
    for (const state of rd.readStates) {
      this.stats.readsAnswered++;
      this.onReadAnswered(node, { index: state.index, context: utf8Decode(state.requestCtx) });
    }
    for (const m of rd.messages) this.send(m);
    if (!isEmptySnapshot(rd.snapshot)) {
      this.stats.snapshotsReceived++;
      this.restoreStateMachine(node);
    }
    for (const entry of rd.committedEntries) this.apply(node, entry);
    node.rawNode.advance(rd);
    return true;
  }

  private persist(node: HostNode, rd: Ready): void {
    if (!isEmptySnapshot(rd.snapshot)) node.storage.applySnapshot(rd.snapshot);
    node.storage.append(rd.entries);
    if (isEmptyHardState(rd.hardState)) return;
    const vote = this.options.hostFault === 'forget-vote' ? 0 : rd.hardState.vote;
    node.storage.setHardState({ ...rd.hardState, vote });
  }

  /** The state machine becomes the one stored in the node's snapshot. */
  private restoreStateMachine(node: HostNode): void {
    const snapshot = node.storage.snapshotState;
    node.applied = isEmptySnapshot(snapshot) ? [] : this.snapshotContent(snapshot.data).slice();
    node.confState = snapshot.metadata.confState;
    this.onStateMachineReplaced(node);
  }

  private snapshotContent(data: Uint8Array | null): EntryRecord[] {
    const content = data === null ? undefined : this.snapshots.get(utf8Decode(data));
    if (content === undefined) throw new Error('a snapshot this host did not make');
    return content;
  }

  private apply(node: HostNode, entry: Entry): void {
    const last = node.applied.length;
    if (entry.index !== last + 1) {
      throw new Error(`node ${node.id} applies entry ${entry.index} after ${last}`);
    }
    node.applied.push(entryRecord(entry));
    if (entry.type !== EntryType.EntryNormal && entry.term > 1) this.stats.confChangesApplied++;
    if (entry.type === EntryType.EntryConfChange && entry.data !== null) {
      node.confState = node.rawNode.applyConfChange(unmarshalConfChange(entry.data));
    } else if (entry.type === EntryType.EntryConfChangeV2) {
      const cc =
        entry.data === null
          ? {
              transition: ConfChangeTransition.ConfChangeTransitionAuto,
              changes: [],
              context: null,
            }
          : unmarshalConfChangeV2(entry.data);
      node.confState = node.rawNode.applyConfChange(cc);
    }
  }

  /** Restarts the node from its storage alone. */
  crash(node: HostNode): void {
    const beforeCrash = node.rawNode.raft.raftLog.committed;
    this.stats.crashes++;
    node.restarts++;
    node.rawNode = this.newRawNode(node.id, node.storage, node.restarts);
    this.restoreStateMachine(node);
    this.onRestart(node, { beforeCrash, persisted: node.storage.hardState.commit });
  }

  private compact(node: HostNode): void {
    const appliedIndex = node.applied.length;
    if (appliedIndex <= node.storage.snapshotState.metadata.index) return;
    const name = `s${this.snapshots.size + 1}`;
    this.snapshots.set(name, node.applied.slice());
    node.storage.createSnapshot(appliedIndex, node.confState, utf8Encode(name));
    node.storage.compact(appliedIndex);
    this.stats.compactions++;
  }

  private proposeConfChange(op: Extract<Operation, { kind: 'conf-change' }>): void {
    const leader = this.leader();
    if (leader === null) return;
    const built = buildConfChange(op, {
      confState: leader.rawNode.raft.trk.confState(),
      freshId: this.nextId,
    });
    if (built === null) return;
    if (built.joining !== null) {
      if (built.joining > nodeIdMax) return;
      // A joining node starts empty and learns the log (or a snapshot) from the leader.
      this.addNode(built.joining, new MemoryStorage());
      this.nextId++;
    }
    this.ignoringRaftErrors(() => leader.rawNode.proposeConfChange(built.cc));
  }

  private leaveJoint(): void {
    const leader = this.leader();
    if (leader === null) return;
    const cc = {
      transition: ConfChangeTransition.ConfChangeTransitionAuto,
      changes: [],
      context: null,
    };
    this.ignoringRaftErrors(() => leader.rawNode.proposeConfChange(cc));
  }
}
