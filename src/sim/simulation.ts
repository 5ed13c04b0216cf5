// The fault-injecting simulation: KV nodes on simulated time, a faulty network, a nemesis plan,
// simulated clients, live invariants after every event and a hashed transcript. One seed (plus
// the options) decides everything: every event comes from one queue ordered by (time, sequence)
// and every random choice from a named stream.
import { MessageType, type Message, type NodeId } from '../raft/types';
import {
  checkInvariants,
  createInvariantMemory,
  type InvariantViolation,
} from '../checker/invariants/invariants';
import type { NodeView } from '../checker/invariants/node-view';
import { EventQueue } from './event-queue';
import { convergedLeader, whyNotConverged, type LivenessOutcome } from './liveness';
import {
  describeAction,
  type NemesisAction,
  type NemesisPlan,
  type NemesisStep,
} from './nemesis/plan';
import { FaultyNetwork, quietLinks } from './network/faulty-network';
import { KvNode, type ClientRequest, type NodeReply, type ReadMode } from './process/kv-node';
import { createRandomStreams, type RandomStream } from './random-streams';
import {
  describeDelivery,
  describeReply,
  describeRequest,
  describeSimMessage,
} from './simulation-text';
import { Transcript } from './transcript';
import type { BugName } from './bugs';
import {
  Workload,
  type WakeToken,
  type WorkloadHost,
  type WorkloadOptions,
} from './workload/clients';

export const simEventsQueuedMax = 1_000_000;
export const simEventsMax = 50_000_000;

export interface SimulationOptions {
  seed: number;
  nodeCount: number;
  tickMs: number;
  /** Length of the safety phase, where the plan's faults run. */
  safetyMs: number;
  /** The liveness phase must converge within this long after everything is healed. */
  livenessBoundMs: number;
  readMode: ReadMode;
  plan: NemesisPlan;
  workload: WorkloadOptions;
  /** Transcript lines kept in memory (the hash covers all of them). */
  transcriptLinesKeptMax?: number;
  /** Bug switches (bugs.ts); none by default. */
  bugs?: readonly BugName[];
  /** Overrides the engine's maxSizePerMsg. */
  maxSizePerMsg?: number;
}

type SimEvent =
  | { kind: 'tick'; node: NodeId; generation: number }
  | { kind: 'deliver'; message: Message }
  | { kind: 'request'; node: NodeId; client: number; request: ClientRequest }
  | { kind: 'reply'; node: NodeId; client: number; reply: NodeReply }
  | { kind: 'wake'; client: number; token: WakeToken }
  | { kind: 'nemesis'; step: NemesisStep }
  | { kind: 'liveness' };

export interface ViolationReport extends InvariantViolation {
  atMs: number;
  eventCount: number;
  /** The transcript line of the event after which the violation showed. */
  event: string;
  nodes: NodeView[];
}

export interface SimulationResult {
  endMs: number;
  eventCount: number;
  leaderChanges: number;
  violation: ViolationReport | null;
  liveness: LivenessOutcome | null;
  transcriptHash: string;
  transcriptLineCount: number;
  transcriptLines: readonly string[];
  workload: Workload;
}

export class Simulation {
  readonly nodeIds: NodeId[];
  private readonly nodes = new Map<NodeId, KvNode>();
  private readonly queue = new EventQueue<SimEvent>(simEventsQueuedMax);
  private readonly network: FaultyNetwork;
  private readonly clock: RandomStream;
  private readonly clientLinks: RandomStream;
  /** Which client sent each request, so a reply finds its way back. */
  private readonly clientOfRequest = new Map<number, number>();
  private readonly workload: Workload;
  private readonly transcript: Transcript;
  private readonly memory = createInvariantMemory();
  private readonly tickGeneration = new Map<NodeId, number>();
  private readonly tickCarryPpm = new Map<NodeId, number>();
  private driftPpm: Record<NodeId, number>;
  private nowMs = 0;
  private eventCount = 0;
  private readonly leaderTerms = new Set<number>();
  private livenessStartMs: number | null = null;
  private convergedAtMs: number | null = null;
  private liveness: LivenessOutcome | null = null;
  private violation: ViolationReport | null = null;
  private done = false;

  constructor(private readonly options: SimulationOptions) {
    const { seed, nodeCount, plan } = options;
    const streams = createRandomStreams(seed);
    this.nodeIds = Array.from({ length: nodeCount }, (_, i) => i + 1);
    this.network = new FaultyNetwork(streams.stream('network'), this.nodeIds, plan.links);
    this.clock = streams.stream('clock');
    this.clientLinks = streams.stream('client-links');
    this.driftPpm = { ...plan.driftPpm };
    this.transcript = new Transcript({ linesKeptMax: options.transcriptLinesKeptMax ?? 0 });
    for (const id of this.nodeIds) {
      const random = streams.stream(`timeouts/${id}`);
      this.nodes.set(
        id,
        new KvNode({
          id,
          voters: this.nodeIds,
          random,
          readMode: options.readMode,
          localClockMs: () => this.localClockMs(id),
          tickMs: options.tickMs,
          maxSizePerMsg: options.maxSizePerMsg,
          bugs: options.bugs,
        }),
      );
      this.startTicking(id);
    }
    for (const step of plan.steps) this.queue.push(step.atMs, { kind: 'nemesis', step });
    this.queue.push(options.safetyMs, { kind: 'liveness' });
    const now = (): number => this.nowMs;
    const host: WorkloadHost = {
      nodeIds: this.nodeIds,
      get nowMs(): number {
        return now();
      },
      send: (atMs, node, client, request) => {
        this.clientOfRequest.set(request.requestId, client);
        this.queue.push(atMs, { kind: 'request', node, client, request });
      },
      wake: (atMs, client, token) => {
        this.queue.push(atMs, { kind: 'wake', client, token });
      },
    };
    this.workload = new Workload(host, streams.stream('workload'), options.workload);
    this.workload.start();
  }

  run(): SimulationResult {
    while (this.step()) {
      // Each step processes one event.
    }
    return this.result();
  }

  /** Processes the next event; false once the run is over (violation, converged, or bound). */
  step(): boolean {
    if (this.done) return false;
    const endBoundMs = this.options.safetyMs + this.options.livenessBoundMs;
    const next = this.queue.pop();
    if (next === undefined) throw new Error('event queue unexpectedly empty');
    if (next.timeMs > endBoundMs) {
      this.nowMs = endBoundMs;
      this.finish();
      return false;
    }
    if (this.eventCount >= simEventsMax) throw new Error(`run exceeds ${simEventsMax} events`);
    this.nowMs = next.timeMs;
    this.eventCount++;
    const line = `${this.nowMs} ${this.process(next.event)}`;
    this.transcript.write(line);
    this.observe(line);
    if (this.violation !== null || this.finished()) this.finish();
    return !this.done;
  }

  /** Steps until simulated time passes timeMs or the run ends. */
  runUntil(timeMs: number): void {
    while (!this.done && this.queue.peek()!.timeMs <= timeMs) this.step();
  }

  /** The invariant violation that stopped the run, if any. */
  get violationFound(): ViolationReport | null {
    return this.violation;
  }

  get now(): number {
    return this.nowMs;
  }

  /** Every node as it is now (for tests and the app). */
  nodeViews(): NodeView[] {
    return this.nodeIds.map((id) => this.node(id).view());
  }

  /** Applies a nemesis action now, outside the plan (the scenario builder's `crash(2)`). */
  inject(action: NemesisAction): string {
    const line = `${this.nowMs} inject ${this.processNemesis({ atMs: this.nowMs, action })}`;
    this.transcript.write(line);
    return line;
  }

  /** A node's state-machine value for a key. */
  valueAt(id: NodeId, key: string): string | null {
    return this.node(id).valueOf(key);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.liveness === null && this.violation === null) {
      this.liveness = {
        converged: false,
        boundMs: this.options.livenessBoundMs,
        reason: whyNotConverged(this.nodeViews()),
      };
    }
  }

  result(): SimulationResult {
    return {
      endMs: this.nowMs,
      eventCount: this.eventCount,
      leaderChanges: this.leaderTerms.size,
      violation: this.violation,
      liveness: this.liveness,
      transcriptHash: this.transcript.finish(),
      transcriptLineCount: this.transcript.lineCount,
      transcriptLines: this.transcript.lines,
      workload: this.workload,
    };
  }

  /** Done once converged and every client's last operation completed (or timed out). */
  private finished(): boolean {
    if (this.convergedAtMs === null) return false;
    return this.workload.idle || this.nowMs >= this.convergedAtMs + this.options.workload.timeoutMs;
  }

  private process(event: SimEvent): string {
    switch (event.kind) {
      case 'tick':
        return this.processTick(event.node, event.generation);
      case 'deliver':
        return this.atNode(
          event.message.to,
          event,
          `deliver ${describeSimMessage(event.message)}`,
          (node) => node.receive(event.message),
        );
      case 'request':
        return this.atNode(
          event.node,
          event,
          `request c${event.client}>${event.node} ${describeRequest(event.request)}`,
          (node) => node.request(event.request),
        );
      case 'reply':
        this.workload.onReply(event.client, event.reply);
        return `reply ${event.node}>c${event.client} ${describeReply(event.reply)}`;
      case 'wake':
        this.workload.onWake(event.client, event.token);
        return `wake c${event.client} ${event.token.kind}${'operation' in event.token ? ` o${event.token.operation}` : ''}`;
      case 'nemesis':
        return `nemesis ${this.processNemesis(event.step)}`;
      case 'liveness':
        return this.startLiveness();
    }
  }

  private processTick(id: NodeId, generation: number): string {
    const node = this.node(id);
    if (generation !== this.tickGeneration.get(id) || !node.up) return `tick ${id} stale`;
    if (node.pausedUntilMs > this.nowMs) {
      this.queue.push(node.pausedUntilMs, { kind: 'tick', node: id, generation });
      return `tick ${id} paused`;
    }
    const sent = this.send(node.tick());
    this.queue.push(this.nowMs + this.tickIntervalMs(id), { kind: 'tick', node: id, generation });
    return `tick ${id}${sent}`;
  }

  /** Runs `work` at a node unless it is down (the event is lost) or paused (it waits). */
  private atNode(
    id: NodeId,
    event: SimEvent,
    what: string,
    work: (node: KvNode) => { messages: Message[]; replies: NodeReply[] },
  ): string {
    const node = this.node(id);
    if (!node.up) return `${what} lost:down`;
    if (node.pausedUntilMs > this.nowMs) {
      this.queue.push(node.pausedUntilMs, event);
      return `${what} deferred:paused`;
    }
    const { messages, replies } = work(node);
    let text = what + this.send(messages);
    for (const reply of replies) {
      const target = this.clientOfRequest.get(reply.requestId);
      if (target === undefined) throw new Error(`reply to unknown request ${reply.requestId}`);
      const atMs = this.nowMs + this.clientLinks.between(1, 3);
      this.queue.push(atMs, { kind: 'reply', node: id, client: target, reply });
      text += ` | ${describeReply(reply)}@${atMs}`;
    }
    return text;
  }

  private send(messages: Message[]): string {
    let text = '';
    for (const message of messages) {
      const delivery = this.network.route(message, this.nowMs);
      delivery.deliverAtMs.forEach((atMs, copy) => {
        this.queue.push(atMs, {
          kind: 'deliver',
          message: copy === 0 ? message : cloneMessage(message),
        });
      });
      text += ` | ${describeSimMessage(message)} ${describeDelivery(delivery)}`;
      if (message.type === MessageType.MsgSnap) {
        this.node(message.from).reportSnapshotSent(message.to, delivery.deliverAtMs.length > 0);
      }
    }
    return text;
  }

  private processNemesis(step: NemesisStep): string {
    const action = step.action;
    const text = describeAction(action);
    switch (action.kind) {
      case 'partition':
        this.network.partitions.apply(action.shape);
        return text;
      case 'heal':
        this.network.partitions.heal();
        return text;
      case 'crash': {
        const node = this.node(action.node);
        if (!node.up) return `${text} (already down)`;
        node.crash();
        node.pausedUntilMs = 0;
        return text;
      }
      case 'restart':
        return this.restart(action.node) ? text : `${text} (already up)`;
      case 'pause': {
        const node = this.node(action.node);
        if (!node.up) return `${text} (down)`;
        node.pausedUntilMs = Math.max(node.pausedUntilMs, this.nowMs + action.durationMs);
        return text;
      }
    }
  }

  private restart(id: NodeId): boolean {
    const node = this.node(id);
    if (node.up) return false;
    node.restart();
    this.startTicking(id);
    return true;
  }

  private startLiveness(): string {
    this.livenessStartMs = this.nowMs;
    this.network.partitions.heal();
    this.network.setLinkFaults(quietLinks);
    for (const id of this.nodeIds) this.driftPpm[id] = 0;
    const restarted = this.nodeIds.filter((id) => this.restart(id));
    // Healing reconnects every link; like etcd's transport when a stream comes back, each node
    // reports its peers unreachable, so a leader whose in-flight appends were all lost to a
    // partition probes again instead of waiting for acknowledgements that will never come.
    for (const id of this.nodeIds) this.node(id).reportPeersUnreachable();
    const resumed: NodeId[] = [];
    for (const id of this.nodeIds) {
      const node = this.node(id);
      if (node.pausedUntilMs > this.nowMs) {
        node.pausedUntilMs = this.nowMs;
        resumed.push(id);
        this.startTicking(id);
      }
    }
    return `liveness heal-all restarted [${restarted.join(',')}] resumed [${resumed.join(',')}] bound ${this.options.livenessBoundMs}ms`;
  }

  /**
   * A node's own clock: simulated time scaled by its drift (a node that ticks slowly also reads
   * time slowly), running on through pauses. Drift ends with the safety phase.
   */
  private localClockMs(id: NodeId): number {
    const drift = this.options.plan.driftPpm[id] ?? 0;
    const scaled = (ms: number): number => Math.floor((ms * 1_000_000) / (1_000_000 + drift));
    if (this.livenessStartMs === null) return scaled(this.nowMs);
    return scaled(this.livenessStartMs) + (this.nowMs - this.livenessStartMs);
  }

  private startTicking(id: NodeId): void {
    const generation = (this.tickGeneration.get(id) ?? 0) + 1;
    this.tickGeneration.set(id, generation);
    this.tickCarryPpm.set(id, 0);
    const phaseMs = this.clock.between(1, this.options.tickMs);
    this.queue.push(this.nowMs + phaseMs, { kind: 'tick', node: id, generation });
  }

  /** tickMs * (1 + drift), in whole milliseconds, carrying the remainder to the next tick. */
  private tickIntervalMs(id: NodeId): number {
    const scaled =
      this.options.tickMs * (1_000_000 + (this.driftPpm[id] ?? 0)) + this.tickCarryPpm.get(id)!;
    const intervalMs = Math.max(1, Math.floor(scaled / 1_000_000));
    this.tickCarryPpm.set(id, scaled - intervalMs * 1_000_000);
    return intervalMs;
  }

  private views(): NodeView[] {
    return this.nodeIds.map((id) => this.node(id).takeView());
  }

  private observe(line: string): void {
    const views = this.views();
    for (const view of views)
      if (view.up && view.role === 'leader') this.leaderTerms.add(view.term);
    const violation = checkInvariants(this.memory, views);
    if (violation !== null) {
      this.violation = {
        ...violation,
        atMs: this.nowMs,
        eventCount: this.eventCount,
        event: line,
        nodes: views,
      };
      return;
    }
    if (this.livenessStartMs !== null && this.convergedAtMs === null) {
      const converged = convergedLeader(views);
      if (converged !== null) {
        this.convergedAtMs = this.nowMs;
        this.liveness = {
          converged: true,
          afterMs: this.nowMs - this.livenessStartMs,
          ...converged,
        };
        this.workload.stop();
        this.transcript.write(
          `${this.nowMs} converged leader ${converged.leader} term ${converged.term}`,
        );
      }
    }
  }

  private node(id: NodeId): KvNode {
    const node = this.nodes.get(id);
    if (node === undefined) throw new Error(`no node ${id} in this cluster`);
    return node;
  }
}

function cloneMessage(message: Message): Message {
  return { ...message, entries: message.entries.map((entry) => ({ ...entry })) };
}
