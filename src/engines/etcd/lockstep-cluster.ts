// A tiny deterministic lockstep scheduler for tests: every round, each node gets one batch (its
// queued commands, the messages sent to it last round, its client and admin requests, a tick)
// and the round ends when every node answered. One outstanding batch per node; the nodes of a
// round run concurrently, but each sees only its own batches, so the transcript (every batch
// result, in node order) depends only on the seed. Endpoints may be the host itself, an
// in-process protocol endpoint or a worker: the same seed must give the same transcript.
import { seededRandom, type RandomSource } from '../../raft/random';
import type { Message, NodeId } from '../../raft/types';
import type { AdminRequest, BatchResult, ClientRequest, NodeBatch, NodeCommand, NodeStatus, RequestResponse } from './batch';

export interface BatchEndpoint {
  handleBatch(batch: NodeBatch): Promise<BatchResult>;
}

/** An integer ratio; messages are dropped with this probability. */
export interface DropRatio {
  numerator: number;
  denominator: number;
}

export interface LockstepClusterOptions {
  endpoints: ReadonlyMap<NodeId, BatchEndpoint>;
  seed: number;
  /** Ticks in every node's batch each round. */
  ticksPerRound?: number;
  dropRatio?: DropRatio;
  /** Messages in flight to one node, beyond which new ones are dropped. */
  inboxMessagesMax?: number;
}

export interface TranscriptStep {
  round: number;
  node: NodeId;
  result: BatchResult;
}

interface Queued {
  commands: NodeCommand[];
  requests: ClientRequest[];
  admin: AdminRequest[];
}

export class LockstepCluster {
  readonly transcript: TranscriptStep[] = [];
  readonly statuses = new Map<NodeId, NodeStatus>();
  readonly responses = new Map<number, RequestResponse>();
  round = 0;
  /** Keep results in the transcript (off for long runs that only need the end state). */
  recordTranscript = true;
  private readonly inbox = new Map<NodeId, Message[]>();
  private readonly queued = new Map<NodeId, Queued>();
  private readonly random: RandomSource;
  private readonly ids: NodeId[];

  constructor(private readonly options: LockstepClusterOptions) {
    this.random = seededRandom(options.seed);
    this.ids = [...options.endpoints.keys()].sort((a, b) => a - b);
  }

  get nodeIds(): readonly NodeId[] {
    return this.ids;
  }

  command(node: NodeId, command: NodeCommand): void {
    this.queue(node).commands.push(command);
  }

  request(node: NodeId, request: ClientRequest): void {
    this.queue(node).requests.push(request);
  }

  admin(node: NodeId, request: AdminRequest): void {
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

  /** Puts a message in `node`'s inbox for the next round, as if the network carried it. */
  deliver(node: NodeId, message: Message): void {
    this.route({ ...message, to: node });
  }

  /** Drops every message in flight to `node` (it crashed, or a test wants silence). */
  clearInbox(node: NodeId): void {
    this.inbox.set(node, []);
  }

  async runRound(): Promise<TranscriptStep[]> {
    const batches = this.ids.map((id) => this.takeBatch(id));
    const results = await Promise.all(this.ids.map((id, i) => this.options.endpoints.get(id)!.handleBatch(batches[i])));
    const steps: TranscriptStep[] = [];
    this.ids.forEach((id, i) => {
      const result = results[i];
      steps.push({ round: this.round, node: id, result });
      this.statuses.set(id, result.status);
      for (const response of result.responses) this.responses.set(response.requestId, response);
      for (const message of result.messages) this.route(message);
    });
    if (this.recordTranscript) this.transcript.push(...steps);
    this.round++;
    return steps;
  }

  /** Runs rounds until `done` holds (checked after each round); throws after `roundsMax`. */
  async runUntil(done: () => boolean, roundsMax: number, what: string): Promise<void> {
    for (let i = 0; i < roundsMax; i++) {
      await this.runRound();
      if (done()) return;
    }
    throw new Error(`${what}: not reached within ${roundsMax} rounds (seed ${this.options.seed})`);
  }

  private takeBatch(id: NodeId): NodeBatch {
    const queued = this.queue(id);
    this.queued.delete(id);
    const messages = this.inbox.get(id) ?? [];
    this.inbox.set(id, []);
    return { ...queued, messages, ticks: this.options.ticksPerRound ?? 1 };
  }

  private route(message: Message): void {
    if (!this.options.endpoints.has(message.to)) return;
    const drop = this.options.dropRatio;
    if (drop !== undefined && drop.numerator > 0 && this.random.intn(drop.denominator) < drop.numerator) return;
    const inbox = this.inbox.get(message.to) ?? [];
    if (inbox.length >= (this.options.inboxMessagesMax ?? 10_000)) return;
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
