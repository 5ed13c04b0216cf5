// The in-process node driver: the etcd node host over a memory disk, called directly. The disk
// belongs to the driver, so it outlives every incarnation; like a worker endpoint, the driver
// drops its host once a batch leaves the node down or failed, and the next batch meets a fresh
// host that recovers from that disk.
import type { BatchResult, NodeBatch, NodeInit } from '../../engines/etcd/batch';
import { EtcdNodeHost } from '../../engines/etcd/node-host';
import { MemoryBackend } from '../../storage/fs/memory-backend';
import type { NodeDriver, NodeDriverFactory } from './node-driver';

export class InProcessDriver implements NodeDriver {
  /** The node's disk: the page cache the fault layer of each incarnation sits on. */
  readonly disk = new MemoryBackend();
  private host: EtcdNodeHost | null = null;
  private busy = false;

  constructor(readonly init: NodeInit) {}

  async handleBatch(batch: NodeBatch): Promise<BatchResult> {
    if (this.busy) throw new Error(`node ${this.init.id}: one outstanding batch per node`);
    this.busy = true;
    try {
      this.host ??= new EtcdNodeHost(this.init, this.disk);
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

export const inProcessDriverFactory: NodeDriverFactory = (init) => new InProcessDriver(init);
