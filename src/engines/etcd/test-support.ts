// Helpers shared by the etcd host tests (and the worker tests): a cluster of in-process hosts on
// memory disks, and the fast settings the tests use.
import { MemoryBackend } from '../../storage/fs/memory-backend';
import type { NodeId } from '../../raft/types';
import type { NodeInit, PeerSpec } from './batch';
import { LockstepCluster, type BatchEndpoint, type DropRatio } from './lockstep-cluster';
import { EtcdNodeHost } from './node-host';
import type { EtcdHostSettings } from './settings';

export const testSettings: Partial<EtcdHostSettings> = {
  electionTicks: 10,
  heartbeatTicks: 1,
  snapshotThresholdEntries: 20,
  snapshotCatchUpEntries: 5,
  walSegmentBytesMax: 4096,
};

export function peerSpecs(ids: readonly NodeId[]): PeerSpec[] {
  return ids.map((nodeId) => ({ nodeId, address: `node-${nodeId}:7000` }));
}

export function initFor(id: NodeId, voters: readonly NodeId[] | null, settings = testSettings, bugs: string[] = []): NodeInit {
  return { id, bootstrapPeers: voters === null ? null : peerSpecs(voters), settings, ...(bugs.length === 0 ? {} : { bugs }) };
}

/** The restart seed of a node's incarnation, derived from the run's seed. */
export function bootSeed(seed: number, node: NodeId, incarnation: number): number {
  return (seed * 1_000_003 + node * 7919 + incarnation * 104_729) >>> 0;
}

export interface HostCluster {
  cluster: LockstepCluster;
  hosts: Map<NodeId, EtcdNodeHost>;
  disks: Map<NodeId, MemoryBackend>;
}

/** In-process hosts on memory disks, every node's first restart queued. */
export function hostCluster(options: {
  ids: NodeId[];
  seed: number;
  dropRatio?: DropRatio;
  settings?: Partial<EtcdHostSettings>;
  /** Bug switches every host starts with (src/sim/bugs.ts names). */
  bugs?: string[];
}): HostCluster {
  const hosts = new Map<NodeId, EtcdNodeHost>();
  const disks = new Map<NodeId, MemoryBackend>();
  const endpoints = new Map<NodeId, BatchEndpoint>();
  for (const id of options.ids) {
    const disk = new MemoryBackend();
    const host = new EtcdNodeHost(initFor(id, options.ids, options.settings ?? testSettings, options.bugs), disk);
    disks.set(id, disk);
    hosts.set(id, host);
    endpoints.set(id, host);
  }
  const cluster = new LockstepCluster({ endpoints, seed: options.seed, dropRatio: options.dropRatio });
  for (const id of options.ids) cluster.command(id, { kind: 'restart', seed: bootSeed(options.seed, id, 0) });
  return { cluster, hosts, disks };
}
