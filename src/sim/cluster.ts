// A deterministic in-process cluster: N nodes, a simulated clock in milliseconds, a seeded
// network and one event queue ordered by (time, sequence). Everything that happens is an event
// popped from that queue, so one seed always yields the same history.
import { errProposalDropped, errStepPeerNotFound } from '../raft/errors';
import { sinkLogger } from '../raft/logger';
import type { Message, NodeId } from '../raft/types';
import { EventLog, eventLogEntriesMax, type EventLogReader } from './event-log';
import { EventQueue } from './event-queue';
import { Network, defaultNetworkOptions, type NetworkOptions } from './network';
import { NodeHost } from './node-host';
import { snapshotNode, type NodeSnapshot } from './node-snapshot';
import { createRandomStreams } from './random-streams';

export const nodeCountMax = 9;
export const eventsQueuedMax = 100_000;

export interface ClusterOptions {
  nodeCount: number;
  seed: number;
  /** Simulated milliseconds between two ticks of one node. */
  tickMs?: number;
  network?: Partial<NetworkOptions>;
  /** Called after every processed event; used for transcripts and invariant checks. */
  onEvent?: (record: EventRecord) => void;
  /** Entries the event log keeps (the oldest are dropped); 0 records nothing. */
  eventLogEntriesMax?: number;
}

export type ClusterEvent =
  | { kind: 'tick'; nodeId: NodeId }
  | { kind: 'deliver'; message: Message }
  /** A client request; it runs at once, outside the queue, when the caller proposes. */
  | { kind: 'propose'; nodeId: NodeId; data: Uint8Array };

export interface EventRecord {
  timeMs: number;
  /** 1 for the first processed event. */
  eventCount: number;
  event: ClusterEvent;
  /** Messages the event made the node send, in order (dropped ones included). */
  sent: Message[];
  /** For a proposal: whether the node accepted it. */
  accepted?: boolean;
}

export interface ClusterSnapshot {
  seed: number;
  nowMs: number;
  eventCount: number;
  nodes: NodeSnapshot[];
}

export interface Cluster {
  readonly seed: number;
  readonly nodeIds: readonly NodeId[];
  readonly now: number;
  readonly eventCount: number;
  /** Processes the next event; returns its record. */
  step(): EventRecord;
  /** Processes every event due at or before timeMs, then sets the clock to timeMs. */
  runUntil(timeMs: number): void;
  /** Proposes data at a node now; false when the node drops it (e.g. no leader known). */
  propose(nodeId: NodeId, data: Uint8Array): boolean;
  snapshot(options?: { logEntriesMax?: number }): ClusterSnapshot;
  /** Cuts the network into sides from now on (see Network.partition). */
  partition(sides: NodeId[][]): void;
  heal(): void;
  /** The engine's log lines and the messages sent and delivered, in etcd's text. */
  readonly eventLog: EventLogReader;
}

export function createCluster(options: ClusterOptions): Cluster {
  const { nodeCount, seed } = options;
  const tickMs = options.tickMs ?? 10;
  if (!(Number.isSafeInteger(nodeCount) && nodeCount >= 1 && nodeCount <= nodeCountMax)) {
    throw new Error(`nodeCount must be an integer in [1, ${nodeCountMax}], got ${nodeCount}`);
  }
  if (!(Number.isSafeInteger(tickMs) && tickMs >= 1))
    throw new Error(`tickMs must be a positive integer, got ${tickMs}`);

  const streams = createRandomStreams(seed);
  const network = new Network(streams.stream('network'), {
    ...defaultNetworkOptions,
    ...options.network,
  });
  const queue = new EventQueue<ClusterEvent>(eventsQueuedMax);
  let nowMs = 0;
  let eventCount = 0;
  const eventLog = new EventLog(options.eventLogEntriesMax ?? eventLogEntriesMax, () => ({
    timeMs: nowMs,
    eventCount,
  }));
  const nodeIds = Array.from({ length: nodeCount }, (_, i) => i + 1);
  const hosts = new Map<NodeId, NodeHost>();
  for (const id of nodeIds) {
    const random = streams.stream(`timeouts/${id}`);
    const logger = sinkLogger((level, text) => eventLog.logLine(id, level, text));
    hosts.set(id, new NodeHost({ id, voters: nodeIds, random, logger }));
  }
  // Nodes tick at seeded phases within the first tick so they do not tick in lockstep.
  const phases = streams.stream('tick-phases');
  for (const id of nodeIds) queue.push(phases.between(0, tickMs - 1), { kind: 'tick', nodeId: id });

  const hostOf = (id: NodeId): NodeHost => {
    const host = hosts.get(id);
    if (host === undefined) throw new Error(`no node ${id} in this cluster`);
    return host;
  };

  const send = (messages: Message[]): void => {
    for (const message of messages) {
      const route = network.route(message, nowMs);
      eventLog.message(message.from, route.delivered ? 'sent' : 'dropped', message);
      if (route.delivered) queue.push(route.deliverAtMs, { kind: 'deliver', message });
    }
  };

  const process = (event: ClusterEvent): { sent: Message[]; accepted?: boolean } => {
    switch (event.kind) {
      case 'tick': {
        const host = hostOf(event.nodeId);
        host.rawNode.tick();
        queue.push(nowMs + tickMs, event);
        return { sent: host.handleReadies() };
      }
      case 'deliver': {
        const host = hostOf(event.message.to);
        eventLog.message(event.message.to, 'delivered', event.message);
        stepIgnoringDrops(host, event.message);
        return { sent: host.handleReadies() };
      }
      case 'propose': {
        const host = hostOf(event.nodeId);
        const accepted = proposeIgnoringDrops(host, event.data);
        return { sent: host.handleReadies(), accepted };
      }
    }
  };

  const record = (event: ClusterEvent): EventRecord => {
    eventCount++;
    const { sent, accepted } = process(event);
    send(sent);
    const eventRecord: EventRecord = { timeMs: nowMs, eventCount, event, sent };
    if (accepted !== undefined) eventRecord.accepted = accepted;
    options.onEvent?.(eventRecord);
    return eventRecord;
  };

  const step = (): EventRecord => {
    const next = queue.pop();
    // Every node always has its next tick queued, so the queue is never empty.
    if (next === undefined) throw new Error('event queue unexpectedly empty');
    if (next.timeMs < nowMs)
      throw new Error(`event at ${next.timeMs} ms is before now (${nowMs} ms)`);
    nowMs = next.timeMs;
    return record(next.event);
  };

  return {
    seed,
    nodeIds,
    eventLog,
    get now() {
      return nowMs;
    },
    get eventCount() {
      return eventCount;
    },
    step,
    runUntil(timeMs: number): void {
      if (!Number.isSafeInteger(timeMs))
        throw new Error(`runUntil takes whole milliseconds, got ${timeMs}`);
      if (timeMs < nowMs) throw new Error(`runUntil(${timeMs}) is before now (${nowMs} ms)`);
      while (queue.peek()!.timeMs <= timeMs) step();
      nowMs = timeMs;
    },
    propose(nodeId: NodeId, data: Uint8Array): boolean {
      hostOf(nodeId);
      return record({ kind: 'propose', nodeId, data: data.slice() }).accepted!;
    },
    partition(sides: NodeId[][]): void {
      for (const id of sides.flat()) hostOf(id);
      network.partition(sides);
    },
    heal(): void {
      network.heal();
    },
    snapshot(snapshotOptions = {}): ClusterSnapshot {
      const logEntriesMax = snapshotOptions.logEntriesMax ?? 64;
      const nodes = nodeIds.map((id) => snapshotNode(hostOf(id), logEntriesMax));
      return { seed, nowMs, eventCount, nodes };
    },
  };
}

/** Steps a delivered message in; the errors a real transport ignores are ignored here too. */
function stepIgnoringDrops(host: NodeHost, message: Message): void {
  try {
    host.rawNode.step(message);
  } catch (error) {
    // A follower without a leader drops forwarded proposals, and a node may hear from a peer
    // it no longer tracks; etcd's node loop ignores both.
    if (error !== errProposalDropped && error !== errStepPeerNotFound) throw error;
  }
}

function proposeIgnoringDrops(host: NodeHost, data: Uint8Array): boolean {
  try {
    host.rawNode.propose(data);
    return true;
  } catch (error) {
    if (error === errProposalDropped) return false;
    throw error;
  }
}
