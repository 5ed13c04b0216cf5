// The fault-injecting simulation: KV nodes on simulated time, a faulty network, a nemesis plan,
// simulated clients, live invariants after every event and a hashed transcript. One seed (plus
// the options) decides everything: every event comes from one queue ordered by (time, sequence)
// and every random choice from a named stream.
import { discardLogger } from '../raft/logger';
import { MessageType, type Message, type NodeId } from '../raft/types';
import {
  checkInvariantsOfChanged,
  createInvariantMemory,
  type InvariantViolation,
} from '../checker/invariants/invariants';
import type { NodeView } from '../checker/invariants/node-view';
import { deepClone } from './deep-clone';
import { EngineLogBuffer, EngineLogger, type EngineLogLine } from './engine-log';
import { EventQueue } from './event-queue';
import { describeIntervention, isNemesisAction, type InterventionAction } from './interventions';
import { applyIntervention } from './intervention-effects';
import { nodeDetailOf, roleOfKvNode, type NodeDetail, type NodeDetailRole } from './node-detail';
import type {
  CutLink,
  InFlightMessage,
  SimEventKind,
  SimEventListener,
  SimEventRecord,
} from './simulation-events';
import { cutLinks, type PartitionShape } from './network/partitions';
import type { HistoryEvent } from './workload/history';
import { WorkloadLink } from './workload-link';
import { convergedLeader, whyNotConverged, type LivenessOutcome } from './liveness';
import {
  describeAction,
  type NemesisAction,
  type NemesisPlan,
  type NemesisStep,
} from './nemesis/plan';
import { FaultyNetwork, quietLinks } from './network/faulty-network';
import {
  KvNode,
  type ClientRequest,
  type LocalClock,
  type NodeReply,
  type ReadMode,
} from './process/kv-node';
import { ClockedStream, LinkStreams } from './clocked-random';
import type { RandomStream } from './random-streams';
import { writeDelivery, writeReply, writeRequest, writeSimMessage } from './simulation-text';
import { Transcript } from './transcript';
import type { BugName } from './bugs';
import { Workload, type WakeToken, type WorkloadOptions } from './workload/clients';

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
  /** Override the engine's heartbeatTick and electionTick (node-host.ts nodeEngineSettings). */
  heartbeatTick?: number;
  electionTick?: number;
  /** Engine log lines kept for engineLogLines() (default engineLogLinesKeptMax). */
  engineLogLinesKeptMax?: number;
}

/** Log entries per node a NodeDetail carries unless asked otherwise. */
export const nodeDetailLogEntriesDefault = 64;

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

export class Simulation implements LocalClock {
  readonly nodeIds: NodeId[];
  private readonly nodes = new Map<NodeId, KvNode>();
  private readonly queue = new EventQueue<SimEvent>(simEventsQueuedMax);
  private readonly network: FaultyNetwork;
  /** Per node: the phase of its ticks after each start. */
  private readonly clock = new Map<NodeId, RandomStream>();
  /** Per node: the delay of its replies to clients. */
  private readonly clientLinks = new Map<NodeId, RandomStream>();
  /** Which client sent each request, so a reply finds its way back. */
  private readonly clientOfRequest = new Map<number, number>();
  private readonly workload: Workload;
  private readonly transcript: Transcript;
  private readonly memory = createInvariantMemory();
  /**
   * Per node (index id - 1): whether anything may have changed it since its last view. Only the
   * event's own node changes in a tick, delivery or request; nemesis steps, the liveness phase
   * and injections may change any. The other nodes keep their last (quiet) view.
   */
  private changed: boolean[];
  /** Each node's view as of its last change, with the per-event observations emptied. */
  private lastViews: NodeView[];
  /** Whether views() found any node's view changed by the current event. */
  private anyViewChanged = false;
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
  private readonly engineLog: EngineLogBuffer;
  private listeners: SimEventListener[] = [];
  /** The record of the event (or injection) being processed while anyone listens. */
  private record: SimEventRecord | null = null;

  constructor(private readonly options: SimulationOptions) {
    const { seed, nodeCount, plan } = options;
    this.nodeIds = Array.from({ length: nodeCount }, (_, i) => i + 1);
    this.changed = this.nodeIds.map(() => true);
    this.lastViews = [];
    // Every stream is clocked (clocked-random.ts): a draw depends on the stream, the simulated
    // millisecond and the draws before it in that millisecond, never on what came earlier.
    const clocked = (name: string): RandomStream => new ClockedStream(seed, name, this);
    this.network = new FaultyNetwork(
      clocked('network'),
      this.nodeIds,
      plan.links,
      new LinkStreams(seed, this.nodeIds, this),
    );
    for (const id of this.nodeIds) {
      this.clock.set(id, clocked(`clock/${id}`));
      this.clientLinks.set(id, clocked(`client-links/${id}`));
    }
    this.driftPpm = { ...plan.driftPpm };
    this.transcript = new Transcript({ linesKeptMax: options.transcriptLinesKeptMax ?? 0 });
    this.engineLog = new EngineLogBuffer(this, options.engineLogLinesKeptMax);
    for (const id of this.nodeIds) {
      const node = new KvNode({
        id,
        voters: this.nodeIds,
        random: clocked(`timeouts/${id}`),
        readMode: options.readMode,
        clock: this,
        logger: new EngineLogger(this.engineLog, id),
        tickMs: options.tickMs,
        maxSizePerMsg: options.maxSizePerMsg,
        heartbeatTick: options.heartbeatTick,
        electionTick: options.electionTick,
        bugs: options.bugs,
      });
      this.nodes.set(id, node);
      this.startTicking(id);
    }
    for (const step of plan.steps) this.queue.push(step.atMs, { kind: 'nemesis', step });
    this.queue.push(options.safetyMs, { kind: 'liveness' });
    const host = new WorkloadLink(this, this.queue, this.clientOfRequest);
    this.workload = new Workload(host, clocked('workload'), options.workload);
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
    if (this.listeners.length > 0) this.beginRecord(next.event, next.sequence);
    this.markChanged(next.event);
    const transcript = this.transcript;
    transcript.open();
    transcript.int(this.nowMs);
    transcript.text(' ');
    this.process(next.event);
    this.closeLine();
    this.observe();
    if (this.violation !== null || this.finished()) this.finish();
    this.endRecord();
    return !this.done;
  }

  /** Writes one transcript line (and hands it to the record of the current event). */
  private write(line: string): void {
    this.transcript.write(line);
    this.record?.lines.push(line);
  }

  /** Closes the line the event wrote piece by piece (and hands it to the record). */
  private closeLine(): void {
    this.transcript.close();
    this.record?.lines.push(this.transcript.lastLine());
  }

  private beginRecord(event: SimEvent | null, sequence: number): void {
    const kind: SimEventKind = event === null ? 'inject' : event.kind;
    this.record = {
      eventCount: this.eventCount,
      timeMs: this.nowMs,
      kind,
      node: event === null ? null : eventNode(event),
      lines: [],
      sent: [],
      delivered: event?.kind === 'deliver' ? { flightId: sequence, message: event.message } : null,
      engineLog: [],
    };
    this.recordLogFrom = this.engineLog.lineCount;
  }

  /** The engine log line count when the current record began. */
  private recordLogFrom = 0;

  private endRecord(): void {
    const record = this.record;
    if (record === null) return;
    this.record = null;
    if (this.engineLog.lineCount > this.recordLogFrom)
      record.engineLog = this.engineLog.linesSince(this.recordLogFrom);
    for (const listener of [...this.listeners]) listener(record);
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

  /**
   * Applies an action now, outside the plan: a nemesis fault (the scenario builder's `crash(2)`)
   * or a person's intervention (interventions.ts). Writes and returns one `inject` line.
   */
  inject(action: InterventionAction): string {
    if (this.listeners.length > 0) this.beginRecord(null, -1);
    this.markAllChanged();
    const transcript = this.transcript;
    transcript.open();
    transcript.int(this.nowMs);
    transcript.text(' inject ');
    if (isNemesisAction(action)) transcript.text(this.processNemesis({ atMs: this.nowMs, action }));
    else this.intervene(action);
    this.closeLine();
    this.endRecord();
    return this.transcript.lastLine();
  }

  /** Applies a person's intervention and writes what it did to the open transcript line. */
  private intervene(action: Exclude<InterventionAction, NemesisAction>): void {
    this.transcript.text(describeIntervention(action));
    const outcome = applyIntervention(
      {
        nowMs: this.nowMs,
        nodeIds: this.nodeIds,
        node: (id) => this.node(id),
        leader: () => this.currentLeader(),
        network: this.network,
        queue: this.queue,
        workload: this.workload,
      },
      action,
    );
    this.transcript.text(outcome.note);
    this.send(outcome.messages);
  }

  /** The up leader of the highest term, if any. */
  private currentLeader(): KvNode | null {
    let best: KvNode | null = null;
    for (const id of this.nodeIds) {
      const node = this.node(id);
      if (roleOfKvNode(node) !== 'leader') continue;
      if (best === null || node.raw.raft.term > best.raw.raft.term) best = node;
    }
    return best;
  }

  /** A node's state-machine value for a key. */
  valueAt(id: NodeId, key: string): string | null {
    return this.node(id).valueOf(key);
  }

  /**
   * Calls `listener` after each processed event and each injection with the transcript lines it
   * wrote (exactly the transcript, in order), its kind, the messages it sent and their fate, and
   * the engines' log lines. Returns a function that stops the calls. Clones start with none.
   */
  onEvent(listener: SimEventListener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((item) => item !== listener);
    };
  }

  /** Events processed so far. */
  get processedEventCount(): number {
    return this.eventCount;
  }

  /** True once the run is over (violation, converged, or the time bound). */
  get over(): boolean {
    return this.done;
  }

  /** When the next event is due; undefined once the run is over. */
  get nextEventMs(): number | undefined {
    return this.done ? undefined : this.queue.peek()?.timeMs;
  }

  /** The first transcript lines, up to the transcriptLinesKeptMax option. */
  transcriptLines(): readonly string[] {
    return this.transcript.lines;
  }

  /** Every transcript line written so far, kept or not. */
  get transcriptLineCount(): number {
    return this.transcript.lineCount;
  }

  /** The engines' log lines still kept (at most engineLogLinesKeptMax), from a sequence on. */
  engineLogLines(fromSequence = 0): EngineLogLine[] {
    return this.engineLog.linesSince(fromSequence);
  }

  /** One node as the app draws it (see NodeDetail). */
  nodeDetail(id: NodeId, logEntriesMax = nodeDetailLogEntriesDefault): NodeDetail {
    return nodeDetailOf(this.node(id), {
      nowMs: this.nowMs,
      logEntriesMax,
      localClockMs: this.localClockMs(id),
    });
  }

  nodeDetails(logEntriesMax = nodeDetailLogEntriesDefault): NodeDetail[] {
    return this.nodeIds.map((id) => this.nodeDetail(id, logEntriesMax));
  }

  /** A node's role, term and commit index: cheap enough to read after every event. */
  nodeSummary(id: NodeId): { role: NodeDetailRole; term: number; commit: number } {
    const node = this.node(id);
    if (!node.up) {
      const hardState = node.storage.hardState;
      return { role: 'down', term: hardState.term, commit: hardState.commit };
    }
    const raft = node.raw.raft;
    return { role: roleOfKvNode(node), term: raft.term, commit: raft.raftLog.committed };
  }

  /** The nemesis's current partition, if any. */
  partition(): PartitionShape | null {
    return this.network.partitions.shape;
  }

  /** Every directed link that loses all messages now: by the partition, or cut by hand. */
  cutLinks(): CutLink[] {
    const shape = this.network.partitions.shape;
    const links: CutLink[] =
      shape === null
        ? []
        : cutLinks(shape, this.nodeIds).map(([from, to]) => ({ from, to, because: 'partition' }));
    for (const { from, to, override } of this.network.linkOverrides())
      if (override.cut && this.network.partitions.connected(from, to))
        links.push({ from, to, because: 'cut' });
    return links;
  }

  /** The link faults of the whole network now, and each link's changes made by hand. */
  linkState(): {
    faults: FaultyNetwork['linkFaults'];
    overrides: ReturnType<FaultyNetwork['linkOverrides']>;
  } {
    return { faults: this.network.linkFaults, overrides: this.network.linkOverrides() };
  }

  /** Messages on their way, in delivery order. */
  inFlight(): InFlightMessage[] {
    const flights: InFlightMessage[] = [];
    for (const item of this.queue.scheduled()) {
      if (item.event.kind !== 'deliver') continue;
      flights.push({
        flightId: item.sequence,
        message: item.event.message,
        deliverAtMs: item.timeMs,
      });
    }
    return flights.sort((a, b) => a.deliverAtMs - b.deliverAtMs || a.flightId - b.flightId);
  }

  /** The client history so far, in Jepsen's shape (invoke, ok, fail, info). */
  history(): readonly HistoryEvent[] {
    return this.workload.history;
  }

  /**
   * A deep copy that runs on exactly as this one would (same transcript, same hash), sharing no
   * state with it: nodes, storages, engines, PRNG states, the event queue, the network, the
   * workload and its history, the invariant memory and the transcript's hash state. Listeners
   * are not copied; immutable byte arrays (entry payloads) are shared.
   */
  clone(): Simulation {
    const seed = new Map<unknown, unknown>([
      [this.options, this.options],
      [this.listeners, []],
      [discardLogger, discardLogger],
    ]);
    // A report is immutable once made, and its node views hold closures.
    if (this.violation !== null) seed.set(this.violation, this.violation);
    // The last views hold each node's termAt closure: the copy takes fresh views of every node.
    seed.set(this.lastViews, []);
    seed.set(
      this.changed,
      this.nodeIds.map(() => true),
    );
    // Byte arrays (entry payloads, contexts) are never changed once made, so the copy shares
    // them; the transcript's hash state copies itself.
    return deepClone(this, { seed, shareBytes: true });
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

  /** Processes one event and writes its transcript line after the time (the line is open). */
  private process(event: SimEvent): void {
    const transcript = this.transcript;
    switch (event.kind) {
      case 'tick':
        this.processTick(event);
        return;
      case 'deliver':
        transcript.text('deliver ');
        writeSimMessage(transcript, event.message);
        this.processDeliver(event);
        return;
      case 'request':
        transcript.text('request c');
        transcript.int(event.client);
        transcript.text('>');
        transcript.int(event.node);
        transcript.text(' ');
        writeRequest(transcript, event.request);
        this.processRequest(event);
        return;
      case 'reply':
        this.workload.onReply(event.client, event.reply);
        transcript.text('reply ');
        transcript.int(event.node);
        transcript.text('>c');
        transcript.int(event.client);
        transcript.text(' ');
        writeReply(transcript, event.reply);
        return;
      case 'wake':
        this.workload.onWake(event.client, event.token);
        transcript.text('wake c');
        transcript.int(event.client);
        transcript.text(' ');
        transcript.text(event.token.kind);
        if ('operation' in event.token) {
          transcript.text(' o');
          transcript.int(event.token.operation);
        }
        return;
      case 'nemesis':
        transcript.text('nemesis ');
        transcript.text(this.processNemesis(event.step));
        return;
      case 'liveness':
        transcript.text(this.startLiveness());
        return;
    }
  }

  /** A node's tick; the event, never changed, is queued again for the next one. */
  private processTick(event: Extract<SimEvent, { kind: 'tick' }>): void {
    const { node: id, generation } = event;
    const transcript = this.transcript;
    const node = this.node(id);
    transcript.text('tick ');
    transcript.int(id);
    if (generation !== this.tickGeneration.get(id) || !node.up) {
      transcript.text(' stale');
      return;
    }
    if (node.pausedUntilMs > this.nowMs) {
      this.queue.push(node.pausedUntilMs, event);
      transcript.text(' paused');
      return;
    }
    this.send(node.tick());
    this.queue.push(this.nowMs + this.tickIntervalMs(id), event);
  }

  private processDeliver(event: Extract<SimEvent, { kind: 'deliver' }>): void {
    const node = this.node(event.message.to);
    if (this.deferredAt(node, event)) return;
    this.afterWork(node, node.receive(event.message));
  }

  private processRequest(event: Extract<SimEvent, { kind: 'request' }>): void {
    const node = this.node(event.node);
    if (this.deferredAt(node, event)) return;
    this.afterWork(node, node.request(event.request));
  }

  /**
   * Whether the event cannot run at the node now: it is down (the event is lost) or paused (it
   * waits until the pause ends); writes which.
   */
  private deferredAt(node: KvNode, event: SimEvent): boolean {
    if (!node.up) {
      this.transcript.text(' lost:down');
      return true;
    }
    if (node.pausedUntilMs > this.nowMs) {
      this.queue.push(node.pausedUntilMs, event);
      this.transcript.text(' deferred:paused');
      return true;
    }
    return false;
  }

  /** Sends what the node's work produced and schedules its replies to clients. */
  private afterWork(node: KvNode, work: { messages: Message[]; replies: NodeReply[] }): void {
    this.send(work.messages);
    const transcript = this.transcript;
    for (const reply of work.replies) {
      const target = this.clientOfRequest.get(reply.requestId);
      if (target === undefined) throw new Error(`reply to unknown request ${reply.requestId}`);
      const atMs = this.nowMs + this.clientLinks.get(node.id)!.between(1, 3);
      this.queue.push(atMs, { kind: 'reply', node: node.id, client: target, reply });
      transcript.text(' | ');
      writeReply(transcript, reply);
      transcript.text('@');
      transcript.int(atMs);
    }
  }

  /** Puts messages on the network and writes each one's fate to the open transcript line. */
  private send(messages: readonly Message[]): void {
    const transcript = this.transcript;
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i];
      const delivery = this.network.route(message, this.nowMs);
      const deliverAtMs = delivery.deliverAtMs;
      const record = this.record;
      const flightIds: number[] | null = record === null ? null : [];
      for (let copy = 0; copy < deliverAtMs.length; copy++) {
        const scheduled = this.queue.push(deliverAtMs[copy], {
          kind: 'deliver',
          message: copy === 0 ? message : cloneMessage(message),
        });
        flightIds?.push(scheduled.sequence);
      }
      if (record !== null)
        record.sent.push({
          message,
          deliverAtMs,
          lostBecause: delivery.lostBecause ?? null,
          flightIds: flightIds!,
        });
      transcript.text(' | ');
      writeSimMessage(transcript, message);
      transcript.text(' ');
      writeDelivery(transcript, delivery);
      if (message.type === MessageType.MsgSnap) {
        this.node(message.from).reportSnapshotSent(message.to, delivery.deliverAtMs.length > 0);
      }
    }
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
    this.network.clearLinkOverrides();
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
  localClockMs(id: NodeId): number {
    const drift = this.options.plan.driftPpm[id] ?? 0;
    const scaled = (ms: number): number => Math.floor((ms * 1_000_000) / (1_000_000 + drift));
    if (this.livenessStartMs === null) return scaled(this.nowMs);
    return scaled(this.livenessStartMs) + (this.nowMs - this.livenessStartMs);
  }

  private startTicking(id: NodeId): void {
    const generation = (this.tickGeneration.get(id) ?? 0) + 1;
    this.tickGeneration.set(id, generation);
    this.tickCarryPpm.set(id, 0);
    const phaseMs = this.clock.get(id)!.between(1, this.options.tickMs);
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

  /** Which nodes an event may change (see `changed`). */
  private markChanged(event: SimEvent): void {
    switch (event.kind) {
      case 'tick':
      case 'request':
        this.changed[event.node - 1] = true;
        return;
      case 'deliver':
        this.changed[event.message.to - 1] = true;
        return;
      case 'reply':
      case 'wake':
        return;
      case 'nemesis':
      case 'liveness':
        this.markAllChanged();
    }
  }

  /** Any node may have changed (nemesis steps, the liveness phase, injections). */
  private markAllChanged(): void {
    this.changed.fill(true);
    for (const id of this.nodeIds) this.node(id).viewStale = true;
  }

  /**
   * Every node's view after the event: a fresh one for each changed node, else its last. A
   * node the event reached that handled no Ready (most ticks) did not change after all
   * (KvNode.viewStale): it keeps its last view and counts as unchanged for the checks.
   */
  private views(): NodeView[] {
    const views = this.lastViews;
    this.anyViewChanged = false;
    for (let i = 0; i < this.nodeIds.length; i++) {
      if (!this.changed[i]) continue;
      const node = this.node(this.nodeIds[i]);
      if (!node.viewStale && views[i] !== undefined) {
        this.changed[i] = false;
        continue;
      }
      this.anyViewChanged = true;
      const view = node.takeView();
      views[i] = view;
      if (view.up && view.role === 'leader') this.leaderTerms.add(view.term);
    }
    return views;
  }

  /** After the checks: a changed node's view becomes quiet, as its next takeView would be. */
  private settleViews(): void {
    const views = this.lastViews;
    for (let i = 0; i < views.length; i++) {
      if (!this.changed[i]) continue;
      this.changed[i] = false;
      const view = views[i];
      if (view.restarted || view.appended.length > 0 || view.appliedEntries.length > 0)
        views[i] = { ...view, restarted: false, appended: [], appliedEntries: [] };
    }
  }

  /** Checks the invariants after the event whose transcript line was written last. */
  private observe(): void {
    const views = this.views();
    // No view changed (most ticks, replies, wakes): the checks would see exactly what they saw
    // after the last event, and both they and the memory's update are idempotent then (a leader's
    // completeness check resumes where it stopped, over the same committed entries).
    if (this.anyViewChanged && !this.checkViews(views)) return;
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
        this.write(`${this.nowMs} converged leader ${converged.leader} term ${converged.term}`);
      }
    }
  }

  /** The invariants over the views; false (and the violation recorded) if one broke. */
  private checkViews(views: NodeView[]): boolean {
    const violation = checkInvariantsOfChanged(this.memory, views, this.changed);
    if (violation !== null) {
      this.violation = {
        ...violation,
        atMs: this.nowMs,
        eventCount: this.eventCount,
        event: this.transcript.lastLine(),
        nodes: [...views],
      };
      return false;
    }
    this.settleViews();
    return true;
  }

  private node(id: NodeId): KvNode {
    const node = this.nodes.get(id);
    if (node === undefined) throw new Error(`no node ${id} in this cluster`);
    return node;
  }
}

function eventNode(event: SimEvent): NodeId | null {
  switch (event.kind) {
    case 'tick':
    case 'request':
    case 'reply':
      return event.node;
    case 'deliver':
      return event.message.to;
    default:
      return null;
  }
}

function cloneMessage(message: Message): Message {
  return { ...message, entries: message.entries.map((entry) => ({ ...entry })) };
}
