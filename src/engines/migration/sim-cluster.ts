// A simulated cluster for the migration: one memory disk per node (its data dir is the disk's
// root), in-process hosts of either engine, and a lockstep scheduler that moves each engine's
// messages between the nodes running that engine. It implements NodeControl, so the orchestrator
// runs against it exactly as it would against machines.
//
// Node ids: on hashicorp a node is 1 + its position in NODES; on etcd it is 1 + its record
// position in the peers file the migrator wrote at index 1 (migratedRaftIds), read from the
// node's disk at its first etcd start and kept (like a node's config) for later starts.
//
// Election safety is checked across the whole cluster after every round: two nodes leading in
// the same term of the same engine is a violation (split brain).
import type { NodeId } from '../../raft/types';
import type { RaftEngineType } from '../../storage/datadir/engine-marker';
import { writeFileAtomic } from '../../storage/fs/atomic-write';
import type { FileSystem } from '../../storage/fs/file-system';
import { MemoryBackend } from '../../storage/fs/memory-backend';
import { joinPath } from '../../storage/fs/path';
import { loadPeersFile } from '../../storage/peers/peers-store';
import { failure, success, type Result } from '../../storage/result';
import { decodeSnapFile, encodeSnapFile } from '../../storage/snap/snap-file';
import { listSnapFiles } from '../../storage/snap/snapshotter';
import { emptyBatch, type NodeStatus } from '../etcd/batch';
import { EtcdNodeHost } from '../etcd/node-host';
import type { EtcdHostSettings } from '../etcd/settings';
import { emptyHashicorpBatch } from '../hashicorp/batch';
import { HashicorpNodeHost } from '../hashicorp/node-host';
import { testHostSettings } from '../hashicorp/test-cluster';
import type { ClientRequest, RequestResponse } from '../host-types';
import type { NodeSpec } from './arguments';
import type { LeaderInfo, NodeControl } from './node-control';

export type MigrationBug = 'orchestrator-member-dir' | 'no-peers-file';
export const migrationBugs: readonly MigrationBug[] = ['orchestrator-member-dir', 'no-peers-file'];

export const simEtcdSettings: Partial<EtcdHostSettings> = {
  electionTicks: 10,
  heartbeatTicks: 1,
  snapshotThresholdEntries: 50,
  snapshotCatchUpEntries: 5,
  walSegmentBytesMax: 16 * 1024,
};

/** Rounds any wait may take before it gives up with a reason. */
export const waitRoundsMax = 400;
const inboxMessagesMax = 10_000;

interface Routed {
  from: NodeId;
  to: NodeId;
}

interface SimNode {
  spec: NodeSpec;
  disk: MemoryBackend;
  hashicorpId: number;
  etcdRaftId: number | null;
  host: { engine: 'hashicorp'; host: HashicorpNodeHost } | { engine: 'etcd'; host: EtcdNodeHost } | null;
  status: NodeStatus | null;
  inbox: Routed[];
  requests: ClientRequest[];
  incarnation: number;
  /** A process that ignores stop requests (a fault for the orchestrator's stop check). */
  refusesToStop: boolean;
}

export interface SimClusterOptions {
  nodes: NodeSpec[];
  seed: number;
  bugs?: readonly MigrationBug[];
}

export class MigrationSimCluster implements NodeControl {
  readonly nodes: SimNode[];
  readonly responses = new Map<number, RequestResponse>();
  /** The disks the orchestrator's file operations go through, when a test wraps one. */
  readonly diskViews = new Map<string, FileSystem>();
  round = 0;
  private nextRequestId = 1;
  private readonly leadersByTerm = new Map<string, Set<string>>();
  private readonly violations: string[] = [];
  private readonly violationAt = new Map<string, number>();

  constructor(readonly options: SimClusterOptions) {
    this.nodes = options.nodes.map((spec, position) => ({
      spec,
      disk: new MemoryBackend(),
      hashicorpId: position + 1,
      etcdRaftId: null,
      host: null,
      status: null,
      inbox: [],
      requests: [],
      incarnation: 0,
      refusesToStop: false,
    }));
  }

  node(name: string): SimNode {
    const node = this.nodes.find((candidate) => candidate.spec.id === name);
    if (node === undefined) throw new Error(`no node "${name}" in the simulated cluster`);
    return node;
  }

  disk(name: string): FileSystem {
    return this.diskViews.get(name) ?? this.node(name).disk;
  }

  engineOf(name: string): RaftEngineType | null {
    return this.node(name).host?.engine ?? null;
  }

  statusOf(name: string): NodeStatus | null {
    return this.node(name).status;
  }

  async quiesce(): Promise<Result<void, string>> {
    if (this.nodes.every((node) => node.host === null)) return success(undefined);
    const settled = () => {
      const running = this.nodes.filter((node) => node.host !== null && node.status !== null);
      const commit = Math.max(0, ...running.map((node) => node.status!.commit));
      return running.length > 0 && running.some((node) => node.status!.role === 'StateLeader') && running.every((node) => node.status!.applied === commit);
    };
    return this.runUntil(settled, 'every running node applying the same index');
  }

  async stop(name: string): Promise<void> {
    const node = this.node(name);
    if (node.refusesToStop || node.host === null) return;
    if (node.host.engine === 'hashicorp') await node.host.host.gracefulStop();
    else await node.host.host.handleBatch(emptyBatch({ commands: [{ kind: 'crash' }] }));
    node.host = null;
    node.status = null;
    node.inbox = [];
  }

  async isStopped(name: string): Promise<boolean> {
    return this.node(name).host === null;
  }

  async start(name: string, engine: RaftEngineType): Promise<Result<void, string>> {
    const node = this.node(name);
    if (node.host !== null) return failure(`${name} is already running ${node.host.engine}`);
    node.incarnation++;
    const seed = (this.options.seed * 1_000_003 + node.hashicorpId * 7919 + node.incarnation * 104_729) >>> 0;
    if (engine === 'hashicorp') {
      const bootstrapPeers = this.nodes.map((other) => ({ nodeId: other.hashicorpId, address: other.spec.host }));
      const host = new HashicorpNodeHost({ id: node.hashicorpId, bootstrapPeers, settings: testHostSettings }, node.disk);
      node.host = { engine, host };
      node.status = (await host.handleBatch(emptyHashicorpBatch({ commands: [{ kind: 'restart', seed }] }))).status;
    } else {
      const raftId = await this.etcdRaftId(node);
      if (!raftId.ok) return raftId;
      node.etcdRaftId = raftId.value;
      const host = new EtcdNodeHost({ id: raftId.value, bootstrapPeers: null, settings: simEtcdSettings }, node.disk);
      node.host = { engine, host };
      node.status = (await host.handleBatch(emptyBatch({ commands: [{ kind: 'restart', seed }] }))).status;
    }
    if (node.status.role === 'failed' || node.status.role === 'down') {
      const error = node.status.error ?? node.status.role;
      node.host = null;
      node.status = null;
      return failure(`${name} did not start on ${engine}: ${error}`);
    }
    return success(undefined);
  }

  /** The node's etcd id: kept from an earlier start, else its position in the peers file. */
  private async etcdRaftId(node: SimNode): Promise<Result<number, string>> {
    if (node.etcdRaftId !== null) return success(node.etcdRaftId);
    const loaded = await loadPeersFile(node.disk, '');
    if (!loaded.ok) return failure(`${node.spec.id}: etcd-raft-peers.bin: ${loaded.error.message}`);
    if (loaded.value === null) {
      if (!this.options.bugs?.includes('no-peers-file')) {
        return failure(`${node.spec.id} has no etcd-raft-peers.bin: a migrated node must not start without its configuration; rerun the migration for it`);
      }
      // The bug: elastickv's etcd engine, finding no peers file, fell back to a one-node
      // configuration of the node alone. raftlab's etcd host keeps the snapshot's voters, so the
      // switch injects the old behaviour here: the snapshot's voters become this node only.
      await fallBackToOneNodeConfiguration(node.disk);
      return success(1);
    }
    const position = loaded.value.peers.findIndex((peer) => peer.id === node.spec.id);
    if (position < 0) return failure(`${node.spec.id} is not in its etcd-raft-peers.bin`);
    return success(position + 1);
  }

  async awaitLeader(): Promise<Result<LeaderInfo, string>> {
    let leader: LeaderInfo | null = null;
    const found = () => {
      for (const node of this.nodes) {
        if (node.status?.role === 'StateLeader') leader = { node: node.spec.id, term: node.status.term };
        if (leader !== null) return true;
      }
      return false;
    };
    const waited = await this.runUntil(found, 'a leader');
    return waited.ok && leader !== null ? success(leader) : failure(waited.ok ? 'no leader' : waited.error);
  }

  async put(name: string, key: string, value: string): Promise<Result<void, string>> {
    const result = await this.call(name, (requestId) => ({ kind: 'propose', requestId, command: { op: 'put', key, value } }));
    return result.ok ? success(undefined) : result;
  }

  async get(name: string, key: string): Promise<Result<string | null, string>> {
    return this.call(name, (requestId) => ({ kind: 'read', requestId, key }));
  }

  safetyViolations(): string[] {
    return [...this.violations];
  }

  /** Makes the node ignore stop requests (true) or obey them again. */
  setRefusesToStop(name: string, refuses: boolean): void {
    this.node(name).refusesToStop = refuses;
  }

  private async call(name: string, build: (requestId: number) => ClientRequest): Promise<Result<string | null, string>> {
    const node = this.node(name);
    if (node.host === null) return failure(`${name} is not running`);
    const requestId = this.nextRequestId++;
    node.requests.push(build(requestId));
    const waited = await this.runUntil(() => this.responses.has(requestId), `an answer to request ${requestId} on ${name}`);
    if (!waited.ok) return waited;
    const result = this.responses.get(requestId)!.result;
    return result.ok ? success(result.value) : failure(`${name}: ${result.code}: ${result.message}`);
  }

  async runUntil(done: () => boolean, what: string, roundsMax = waitRoundsMax): Promise<Result<void, string>> {
    for (let i = 0; i < roundsMax; i++) {
      if (done()) return success(undefined);
      await this.runRound();
    }
    return done() ? success(undefined) : failure(`${what} not reached within ${roundsMax} rounds (seed ${this.options.seed})`);
  }

  async runRound(): Promise<void> {
    const outbox: { engine: RaftEngineType; message: Routed }[] = [];
    for (const node of this.nodes) {
      if (node.host === null) continue;
      const fields = { messages: node.inbox, requests: node.requests, ticks: 1 };
      node.inbox = [];
      node.requests = [];
      const result =
        node.host.engine === 'hashicorp'
          ? await node.host.host.handleBatch(emptyHashicorpBatch(fields as Parameters<typeof emptyHashicorpBatch>[0]))
          : await node.host.host.handleBatch(emptyBatch(fields as Parameters<typeof emptyBatch>[0]));
      node.status = result.status;
      for (const response of result.responses) this.responses.set(response.requestId, response);
      for (const message of result.messages) outbox.push({ engine: node.host.engine, message });
      this.observeLeader(node);
    }
    for (const { engine, message } of outbox) this.route(engine, message);
    this.round++;
  }

  private observeLeader(node: SimNode): void {
    const status = node.status;
    if (status === null || status.role !== 'StateLeader' || node.host === null) return;
    const key = `${node.host.engine} term ${status.term}`;
    const leaders = this.leadersByTerm.get(key) ?? new Set<string>();
    leaders.add(node.spec.id);
    this.leadersByTerm.set(key, leaders);
    if (leaders.size < 2) return;
    const text = `election safety: ${key} has more than one leader (${[...leaders].join(', ')})`;
    const at = this.violationAt.get(key);
    if (at === undefined) this.violationAt.set(key, this.violations.push(text) - 1);
    else this.violations[at] = text;
  }

  private route(engine: RaftEngineType, message: Routed): void {
    const targets = this.nodes.filter(
      (node) => node.host?.engine === engine && (engine === 'hashicorp' ? node.hashicorpId : node.etcdRaftId) === message.to,
    );
    // A message goes to exactly one node; with the one-node fallback every node is id 1 and
    // nobody can be addressed.
    if (targets.length !== 1 || targets[0].inbox.length >= inboxMessagesMax) return;
    targets[0].inbox.push(message);
  }
}

/** The no-peers-file bug's fallback: every snapshot's voters become node 1 alone. */
async function fallBackToOneNodeConfiguration(disk: FileSystem): Promise<void> {
  for (const ref of await listSnapFiles(disk, 'snap')) {
    const path = joinPath('snap', ref.name);
    const decoded = decodeSnapFile(await disk.readFile(path));
    if (!decoded.ok) continue;
    const snapshot = decoded.value;
    const confState = { ...snapshot.metadata.confState, voters: [1] };
    await writeFileAtomic(disk, path, encodeSnapFile({ ...snapshot, metadata: { ...snapshot.metadata, confState } }), 1);
  }
}
