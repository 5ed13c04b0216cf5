// The fault-injecting simulation with durable nodes: each node is the etcd node host over a disk
// that outlives its crashes, driven through a NodeDriver one lockstep batch at a time. The event
// queue, network, workload, nemesis plan, invariants and transcript are the in-memory
// simulation's; what differs is that every event at a node is a batch the simulator awaits
// before it takes the next event (so the run is async, and the same seed gives the same
// transcript whichever driver runs the nodes), and that the nemesis also attacks the disks.
import type { DiskFaultRates, NodeCommand, NodeInit } from '../../engines/etcd/batch';
import { describeRpc } from '../../engines/hashicorp/types';
import { ReadOnlyOption } from '../../raft/config';
import { MessageType, type NodeId } from '../../raft/types';
import { checkInvariants, createInvariantMemory } from '../../checker/invariants/invariants';
import type { NodeView } from '../../checker/invariants/node-view';
import { EventQueue } from '../event-queue';
import { convergedLeader, whyNotConverged, type LivenessOutcome } from '../liveness';
import { describeAction, type NemesisAction, type NemesisPlan, type NemesisStep } from '../nemesis/plan';
import { FaultyNetwork, quietLinks } from '../network/faulty-network';
import { nodeEngineSettings } from '../node-host';
import type { ClientRequest, NodeReply, ReadMode } from '../process/kv-node';
import type { HistoryEvent } from '../workload/history';
import { createRandomStreams, type RandomStream } from '../random-streams';
import { describeDelivery, describeReply, describeRequest, describeSimMessage } from '../simulation-text';
import type { SimulationResult, ViolationReport } from '../simulation';
import { Transcript } from '../transcript';
import { Workload, type WakeToken, type WorkloadHost, type WorkloadOptions } from '../workload/clients';
import { chooseCrash, describeCrashChoice, diskFullRates, noDiskFaultRates, type DiskFaultPlan, type DiskStep } from './disk-faults';
import { DurableLease } from './durable-lease';
import { DurableNode } from './durable-node';
import { isRpcMessage, type DriverResult, type NodeDriverFactory, type WireMessage } from './node-driver';

export const durableEventsQueuedMax = 1_000_000;
export const durableEventsMax = 20_000_000;

/** The engine host's settings in a durable run: the in-memory nodes' engine, snapshots early. */
export const durableHostSettings = {
  tickIntervalMs: 10,
  heartbeatTicks: nodeEngineSettings.heartbeatTick,
  electionTicks: nodeEngineSettings.electionTick,
  maxInflightMsgs: nodeEngineSettings.maxInflightMsgs,
  checkQuorum: nodeEngineSettings.checkQuorum,
  preVote: nodeEngineSettings.preVote,
  readOnlyOption: ReadOnlyOption.ReadOnlySafe,
  snapshotThresholdEntries: 1_000,
  snapshotCatchUpEntries: 200,
  walSegmentBytesMax: 256 * 1024,
};

export interface DurableSimulationOptions {
  seed: number;
  nodeCount: number;
  tickMs: number;
  safetyMs: number;
  livenessBoundMs: number;
  /** 'index', 'log', or 'lease': a clock-bounded lease on the simulator's side of each node (durable-lease.ts). */
  readMode: ReadMode;
  /** Lease reads without the clock bound (the lease-no-clock-bound bug); false by default. */
  leaseUnbounded?: boolean;
  plan: NemesisPlan;
  disk: DiskFaultPlan;
  /** The faults stream, positioned after the plans' draws: crash choices and disk seeds. */
  faults: RandomStream;
  workload: WorkloadOptions;
  /** Who runs the nodes, and so which engine: etcd's Message or hashicorp's RPCs on the wire. */
  drivers: NodeDriverFactory<WireMessage>;
  maxSizePerMsg?: number;
  /** Bug switches every node host is started with (by name; the host must implement them). */
  bugs?: readonly string[];
  transcriptLinesKeptMax?: number;
}

type DurableEvent =
  | { kind: 'tick'; node: NodeId; generation: number }
  | { kind: 'deliver'; message: WireMessage }
  | { kind: 'request'; node: NodeId; client: number; request: ClientRequest }
  | { kind: 'reply'; node: NodeId; client: number; reply: NodeReply }
  | { kind: 'wake'; client: number; token: WakeToken }
  | { kind: 'nemesis'; step: NemesisStep }
  | { kind: 'disk'; step: DiskStep }
  | { kind: 'liveness' };

export type DurableSimulationResult = SimulationResult;

/** What a person may do between events: the nemesis's actions, or start an election at a node. */
export type DurableInjection = NemesisAction | { kind: 'campaign'; node: NodeId };

/** A boot's disk faults and the seed their draws come from. */
type BootDiskFaults = DiskFaultRates & { seed: number };

export class DurableSimulation {
  readonly nodeIds: NodeId[];
  private readonly nodes = new Map<NodeId, DurableNode>();
  private readonly queue = new EventQueue<DurableEvent>(durableEventsQueuedMax);
  private readonly network: FaultyNetwork;
  private readonly clock: RandomStream;
  private readonly clientLinks: RandomStream;
  private readonly bootRandom = new Map<NodeId, RandomStream>();
  private readonly clientOfRequest = new Map<number, number>();
  private readonly workload: Workload;
  private readonly transcript: Transcript;
  private readonly memory = createInvariantMemory();
  private readonly tickGeneration = new Map<NodeId, number>();
  private readonly tickCarryPpm = new Map<NodeId, number>();
  private readonly driftPpm: Record<NodeId, number>;
  /** Where each node's own clock was last re-based: simulated time and its local time then. */
  private readonly clockAnchors = new Map<NodeId, { simMs: number; localMs: number }>();
  private nowMs = 0;
  private eventCount = 0;
  private readonly leaderTerms = new Set<number>();
  private livenessStartMs: number | null = null;
  private convergedAtMs: number | null = null;
  private liveness: LivenessOutcome | null = null;
  private violation: ViolationReport | null = null;
  /**
   * Nodes that would not boot from their disk when the liveness phase restarted them with every
   * fault off: a corruption they detected (and refused to guess past) outlived the faults. Like
   * an etcd member that refuses to start, they need an operator; the rest must still converge.
   */
  readonly unbootable = new Map<NodeId, string>();
  private started = false;
  private done = false;
  /** Observers of every transcript line, in order (the app's trace). */
  private readonly lineListeners: ((line: string) => void)[] = [];

  constructor(private readonly options: DurableSimulationOptions) {
    const { seed, nodeCount, plan } = options;
    const streams = createRandomStreams(seed);
    this.nodeIds = Array.from({ length: nodeCount }, (_, i) => i + 1);
    this.network = new FaultyNetwork(streams.stream('network'), this.nodeIds, plan.links);
    this.clock = streams.stream('clock');
    this.clientLinks = streams.stream('client-links');
    this.driftPpm = { ...plan.driftPpm };
    this.transcript = new Transcript({ linesKeptMax: options.transcriptLinesKeptMax ?? 0 });
    const peers = this.nodeIds.map((nodeId) => ({ nodeId, address: `node-${nodeId}:7000` }));
    for (const id of this.nodeIds) {
      this.bootRandom.set(id, streams.stream(`timeouts/${id}`));
      const init: NodeInit = {
        id,
        bootstrapPeers: peers,
        settings: {
          ...durableHostSettings,
          tickIntervalMs: options.tickMs,
          ...(options.maxSizePerMsg === undefined ? {} : { maxSizePerMsg: options.maxSizePerMsg }),
        },
        observe: true,
        ...((options.bugs ?? []).length === 0 ? {} : { bugs: [...options.bugs!] }),
      };
      const node = new DurableNode(id, options.drivers(init));
      if (options.readMode === 'lease') {
        const bounded = options.leaseUnbounded !== true;
        node.lease = new DurableLease({ tickMs: options.tickMs, electionTicks: durableHostSettings.electionTicks, bounded });
      }
      this.nodes.set(id, node);
    }
    for (const step of plan.steps) this.queue.push(step.atMs, { kind: 'nemesis', step });
    for (const step of options.disk.steps) this.queue.push(step.atMs, { kind: 'disk', step });
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
      wake: (atMs, client, token) => this.queue.push(atMs, { kind: 'wake', client, token }),
    };
    this.workload = new Workload(host, streams.stream('workload'), options.workload);
  }

  async run(): Promise<DurableSimulationResult> {
    try {
      while (await this.step()) {
        // Each step processes one event.
      }
      return this.result();
    } finally {
      await this.terminate();
    }
  }

  /** Ends every node's process (the run's end, or a test giving up). */
  async terminate(): Promise<void> {
    for (const id of this.nodeIds) await this.node(id).driver.terminate();
  }

  /** Processes the next event; false once the run is over (violation, converged, or bound). */
  async step(): Promise<boolean> {
    if (this.done) return false;
    if (!this.started) {
      this.started = true;
      await this.boot();
      if (this.done) return false;
    }
    const endBoundMs = this.options.safetyMs + this.options.livenessBoundMs;
    const next = this.queue.pop();
    if (next === undefined) throw new Error('event queue unexpectedly empty');
    if (next.timeMs > endBoundMs) {
      this.nowMs = endBoundMs;
      this.finish();
      return false;
    }
    if (this.eventCount >= durableEventsMax) throw new Error(`run exceeds ${durableEventsMax} events`);
    this.nowMs = next.timeMs;
    this.eventCount++;
    this.record(`${this.nowMs} ${await this.process(next.event)}`);
    return !this.done;
  }

  /** Every node boots from its empty disk at time 0, in node order; then the clients start. */
  private async boot(): Promise<void> {
    for (const id of this.nodeIds) {
      this.eventCount++;
      this.record(`0 boot ${id}${await this.restartNode(id, this.safetyDiskFaults(id))}`);
      if (this.done) return;
    }
    this.workload.start();
  }

  private record(line: string): void {
    this.write(line);
    this.observe(line);
    if (this.violation !== null || this.finished()) this.finish();
  }

  private write(line: string): void {
    this.transcript.write(line);
    for (const listener of this.lineListeners) listener(line);
  }

  /** Calls `listener` with every transcript line as it is written (events, injections, notes). */
  onLine(listener: (line: string) => void): void {
    this.lineListeners.push(listener);
  }

  /**
   * A person's action between two events (the app's node menu), processed like the nemesis's
   * and written as one `inject` line; it is not an event. Replayed after the same event, it
   * draws the same faults-stream values, so the run stays deterministic.
   */
  async inject(action: DurableInjection): Promise<string> {
    if (this.done) throw new Error('the run is over');
    if (!this.started) throw new Error('inject after the first step: the nodes boot in it');
    const text =
      action.kind === 'campaign'
        ? await this.campaign(action.node)
        : await this.processNemesis({ atMs: this.nowMs, action });
    const line = `${this.nowMs} inject ${text}`;
    this.record(line);
    return line;
  }

  /** The node starts an election now (etcd's Campaign); a down node cannot. */
  private async campaign(id: NodeId): Promise<string> {
    const node = this.node(id);
    if (!node.up) return `campaign ${id} (down)`;
    const result = await node.exchange({ commands: [{ kind: 'campaign' }] });
    return `campaign ${id}${await this.outcome(node, result)}`;
  }

  /** The invariant violation found so far, or null. */
  get violationFound(): ViolationReport | null {
    return this.violation;
  }

  /** The client history so far. */
  history(): readonly HistoryEvent[] {
    return this.workload.history;
  }

  get now(): number {
    return this.nowMs;
  }

  /** Every node as it is now (for tests). */
  nodeViews(): NodeView[] {
    return this.nodeIds.map((id) => this.node(id).snapshotView());
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.liveness === null && this.violation === null) {
      const unbootable = [...this.unbootable].map(([id, reason]) => `node ${id} would not boot: ${reason}`);
      this.liveness = {
        converged: false,
        boundMs: this.options.livenessBoundMs,
        reason: [whyNotConverged(this.nodeViews()), ...unbootable].join('; '),
      };
    }
  }

  result(): DurableSimulationResult {
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

  private finished(): boolean {
    if (this.convergedAtMs === null) return false;
    return this.workload.idle || this.nowMs >= this.convergedAtMs + this.options.workload.timeoutMs;
  }

  private async process(event: DurableEvent): Promise<string> {
    switch (event.kind) {
      case 'tick':
        return this.processTick(event.node, event.generation);
      case 'deliver':
        return this.atNode(event.message.to, event, `deliver ${describeWire(event.message)}`, (node) =>
          node.exchange({ messages: [event.message] }),
        );
      case 'request':
        return this.processRequest(event);
      case 'reply':
        this.workload.onReply(event.client, event.reply);
        return `reply ${event.node}>c${event.client} ${describeReply(event.reply)}`;
      case 'wake':
        this.workload.onWake(event.client, event.token);
        return `wake c${event.client} ${event.token.kind}${'operation' in event.token ? ` o${event.token.operation}` : ''}`;
      case 'nemesis':
        return `nemesis ${await this.processNemesis(event.step)}`;
      case 'disk':
        return `disk ${await this.processDisk(event.step)}`;
      case 'liveness':
        return this.startLiveness();
    }
  }

  private async processTick(id: NodeId, generation: number): Promise<string> {
    const node = this.node(id);
    if (generation !== this.tickGeneration.get(id) || !node.up) return `tick ${id} stale`;
    if (node.pausedUntilMs > this.nowMs) {
      this.queue.push(node.pausedUntilMs, { kind: 'tick', node: id, generation });
      return `tick ${id} paused`;
    }
    const text = await this.outcome(node, await node.exchange({ ticks: 1 }));
    this.queue.push(this.nowMs + this.tickIntervalMs(id), { kind: 'tick', node: id, generation });
    return `tick ${id}${text}`;
  }

  private async processRequest(event: Extract<DurableEvent, { kind: 'request' }>): Promise<string> {
    const what = `request c${event.client}>${event.node} ${describeRequest(event.request)}`;
    const node = this.node(event.node);
    const held = this.unavailable(node, event, what);
    if (held !== null) return held;
    const localMs = this.localClockMs(event.node);
    const leaseRead = node.leaseRead(event.request, localMs);
    if (leaseRead !== null) return `${what} lease-read${this.sendReply(node, leaseRead)}`;
    const request = node.hostRequest(event.request, this.options.readMode, localMs);
    if (request === null) {
      return what + this.sendReply(node, { requestId: event.request.requestId, kind: 'redirect', leader: node.lead });
    }
    return this.atNode(event.node, event, what, (target) => target.exchange({ requests: [request] }));
  }

  /** Runs a batch at a node unless it is down (the event is lost) or paused (it waits). */
  private async atNode(
    id: NodeId,
    event: DurableEvent,
    what: string,
    work: (node: DurableNode) => Promise<DriverResult<WireMessage>>,
  ): Promise<string> {
    const node = this.node(id);
    return this.unavailable(node, event, what) ?? what + (await this.outcome(node, await work(node)));
  }

  /** The event's fate at a node that cannot take it now: lost (down) or deferred (paused). */
  private unavailable(node: DurableNode, event: DurableEvent, what: string): string | null {
    if (!node.up) return `${what} lost:down`;
    if (node.pausedUntilMs <= this.nowMs) return null;
    this.queue.push(node.pausedUntilMs, event);
    return `${what} deferred:paused`;
  }

  /** Puts a batch's messages on the network and its replies on the client links; describes it. */
  private async outcome(node: DurableNode, result: DriverResult<WireMessage>): Promise<string> {
    let text = this.send(result.messages);
    for (const response of result.responses) {
      const reply = node.reply(response);
      if (reply !== null) text += this.sendReply(node, reply);
    }
    // What recovery had to say (a torn tail truncated, a broken snapshot skipped) goes in too;
    // an error that stopped the node is its down reason.
    for (const line of result.logLines) if (line.level === 'WARN') text += ` | warn: ${line.text}`;
    if (!node.up) text += ` | down: ${node.downReason ?? 'unknown'}`;
    return text;
  }

  private sendReply(node: DurableNode, reply: NodeReply): string {
    const target = this.clientOfRequest.get(reply.requestId);
    if (target === undefined) throw new Error(`reply to unknown request ${reply.requestId}`);
    this.clientOfRequest.delete(reply.requestId);
    const atMs = this.nowMs + this.clientLinks.between(1, 3);
    this.queue.push(atMs, { kind: 'reply', node: node.id, client: target, reply });
    return ` | ${describeReply(reply)}@${atMs}`;
  }

  private send(messages: WireMessage[]): string {
    let text = '';
    for (const message of messages) {
      const delivery = this.network.route(message, this.nowMs);
      delivery.deliverAtMs.forEach((atMs, copy) => {
        this.queue.push(atMs, { kind: 'deliver', message: copy === 0 ? message : cloneMessage(message) });
      });
      text += ` | ${describeWire(message)} ${describeDelivery(delivery)}`;
      if (!isRpcMessage(message) && message.type === MessageType.MsgSnap) {
        // The transport's report, given with the sender's next batch.
        this.node(message.from).queueCommand({
          kind: 'reportSnapshot',
          peer: message.to,
          delivered: delivery.deliverAtMs.length > 0,
        });
      }
    }
    return text;
  }

  private async processNemesis(step: NemesisStep): Promise<string> {
    const action = step.action;
    const text = describeAction(action);
    switch (action.kind) {
      case 'partition':
        this.network.partitions.apply(action.shape);
        return text;
      case 'heal':
        this.network.partitions.heal();
        return text;
      case 'crash':
        return text + (await this.crash(action.node));
      case 'restart': {
        const node = this.node(action.node);
        if (node.up) return `${text} (already up)`;
        return text + (await this.restartNode(action.node, this.safetyDiskFaults(action.node)));
      }
      case 'pause': {
        const node = this.node(action.node);
        if (!node.up) return `${text} (down)`;
        node.pausedUntilMs = Math.max(node.pausedUntilMs, this.nowMs + action.durationMs);
        return text;
      }
    }
  }

  private async crash(id: NodeId): Promise<string> {
    const node = this.node(id);
    if (!node.up) return ' (already down)';
    const choice = chooseCrash(this.options.disk, this.options.faults);
    node.pausedUntilMs = 0;
    let command: NodeCommand;
    if (choice.kind === 'now') command = { kind: 'crash', keepPendingBytes: 0 };
    else {
      const { afterOperations, tornBytes, keepPendingBytes } = choice;
      command = { kind: 'armCrash', afterOperations, keepPendingBytes, ...(tornBytes === undefined ? {} : { tornBytes }) };
      node.crashArmed = true;
    }
    const result = await node.exchange({ commands: [command] });
    return ` ${describeCrashChoice(choice)}${await this.outcome(node, result)}`;
  }

  /** Boots (or reboots) a node from its disk; it ticks again from a fresh phase. */
  private async restartNode(id: NodeId, diskFaults: BootDiskFaults | undefined): Promise<string> {
    const node = this.node(id);
    node.pausedUntilMs = 0;
    const seed = this.bootRandom.get(id)!.intn(0x1_0000_0000);
    const command: NodeCommand = { kind: 'restart', seed, ...(diskFaults === undefined ? {} : { diskFaults }) };
    const result = await node.exchange({ commands: [command] });
    const text = await this.outcome(node, result);
    if (node.up) this.startTicking(id);
    return text;
  }

  /** The disk faults of a boot in the safety phase: bit flips on read, and a full disk. */
  private safetyDiskFaults(id: NodeId): BootDiskFaults | undefined {
    const disk = this.options.disk;
    const full = this.node(id).diskFull;
    const flaky = disk.flakyNodes.includes(id);
    if (!flaky && !full) return undefined;
    return {
      seed: this.options.faults.intn(0x1_0000_0000),
      bitFlipOnReadRatio: flaky ? disk.bitFlipOnReadRatio : noDiskFaultRates.bitFlipOnReadRatio,
      writeFailureRatio: full ? diskFullRates.writeFailureRatio : noDiskFaultRates.writeFailureRatio,
    };
  }

  private async processDisk(step: DiskStep): Promise<string> {
    const node = this.node(step.node);
    node.diskFull = step.full;
    const text = `${step.full ? 'full' : 'freed'} ${step.node}`;
    if (node.up) {
      const bitFlipOnReadRatio = this.options.disk.flakyNodes.includes(step.node)
        ? this.options.disk.bitFlipOnReadRatio
        : noDiskFaultRates.bitFlipOnReadRatio;
      const faults = { ...(step.full ? diskFullRates : noDiskFaultRates), bitFlipOnReadRatio };
      return text + (await this.outcome(node, await node.exchange({ commands: [{ kind: 'setDiskFaults', faults }] })));
    }
    // A node the full disk stopped comes back once there is room again.
    if (!step.full) return `${text} restart${await this.restartNode(step.node, this.safetyDiskFaults(step.node))}`;
    return `${text} (down)`;
  }

  private async startLiveness(): Promise<string> {
    this.livenessStartMs = this.nowMs;
    this.network.partitions.heal();
    this.network.setLinkFaults(quietLinks);
    for (const id of this.nodeIds) {
      this.clockAnchors.set(id, { simMs: this.nowMs, localMs: this.localClockMs(id) });
      this.driftPpm[id] = 0;
    }
    let text = 'liveness heal-all';
    const restarted: NodeId[] = [];
    for (const id of this.nodeIds) {
      const node = this.node(id);
      node.diskFull = false;
      // Down, or up with a crash still armed: boot it clean, with no disk faults from now on.
      if (node.up && !node.crashArmed) {
        text += await this.outcome(node, await node.exchange({ commands: [{ kind: 'setDiskFaults', faults: noDiskFaultRates }] }));
        continue;
      }
      restarted.push(id);
      text += await this.restartNode(id, undefined);
      if (!node.up) this.unbootable.set(id, node.downReason ?? 'unknown');
    }
    // A healed link comes back like etcd's transport stream: each node reports its peers
    // unreachable, so a leader whose appends were all lost probes again.
    for (const id of this.nodeIds) {
      for (const peer of this.nodeIds) if (peer !== id) this.node(id).queueCommand({ kind: 'reportUnreachable', peer });
    }
    const resumed: NodeId[] = [];
    for (const id of this.nodeIds) {
      const node = this.node(id);
      if (node.pausedUntilMs > this.nowMs) {
        node.pausedUntilMs = this.nowMs;
        resumed.push(id);
        this.startTicking(id);
      }
    }
    const unbootable = [...this.unbootable.keys()];
    return `${text} restarted [${restarted.join(',')}] resumed [${resumed.join(',')}] unbootable [${unbootable.join(',')}] bound ${this.options.livenessBoundMs}ms`;
  }

  private startTicking(id: NodeId): void {
    const generation = (this.tickGeneration.get(id) ?? 0) + 1;
    this.tickGeneration.set(id, generation);
    this.tickCarryPpm.set(id, 0);
    const phaseMs = this.clock.between(1, this.options.tickMs);
    this.queue.push(this.nowMs + phaseMs, { kind: 'tick', node: id, generation });
  }

  /** A node's own clock: simulated time scaled by its drift since the last anchor (it runs on while paused or down). */
  private localClockMs(id: NodeId): number {
    const anchor = this.clockAnchors.get(id) ?? { simMs: 0, localMs: 0 };
    const drift = this.driftPpm[id] ?? 0;
    return anchor.localMs + Math.floor(((this.nowMs - anchor.simMs) * (1_000_000 + drift)) / 1_000_000);
  }

  /** tickMs * (1 + drift), in whole milliseconds, carrying the remainder to the next tick. */
  private tickIntervalMs(id: NodeId): number {
    const scaled = this.options.tickMs * (1_000_000 + (this.driftPpm[id] ?? 0)) + this.tickCarryPpm.get(id)!;
    const intervalMs = Math.max(1, Math.floor(scaled / 1_000_000));
    this.tickCarryPpm.set(id, scaled - intervalMs * 1_000_000);
    return intervalMs;
  }

  private observe(line: string): void {
    const views = this.nodeIds.map((id) => this.node(id).takeView());
    for (const view of views) if (view.up && view.role === 'leader') this.leaderTerms.add(view.term);
    const violation = checkInvariants(this.memory, views);
    if (violation !== null) {
      this.violation = {
        ...violation,
        atMs: this.nowMs,
        eventCount: this.eventCount,
        event: line,
        nodes: this.nodeViews(),
      };
      return;
    }
    for (const id of this.nodeIds) this.node(id).settleView();
    if (this.livenessStartMs !== null && this.convergedAtMs === null) {
      const converged = this.livenessReached(views);
      if (converged !== null) {
        this.convergedAtMs = this.nowMs;
        this.liveness = { converged: true, afterMs: this.nowMs - this.livenessStartMs, ...converged };
        this.workload.stop();
        this.write(`${this.nowMs} converged leader ${converged.leader} term ${converged.term}`);
      }
    }
  }

  /** The liveness goal over the nodes that could boot, which must be a majority. */
  private livenessReached(views: NodeView[]): { leader: NodeId; term: number } | null {
    if (this.unbootable.size === 0) return convergedLeader(views);
    const bootable = views.filter((view) => !this.unbootable.has(view.id));
    if (bootable.length <= this.nodeIds.length >> 1) return null;
    return convergedLeader(bootable);
  }

  private node(id: NodeId): DurableNode {
    const node = this.nodes.get(id);
    if (node === undefined) throw new Error(`no node ${id} in this cluster`);
    return node;
  }
}

function cloneMessage(message: WireMessage): WireMessage {
  if (!('entries' in message)) return { ...message };
  return { ...message, entries: message.entries.map((entry) => ({ ...entry })) } as WireMessage;
}

function describeWire(message: WireMessage): string {
  return isRpcMessage(message) ? describeRpc(message) : describeSimMessage(message);
}
