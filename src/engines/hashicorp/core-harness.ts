// A deterministic harness for the engine core alone (no disk): servers stepped in lockstep on a
// simulated clock, messages delivered one step later unless dropped or cut by a partition. Tests
// of elections, replication, the lease, configuration changes and transfer use it.
import { discardLogger } from '../../raft/logger';
import { seededRandom, type RandomSource } from '../../raft/random';
import { encodeConfiguration } from './configuration';
import { HashicorpRaft, type RecoveredState } from './raft';
import { resolveRaftConfig, type RaftConfig } from './raft-config';
import type { RaftEvent } from './raft-output';
import { LogType, RaftRole, Suffrage, type LogEntry, type RpcMessage, type ServerId } from './types';

export const fastRaftConfig: Partial<RaftConfig> = {
  heartbeatTimeoutMs: 100,
  electionTimeoutMs: 100,
  commitTimeoutMs: 10,
  leaderLeaseTimeoutMs: 50,
  rpcTimeoutMs: 100,
  trailingLogs: 4,
};

export interface HarnessServer {
  raft: HashicorpRaft;
  /** Every entry handed to the state machine, in order (restores reset it to the snapshot's). */
  applied: LogEntry[];
  events: RaftEvent[];
  /** Index and term of the last restored snapshot. */
  restoredAt: number;
}

/** The log a bootstrapped server starts with: one configuration entry at index 1, term 1. */
export function bootstrapEntries(ids: readonly ServerId[]): LogEntry[] {
  const configuration = { servers: ids.map((id) => ({ suffrage: Suffrage.Voter, id, address: `node-${id}` })) };
  return [{ index: 1, term: 1, type: LogType.Configuration, data: encodeConfiguration(configuration) }];
}

export class CoreHarness {
  readonly servers = new Map<ServerId, HarnessServer>();
  nowMs = 0;
  stepMs = 10;
  /** Directed links that drop everything: "from->to". */
  readonly cut = new Set<string>();
  dropPercent = 0;
  /** Every leader seen, by term (election safety is checked on the fly). */
  readonly leadersByTerm = new Map<number, ServerId>();
  private inFlight: RpcMessage[] = [];
  private readonly random: RandomSource;

  constructor(
    ids: readonly ServerId[],
    readonly seed: number,
    readonly config: Partial<RaftConfig> = fastRaftConfig,
    joiners: readonly ServerId[] = [],
  ) {
    this.random = seededRandom(seed ^ 0xabcdef);
    for (const id of ids) this.add(id, { stable: { currentTerm: 1, lastVoteTerm: 0, lastVoteCand: 0 }, entries: bootstrapEntries(ids), snapshot: null });
    for (const id of joiners) this.add(id, { stable: { currentTerm: 0, lastVoteTerm: 0, lastVoteCand: 0 }, entries: [], snapshot: null });
  }

  add(id: ServerId, recovered: RecoveredState): HarnessServer {
    const raft = new HashicorpRaft({
      id,
      config: resolveRaftConfig(this.config),
      random: seededRandom(this.seed * 31 + id),
      logger: discardLogger,
      recovered,
      nowMs: this.nowMs,
    });
    const server: HarnessServer = { raft, applied: [], events: [], restoredAt: recovered.snapshot?.meta.index ?? 0 };
    this.servers.set(id, server);
    return server;
  }

  get(id: ServerId): HarnessServer {
    return this.servers.get(id)!;
  }

  leader(): ServerId | null {
    let best: HashicorpRaft | null = null;
    for (const { raft } of this.servers.values()) {
      if (raft.role === RaftRole.Leader && (best === null || raft.currentTerm > best.currentTerm)) best = raft;
    }
    return best === null ? null : best.id;
  }

  isolate(id: ServerId): void {
    for (const other of this.servers.keys()) {
      if (other === id) continue;
      this.cut.add(`${id}->${other}`);
      this.cut.add(`${other}->${id}`);
    }
  }

  heal(): void {
    this.cut.clear();
  }

  /** One step: deliver last step's messages, advance the clock, tick everyone, collect output. */
  step(): void {
    const delivering = this.inFlight;
    this.inFlight = [];
    this.nowMs += this.stepMs;
    for (const message of delivering) this.servers.get(message.to)?.raft.step(message, this.nowMs);
    for (const id of [...this.servers.keys()].sort((a, b) => a - b)) {
      const server = this.servers.get(id)!;
      server.raft.tick(this.nowMs);
      this.collect(server);
    }
  }

  collect(server: HarnessServer): void {
    const output = server.raft.takeOutput();
    for (const item of output.apply) {
      if (item.kind === 'entry') server.applied.push(item.entry);
      else {
        server.applied = [];
        server.restoredAt = item.meta.index;
      }
    }
    server.events.push(...output.events);
    for (const message of output.messages) {
      if (this.cut.has(`${message.from}->${message.to}`)) continue;
      if (this.dropPercent > 0 && this.random.intn(100) < this.dropPercent) continue;
      this.inFlight.push(message);
    }
    const raft = server.raft;
    if (raft.role === RaftRole.Leader) {
      const known = this.leadersByTerm.get(raft.currentTerm);
      if (known !== undefined && known !== raft.id) throw new Error(`two leaders in term ${raft.currentTerm}: ${known} and ${raft.id}`);
      this.leadersByTerm.set(raft.currentTerm, raft.id);
    }
  }

  /** Steps until `done` holds; throws after `stepsMax`. */
  runUntil(done: () => boolean, stepsMax: number, what: string): void {
    for (let i = 0; i < stepsMax; i++) {
      this.step();
      if (done()) return;
    }
    throw new Error(`${what}: not reached within ${stepsMax} steps (seed ${this.seed})`);
  }

  run(steps: number): void {
    for (let i = 0; i < steps; i++) this.step();
  }

  /** Applies a command on the leader; returns its index. */
  propose(text: string): number {
    const leader = this.leader();
    if (leader === null) throw new Error('no leader');
    const server = this.get(leader);
    const result = server.raft.apply(new TextEncoder().encode(text), this.nowMs);
    this.collect(server);
    if (!result.ok) throw new Error(result.error);
    return result.value.index;
  }
}

/** The commands a server applied, as text. */
export function appliedCommands(server: HarnessServer): string[] {
  return server.applied.filter((entry) => entry.type === LogType.Command).map((entry) => new TextDecoder().decode(entry.data));
}
