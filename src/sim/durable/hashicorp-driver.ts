// The in-process node driver over the HashiCorp-style node host (`--engine hashicorp`): the same
// lifecycle as the etcd driver (the disk belongs to the driver and outlives every incarnation;
// the host is dropped once a batch leaves the node down or failed). The simulator describes
// every node with the etcd host's NodeInit; this maps it onto the HashiCorp host's: the same
// bootstrap voters (BootstrapCluster writes them as log entry 1 on an empty disk), the same tick
// length, snapshot threshold, one-entry messages and bug switches, and hashicorp's timeouts scaled to the etcd nodes' election
// timeout so the two engines run under the same faults on the same time scale.
import type { NodeInit } from '../../engines/etcd/batch';
import type { HashicorpNodeInit } from '../../engines/hashicorp/batch';
import { HashicorpNodeHost } from '../../engines/hashicorp/node-host';
import type { HashicorpHostSettings } from '../../engines/hashicorp/settings';
import type { RpcMessage } from '../../engines/hashicorp/types';
import { MemoryBackend } from '../../storage/fs/memory-backend';
import type { DriverBatch, DriverResult, NodeDriver, NodeDriverFactory } from './node-driver';

/** The HashiCorp host's settings for a durable run whose etcd nodes would have `init.settings`. */
export function hashicorpDurableSettings(init: NodeInit): Partial<HashicorpHostSettings> {
  const settings = init.settings ?? {};
  const tickIntervalMs = settings.tickIntervalMs ?? 10;
  const electionMs = (settings.electionTicks ?? 10) * tickIntervalMs;
  return {
    tickIntervalMs,
    snapshotThresholdEntries: settings.snapshotThresholdEntries ?? 1_000,
    raft: {
      heartbeatTimeoutMs: electionMs,
      electionTimeoutMs: electionMs,
      commitTimeoutMs: tickIntervalMs,
      leaderLeaseTimeoutMs: Math.max(5, electionMs >> 1),
      rpcTimeoutMs: electionMs,
      trailingLogs: settings.snapshotCatchUpEntries ?? 200,
      // etcd's maxSizePerMsg 0 sends one entry per message: the same for AppendEntries.
      ...(settings.maxSizePerMsg === 0 ? { maxAppendEntries: 1 } : {}),
    },
  };
}

export function hashicorpNodeInit(init: NodeInit): HashicorpNodeInit {
  return {
    id: init.id,
    bootstrapPeers: init.bootstrapPeers,
    settings: hashicorpDurableSettings(init),
    observe: init.observe,
    ...(init.bugs === undefined ? {} : { bugs: init.bugs }),
  };
}

export class HashicorpInProcessDriver implements NodeDriver<RpcMessage> {
  /** The node's disk: the page cache the fault layer of each incarnation sits on. */
  readonly disk = new MemoryBackend();
  private host: HashicorpNodeHost | null = null;
  private busy = false;
  readonly init: HashicorpNodeInit;

  constructor(init: NodeInit) {
    this.init = hashicorpNodeInit(init);
  }

  async handleBatch(batch: DriverBatch<RpcMessage>): Promise<DriverResult<RpcMessage>> {
    if (this.busy) throw new Error(`node ${this.init.id}: one outstanding batch per node`);
    this.busy = true;
    try {
      this.host ??= new HashicorpNodeHost(this.init, this.disk);
      const result = await this.host.handleBatch(batch);
      const role = result.status.role;
      if (role === 'down' || role === 'failed') this.host = null;
      return result;
    } finally {
      this.busy = false;
    }
  }

  async terminate(): Promise<void> {
    this.host = null;
  }
}

export const hashicorpDriverFactory: NodeDriverFactory<RpcMessage> = (init) => new HashicorpInProcessDriver(init);
