// The HashiCorp-style node host: a node's process on its disk, driven one lockstep batch at a time
// with the same interface as the etcd host (../host-types.ts), so a scheduler drives either.
//
// A batch runs in a fixed order: commands, inbound messages (at the batch's start time), client
// requests, admin calls, then `ticks` ticks of tickIntervalMs simulated milliseconds each, then
// the engine's output until none is left (writes durable before messages leave). The node's clock
// keeps running while it is down, as a real clock would. The disk outlives the process: each
// boot puts a fresh FaultLayer over it, and a crash reduces it to what was durable.
import { seededRandom } from '../../raft/random';
import { FaultLayer } from '../../storage/fs/fault-layer';
import { FsError, type FileSystem } from '../../storage/fs/file-system';
import { downStatus } from '../etcd/node-status';
import { fsmStoreDirName, loadFsmStore, type FsmState } from '../fsm-store';
import type { NodeCommand, RequestResponse } from '../host-types';
import type { HashicorpBatchEndpoint, HashicorpBatchResult, HashicorpNodeBatch, HashicorpNodeInit } from './batch';
import { HashicorpNode, type HashicorpBatchSink } from './hashicorp-node';
import { HostProcess } from '../host-process';
import { hashicorpNodeStatus } from './node-status';
import { hashicorpObservation, newHashicorpObservationSink } from './observation';
import { RaftRole } from './types';
import { resolveHashicorpSettings, type ResolvedHashicorpHostSettings } from './settings';

/** Ticks one batch may carry. */
export const batchTicksMax = 10_000;

export class HashicorpNodeHost extends HostProcess<HashicorpNode> implements HashicorpBatchEndpoint {
  readonly settings: ResolvedHashicorpHostSettings;
  /** The node's simulated clock, in milliseconds. */
  nowMs = 0;
  /** The applied index `fsm.db/` holds (-1: none yet this incarnation); it never goes back. */
  private fsmStoreAppliedIndex = -1;
  /** The newest snapshot the running incarnation had when fsm.db was last brought up to date. */
  private fsmStoreSnapshotIndex = 0;

  constructor(
    readonly init: HashicorpNodeInit,
    /** The node's disk; it outlives every incarnation of the process. */
    private readonly disk: FileSystem,
  ) {
    super(init.id);
    this.settings = resolveHashicorpSettings(init.settings);
  }

  get isUp(): boolean {
    return this.node !== null;
  }

  /** The running incarnation (tests inspect it). */
  get current(): HashicorpNode | null {
    return this.node;
  }

  /**
   * A graceful stop (what an operator's stop sends): the state machine is saved to `fsm.db/`,
   * then the process exits. Every store write is already durable, so nothing is lost. Returns
   * the saved state, or null when the node was not running.
   */
  async gracefulStop(): Promise<FsmState | null> {
    const node = this.node;
    if (node === null) return null;
    const state = await node.saveFsmStore(1);
    this.fsmStoreAppliedIndex = state.appliedIndex;
    this.logger.info(`node ${this.init.id} stopped gracefully (fsm.db at applied index ${state.appliedIndex})`);
    this.stop('down', null);
    return state;
  }

  async handleBatch(batch: HashicorpNodeBatch): Promise<HashicorpBatchResult> {
    if (!(Number.isSafeInteger(batch.ticks) && batch.ticks >= 0 && batch.ticks <= batchTicksMax)) {
      throw new RangeError(`batch ticks ${batch.ticks} outside [0, ${batchTicksMax}]`);
    }
    const sink: HashicorpBatchSink = { messages: [], persisted: [], applied: [] };
    if (this.init.observe === true) sink.observation = newHashicorpObservationSink();
    this.booted = false;
    const responses: RequestResponse[] = [];
    try {
      for (const command of batch.commands) await this.command(command);
      const node = this.node;
      if (node === null) {
        this.refuseAll(batch, responses);
        this.nowMs += batch.ticks * this.settings.tickIntervalMs;
      } else {
        try {
          this.deliver(node, batch);
          await node.runOutputs(sink);
          if (node.durableSnapshotIndex > this.fsmStoreSnapshotIndex) await this.keepFsmStoreCurrent(node, 'snapshot');
        } finally {
          responses.push(...node.requests.takeResponses());
        }
        if (node.shutdown) this.stop('removed', null);
      }
    } catch (error) {
      await this.fail(error);
    }
    return {
      messages: sink.messages,
      persisted: sink.persisted,
      applied: sink.applied,
      responses,
      logLines: this.lines.splice(0, this.lines.length),
      status: this.node === null ? downStatus(this.init.id, this.role, this.error) : hashicorpNodeStatus(this.node),
      ...(sink.observation === undefined ? {} : { observation: hashicorpObservation(this.node, sink.observation, this.booted) }),
    };
  }

  private deliver(node: HashicorpNode, batch: HashicorpNodeBatch): void {
    node.nowMs = this.nowMs;
    for (const message of batch.messages) node.raft.step(message, this.nowMs);
    for (const request of batch.requests) node.requests.client(request);
    for (const request of batch.admin) node.requests.admin(request);
    for (let tick = 0; tick < batch.ticks; tick++) {
      this.nowMs += this.settings.tickIntervalMs;
      node.nowMs = this.nowMs;
      node.raft.tick(this.nowMs);
    }
  }

  private async command(command: NodeCommand): Promise<void> {
    switch (command.kind) {
      case 'restart':
        if (this.fs !== null) await this.crashNow(0);
        return this.boot(command.seed);
      case 'crash':
        if (this.fs !== null) await this.crashNow(command.keepPendingBytes ?? 0);
        return;
      case 'armCrash':
        if (this.fs === null) return;
        this.keepPendingBytesAtArmedCrash = command.keepPendingBytes ?? 0;
        this.fs.armCrash({ atOperation: this.fs.operationCount + command.afterOperations, tornBytes: command.tornBytes });
        return;
      case 'campaign':
        if (this.node !== null && this.node.raft.role === RaftRole.Follower) this.node.raft.campaign(this.nowMs);
        return;
      default:
        // Commands for the etcd host's transport (snapshot and unreachable reports) mean nothing here.
        return;
    }
  }

  private async boot(seed: number): Promise<void> {
    this.fs = await FaultLayer.create(this.disk, { random: seededRandom(seed ^ 0x5eed) });
    this.logger.info(`node ${this.init.id} starting`);
    const opened = await HashicorpNode.open({
      init: this.init,
      settings: this.settings,
      fs: this.fs,
      random: seededRandom(seed),
      logger: this.logger,
      nowMs: this.nowMs,
    });
    if (!opened.ok) {
      this.fs = null;
      return this.stop('failed', opened.error);
    }
    this.node = opened.value;
    await this.openFsmStore(opened.value);
    this.booted = true;
    this.role = 'StateFollower';
    this.error = null;
  }

  /**
   * fsm.db/ exists from boot on, as in elastickv, where the state machine's store is opened
   * before the engine: read what it holds, and create or bring it up to the recovered state when
   * it is missing, damaged or behind. It never goes back to an older applied index (a boot
   * restores only the snapshot, so the store a graceful stop wrote may be newer).
   */
  private async openFsmStore(node: HashicorpNode): Promise<void> {
    const loaded = await loadFsmStore(this.fs!, fsmStoreDirName);
    this.fsmStoreAppliedIndex = loaded.ok ? loaded.value.appliedIndex : -1;
    if (!loaded.ok && loaded.error.kind !== 'missing') this.logger.warning(`node ${this.init.id}: ${loaded.error.message}; rewriting it`);
    await this.keepFsmStoreCurrent(node, 'boot');
  }

  /**
   * Writes fsm.db/ when the state machine is ahead of it (at boot and after each snapshot). A
   * file-system failure (a full disk) is a warning: fsm.db is not an engine artifact, and the
   * next snapshot or a graceful stop writes it again.
   */
  private async keepFsmStoreCurrent(node: HashicorpNode, why: 'boot' | 'snapshot'): Promise<void> {
    this.fsmStoreSnapshotIndex = node.durableSnapshotIndex;
    if (node.raft.lastApplied <= this.fsmStoreAppliedIndex) return;
    try {
      const state = await node.saveFsmStore(1);
      this.fsmStoreAppliedIndex = state.appliedIndex;
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      this.logger.warning(`node ${this.init.id}: fsm.db not updated at ${why}: ${error.message}`);
    }
  }
}
