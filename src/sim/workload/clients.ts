// Simulated clients: each runs one operation at a time against the node it thinks leads, follows
// redirects, gives up on an operation after a timeout (its outcome is then unknown: `info`) and
// tries another node next time. Every invocation and completion goes into the history.
import type { NodeId } from '../../raft/types';
import type { ClientRequest, NodeReply } from '../process/kv-node';
import type { RandomStream } from '../random-streams';
import type { KvCommand } from './kv-codec';
import type { HistoryError, HistoryEvent, HistoryType } from './history';

export interface WorkloadOptions {
  clientCount: number;
  keyCount: number;
  /** Operations per simulated second over all clients (the aim; slow replies lower it). */
  opsPerSecond: number;
  /** An operation without a reply after this long is recorded as `info`. */
  timeoutMs: number;
}

export const defaultWorkloadOptions: WorkloadOptions = {
  clientCount: 6,
  keyCount: 3,
  opsPerSecond: 100,
  timeoutMs: 1_000,
};

/**
 * Redirects one operation follows before it fails. Redirected attempts proposed nothing, so an
 * operation that only ever got redirects surely did not happen: it fails (with error
 * "not-leader") rather than ending unknown.
 */
export const redirectsMax = 50;
export const historyEventsMax = 2_000_000;
/** Clients that carry operations sent by hand (each runs one at a time, like any client). */
export const handClientsMax = 8;

/** What the workload asks the simulation to do. */
export interface WorkloadHost {
  readonly nowMs: number;
  readonly nodeIds: readonly NodeId[];
  /** Puts a request on the client-to-node link (it may be lost if the node is down). */
  send(atMs: number, node: NodeId, client: number, request: ClientRequest): void;
  /** Wakes the client at atMs: `token` says which operation (and attempt) the wake is for. */
  wake(atMs: number, client: number, token: WakeToken): void;
}

export type WakeToken =
  { kind: 'next' } | { kind: 'timeout'; operation: number } | { kind: 'retry'; operation: number };

interface ClientState {
  id: number;
  leaderGuess: NodeId;
  /** Counts operations the client has invoked; the current one is this number. */
  operation: number;
  current: {
    command: KvCommand;
    requestId: number;
    redirects: number;
    target: NodeId;
    /** Whether the current attempt was answered with a redirect (nothing is in flight). */
    redirected: boolean;
  } | null;
  lastSeen: Map<string, string | null>;
  /** A client for operations sent by hand: it never invents operations of its own. */
  byHand?: true;
}

export class Workload {
  readonly history: HistoryEvent[] = [];
  readonly counts = { ok: 0, fail: 0, info: 0 };
  private readonly clients: ClientState[] = [];
  private requestIdNext = 1;
  private stopped = false;

  constructor(
    private readonly host: WorkloadHost,
    private random: RandomStream,
    private readonly options: WorkloadOptions,
  ) {
    const { clientCount, keyCount, opsPerSecond, timeoutMs } = options;
    for (const [name, value] of Object.entries({
      clientCount,
      keyCount,
      opsPerSecond,
      timeoutMs,
    })) {
      if (!(Number.isSafeInteger(value) && value > 0))
        throw new Error(`${name} must be a positive integer, got ${value}`);
    }
    for (let id = 1; id <= clientCount; id++) {
      const leaderGuess = host.nodeIds[random.intn(host.nodeIds.length)];
      this.clients.push({ id, leaderGuess, operation: 0, current: null, lastSeen: new Map() });
    }
  }

  private get gapMsMean(): number {
    return Math.max(1, Math.floor((this.options.clientCount * 1_000) / this.options.opsPerSecond));
  }

  start(): void {
    for (const client of this.clients) {
      this.host.wake(this.host.nowMs + this.random.between(0, this.gapMsMean), client.id, {
        kind: 'next',
      });
    }
  }

  /** True when no client has an operation in flight. */
  get idle(): boolean {
    return this.clients.every((client) => client.current === null);
  }

  /** No new operations from now on; those in flight still complete or time out. */
  stop(): void {
    this.stopped = true;
  }

  onWake(clientId: number, token: WakeToken): void {
    const client = this.client(clientId);
    if (token.kind === 'next') return this.invoke(client);
    if (token.operation !== client.operation || client.current === null) return;
    if (token.kind === 'retry') return this.sendCurrent(client);
    // Timed out. With an attempt still unanswered the operation may or may not have happened;
    // try another node next time.
    if (client.current.redirected) return this.complete(client, 'fail', null, 'not-leader');
    client.leaderGuess = this.otherNode(client.current.target);
    this.complete(client, 'info', null);
  }

  onReply(clientId: number, reply: NodeReply): void {
    const client = this.client(clientId);
    const current = client.current;
    if (current === null || current.requestId !== reply.requestId) return;
    if (reply.kind === 'redirect') {
      current.redirects++;
      current.redirected = true;
      if (current.redirects > redirectsMax)
        return this.complete(client, 'fail', null, 'not-leader');
      const known = reply.leader !== 0 && reply.leader !== current.target;
      client.leaderGuess = known ? reply.leader : this.otherNode(current.target);
      // Without a known leader, back off: an election is probably running.
      const delayMs = known ? 0 : this.random.between(20, 80);
      this.host.wake(this.host.nowMs + delayMs, client.id, {
        kind: 'retry',
        operation: client.operation,
      });
      return;
    }
    const result = reply.result;
    if (result.f === 'get') {
      client.lastSeen.set(current.command.key, result.value);
      return this.complete(client, 'ok', result.value);
    }
    if (result.f === 'cas' && !result.swapped)
      return this.complete(client, 'fail', null, 'mismatch');
    const command = current.command;
    if (command.f !== 'get')
      client.lastSeen.set(command.key, command.f === 'put' ? command.value : command.to);
    this.complete(client, 'ok', null);
  }

  /** The clients draw from `random` from now on (an intervention forking the run's future). */
  reseed(random: RandomStream): void {
    this.random = random;
  }

  /**
   * Sends an operation by hand through the first idle hand client (ids after the workload's),
   * making one when all are busy. Returns the client's id, or null when all handClientsMax are
   * busy. Hand operations run even after stop(): a person may still ask.
   */
  invokeByHand(command: KvCommand): number | null {
    const first = this.options.clientCount;
    let client = this.clients.slice(first).find((candidate) => candidate.current === null);
    if (client === undefined) {
      if (this.clients.length - first >= handClientsMax) return null;
      const leaderGuess = this.host.nodeIds[this.random.intn(this.host.nodeIds.length)];
      const id = this.clients.length + 1;
      client = { id, leaderGuess, operation: 0, current: null, lastSeen: new Map(), byHand: true };
      this.clients.push(client);
    }
    client.operation++;
    this.begin(client, command);
    return client.id;
  }

  private invoke(client: ClientState): void {
    if (this.stopped || client.current !== null || client.byHand === true) return;
    client.operation++;
    this.begin(client, this.nextCommand(client));
  }

  /** Makes `command` the client's current operation (its number already counted) and sends it. */
  private begin(client: ClientState, command: KvCommand): void {
    client.current = {
      command,
      requestId: 0,
      redirects: 0,
      target: client.leaderGuess,
      redirected: false,
    };
    this.record(client.id, 'invoke', command, invokeValue(command));
    this.host.wake(this.host.nowMs + this.options.timeoutMs, client.id, {
      kind: 'timeout',
      operation: client.operation,
    });
    this.sendCurrent(client);
  }

  private sendCurrent(client: ClientState): void {
    const current = client.current!;
    current.requestId = this.requestIdNext++;
    current.redirected = false;
    current.target = client.leaderGuess;
    const request = { requestId: current.requestId, command: current.command };
    this.host.send(this.host.nowMs + this.random.between(1, 3), current.target, client.id, request);
  }

  private complete(
    client: ClientState,
    type: HistoryType,
    output: string | null,
    error?: HistoryError,
  ): void {
    const command = client.current!.command;
    client.current = null;
    this.counts[type as 'ok' | 'fail' | 'info']++;
    this.record(
      client.id,
      type,
      command,
      command.f === 'get' ? output : invokeValue(command),
      error,
    );
    // A hand client waits for the next operation a person sends.
    if (client.byHand === true) return;
    this.host.wake(this.host.nowMs + this.random.between(0, 2 * this.gapMsMean), client.id, {
      kind: 'next',
    });
  }

  private nextCommand(client: ClientState): KvCommand {
    const key = `k${this.random.intn(this.options.keyCount)}`;
    const roll = this.random.intn(10);
    const value = `${client.id}-${client.operation}`;
    if (roll < 4) return { f: 'get', key };
    if (roll < 7) return { f: 'put', key, value };
    return { f: 'cas', key, from: client.lastSeen.get(key) ?? null, to: value };
  }

  private record(
    process: number,
    type: HistoryType,
    command: KvCommand,
    value: HistoryEvent['value'],
    error?: HistoryError,
  ): void {
    if (this.history.length >= historyEventsMax)
      throw new Error(`history exceeds ${historyEventsMax} events`);
    const event: HistoryEvent = {
      process,
      type,
      f: command.f,
      key: command.key,
      value,
      timeMs: this.host.nowMs,
    };
    if (error !== undefined) event.error = error;
    this.history.push(event);
  }

  private otherNode(node: NodeId): NodeId {
    const ids = this.host.nodeIds;
    return ids[(ids.indexOf(node) + 1 + this.random.intn(ids.length - 1 || 1)) % ids.length];
  }

  private client(id: number): ClientState {
    const client = this.clients[id - 1];
    if (client === undefined) throw new Error(`no client ${id}`);
    return client;
  }
}

function invokeValue(command: KvCommand): HistoryEvent['value'] {
  switch (command.f) {
    case 'get':
      return null;
    case 'put':
      return command.value;
    case 'cas':
      return [command.from, command.to];
  }
}
