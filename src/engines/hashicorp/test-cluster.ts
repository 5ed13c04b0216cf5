// A small deterministic lockstep scheduler for the HashiCorp-style host tests (the etcd host's
// lockstep-cluster pattern, generic over the engine's messages): every round each node gets one
// batch (queued commands, the messages sent to it last round unless dropped or cut, its requests,
// `ticksPerRound` ticks), and the results are read in node order. One seed decides everything.
import { seededRandom, type RandomSource } from '../../raft/random';
import type { NodeId } from '../../raft/types';
import { MemoryBackend } from '../../storage/fs/memory-backend';
import type { ClientRequest, NodeCommand, NodeStatus, PeerSpec, RequestResponse } from '../host-types';
import type { HashicorpAdminRequest, HashicorpBatchResult } from './batch';
import { HashicorpNodeHost } from './node-host';
import type { HashicorpHostSettings } from './settings';
import type { RpcMessage } from './types';

export const testHostSettings: Partial<HashicorpHostSettings> = {
  tickIntervalMs: 10,
  raft: { heartbeatTimeoutMs: 100, electionTimeoutMs: 100, commitTimeoutMs: 10, leaderLeaseTimeoutMs: 50, rpcTimeoutMs: 100, trailingLogs: 3 },
  snapshotThresholdEntries: 8,
};

export function peerSpecs(ids: readonly NodeId[]): PeerSpec[] {
  return ids.map((nodeId) => ({ nodeId, address: `node-${nodeId}:7000` }));
}

/** The restart seed of a node's incarnation, derived from the run's seed. */
export function bootSeed(seed: number, node: NodeId, incarnation: number): number {
  return (seed * 1_000_003 + node * 7919 + incarnation * 104_729) >>> 0;
}

export interface TestStep {
  round: number;
  node: NodeId;
  result: HashicorpBatchResult;
}

interface Queued {
  commands: NodeCommand[];
  requests: ClientRequest[];
  admin: HashicorpAdminRequest[];
}

export interface TestClusterOptions {
  ids: NodeId[];
  /** Nodes that start empty and wait to be added. */
  joiners?: NodeId[];
  seed: number;
  settings?: Partial<HashicorpHostSettings>;
  /** Percent of messages dropped. */
  dropPercent?: number;
}

export class TestCluster {
  readonly hosts = new Map<NodeId, HashicorpNodeHost>();
  readonly disks = new Map<NodeId, MemoryBackend>();
  readonly statuses = new Map<NodeId, NodeStatus>();
  readonly responses = new Map<number, RequestResponse>();
  readonly transcript: TestStep[] = [];
  /** Directed links that drop everything: "from->to". */
  readonly cut = new Set<string>();
  dropPercent: number;
  round = 0;
  recordTranscript = true;
  private readonly inbox = new Map<NodeId, RpcMessage[]>();
  private readonly queued = new Map<NodeId, Queued>();
  private readonly random: RandomSource;
  readonly ids: NodeId[];

  constructor(readonly options: TestClusterOptions) {
    this.random = seededRandom(options.seed);
    this.dropPercent = options.dropPercent ?? 0;
    const joiners = options.joiners ?? [];
    this.ids = [...options.ids, ...joiners].sort((a, b) => a - b);
    for (const id of this.ids) {
      const disk = new MemoryBackend();
      const init = { id, bootstrapPeers: joiners.includes(id) ? null : peerSpecs(options.ids), settings: options.settings ?? testHostSettings };
      this.disks.set(id, disk);
      this.hosts.set(id, new HashicorpNodeHost(init, disk));
      this.command(id, { kind: 'restart', seed: bootSeed(options.seed, id, 0) });
    }
  }

  command(node: NodeId, command: NodeCommand): void {
    this.queue(node).commands.push(command);
  }

  request(node: NodeId, request: ClientRequest): void {
    this.queue(node).requests.push(request);
  }

  admin(node: NodeId, request: HashicorpAdminRequest): void {
    this.queue(node).admin.push(request);
  }

  /** The leader with the highest term, or null. */
  leader(): NodeId | null {
    let best: NodeStatus | null = null;
    for (const status of this.statuses.values()) {
      if (status.role === 'StateLeader' && (best === null || status.term > best.term)) best = status;
    }
    return best === null ? null : best.id;
  }

  isolate(id: NodeId): void {
    for (const other of this.ids) {
      if (other === id) continue;
      this.cut.add(`${id}->${other}`);
      this.cut.add(`${other}->${id}`);
    }
  }

  clearInbox(node: NodeId): void {
    this.inbox.set(node, []);
  }

  async runRound(): Promise<TestStep[]> {
    const batches = this.ids.map((id) => {
      const queued = this.queued.get(id) ?? { commands: [], requests: [], admin: [] };
      this.queued.delete(id);
      const messages = this.inbox.get(id) ?? [];
      this.inbox.set(id, []);
      return { ...queued, messages, ticks: 1 };
    });
    const results = await Promise.all(this.ids.map((id, i) => this.hosts.get(id)!.handleBatch(batches[i])));
    const steps = this.ids.map((id, i) => ({ round: this.round, node: id, result: results[i] }));
    for (const { node, result } of steps) {
      this.statuses.set(node, result.status);
      for (const response of result.responses) this.responses.set(response.requestId, response);
      for (const message of result.messages) this.route(message);
    }
    if (this.recordTranscript) this.transcript.push(...steps);
    this.round++;
    return steps;
  }

  async runUntil(done: () => boolean, roundsMax: number, what: string): Promise<void> {
    for (let i = 0; i < roundsMax; i++) {
      await this.runRound();
      if (done()) return;
    }
    throw new Error(`${what}: not reached within ${roundsMax} rounds (seed ${this.options.seed})`);
  }

  async run(rounds: number): Promise<void> {
    for (let i = 0; i < rounds; i++) await this.runRound();
  }

  private route(message: RpcMessage): void {
    if (!this.hosts.has(message.to) || this.cut.has(`${message.from}->${message.to}`)) return;
    if (this.dropPercent > 0 && this.random.intn(100) < this.dropPercent) return;
    const inbox = this.inbox.get(message.to) ?? [];
    if (inbox.length >= 10_000) return;
    inbox.push(message);
    this.inbox.set(message.to, inbox);
  }

  private queue(node: NodeId): Queued {
    let queued = this.queued.get(node);
    if (queued === undefined) {
      queued = { commands: [], requests: [], admin: [] };
      this.queued.set(node, queued);
    }
    return queued;
  }
}
