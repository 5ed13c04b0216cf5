// The etcd-style node host: a node's process on its disk, driven one batch at a time.
//
// The disk (`disk`, any FileSystem backend) outlives the process. Each boot (a `restart`
// command) puts a fresh FaultLayer over it and opens an EtcdNode; a crash asks that layer to
// reduce the backend to what was durable (unsynced writes lost, a torn prefix of the last one
// kept if asked) and forgets the process. A crash armed with `armCrash` fires inside the batch at
// the chosen write point: what the batch sent before it stays sent, and nothing after it happens.
import { RaftError } from '../../raft/errors';
import { seededRandom } from '../../raft/random';
import { SnapshotStatus, StateType } from '../../raft/ready';
import { FaultLayer } from '../../storage/fs/fault-layer';
import type { FileSystem } from '../../storage/fs/file-system';
import type {
  BatchObservation,
  BatchResult,
  DiskFaultRates,
  NodeBatch,
  NodeCommand,
  NodeInit,
  RequestResponse,
} from './batch';
import { EtcdNode, type BatchSink } from './etcd-node';
import { HostProcess } from '../host-process';
import { durableAfterCut, newEtcdObservationSink, termRuns } from './observation';
import { downStatus, nodeStatus } from './node-status';
import { resolveSettings, type EtcdHostSettings } from './settings';

/** Ticks one batch may carry. */
export const batchTicksMax = 10_000;

export class EtcdNodeHost extends HostProcess<EtcdNode> {
  readonly settings: EtcdHostSettings;

  constructor(
    readonly init: NodeInit,
    /** The node's disk; it outlives every incarnation of the process. */
    private readonly disk: FileSystem,
  ) {
    super(init.id);
    this.settings = resolveSettings(init.settings);
  }

  get isUp(): boolean {
    return this.node !== null;
  }

  async handleBatch(batch: NodeBatch): Promise<BatchResult> {
    if (!(Number.isSafeInteger(batch.ticks) && batch.ticks >= 0 && batch.ticks <= batchTicksMax)) {
      throw new RangeError(`batch ticks ${batch.ticks} outside [0, ${batchTicksMax}]`);
    }
    const sink: BatchSink = { messages: [], persisted: [], applied: [] };
    if (this.init.observe === true) sink.observation = newEtcdObservationSink();
    this.booted = false;
    const responses: RequestResponse[] = [];
    try {
      for (const command of batch.commands) await this.command(command);
      const node = this.node;
      if (node === null) {
        this.refuseAll(batch, responses);
      } else {
        try {
          this.deliver(node, batch);
          await node.runReadies(sink);
        } finally {
          responses.push(...node.requests.takeResponses());
        }
        if (node.removed) this.stop('removed', null);
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
      status: this.node === null ? downStatus(this.init.id, this.role, this.error) : nodeStatus(this.node),
      ...(sink.observation === undefined ? {} : { observation: this.observation(sink) }),
    };
  }

  private observation(sink: BatchSink): BatchObservation {
    const observation = sink.observation!;
    const { appended, appendedPrevTerm, applied } = observation;
    const node = this.node;
    if (node === null) {
      // Down: the persisted records tell the completed saves, but not a save a crash cut short.
      return { restarted: this.booted, appended, appendedPrevTerm, applied, durable: durableAfterCut(observation), termRuns: [] };
    }
    const storage = node.storage.storage;
    const { term, vote, commit } = storage.hardState;
    return {
      restarted: this.booted,
      appended,
      appendedPrevTerm,
      applied,
      durable: { term, vote, commit, lastIndex: storage.lastIndex() },
      termRuns: termRuns(storage),
    };
  }

  private deliver(node: EtcdNode, batch: NodeBatch): void {
    for (const message of batch.messages) {
      try {
        node.rawNode.step(message);
      } catch (error) {
        // A message from a peer not in the configuration, or a local type: dropped, as etcd does.
        if (!(error instanceof RaftError)) throw error;
        this.logger.info(`node ${this.init.id} dropped a message from ${message.from}: ${error.message}`);
      }
    }
    for (const request of batch.requests) node.requests.client(request);
    for (const request of batch.admin) node.requests.admin(request, node.peers);
    for (let tick = 0; tick < batch.ticks; tick++) node.rawNode.tick();
  }

  private async command(command: NodeCommand): Promise<void> {
    switch (command.kind) {
      case 'restart':
        if (this.fs !== null) await this.crashNow(0);
        return this.boot(command.seed, command.diskFaults);
      case 'crash':
        if (this.fs !== null) await this.crashNow(command.keepPendingBytes ?? 0);
        return;
      case 'armCrash':
        if (this.fs === null) return;
        this.keepPendingBytesAtArmedCrash = command.keepPendingBytes ?? 0;
        this.fs.armCrash({ atOperation: this.fs.operationCount + command.afterOperations, tornBytes: command.tornBytes });
        return;
      case 'campaign':
        if (this.node !== null && this.node.rawNode.raft.state !== StateType.StateLeader) this.node.rawNode.campaign();
        return;
      case 'setDiskFaults':
        this.fs?.setFaultRates(command.faults);
        return;
      case 'reportSnapshot': {
        const status = command.delivered ? SnapshotStatus.SnapshotFinish : SnapshotStatus.SnapshotFailure;
        this.node?.rawNode.reportSnapshot(command.peer, status);
        return;
      }
      case 'reportUnreachable':
        this.node?.rawNode.reportUnreachable(command.peer);
        return;
    }
  }

  private async boot(seed: number, diskFaults?: DiskFaultRates & { seed: number }): Promise<void> {
    // Torn writes are never drawn: crashes and their torn bytes are chosen by commands. Bit flips
    // and write failures are drawn only when the restart asks for them, from their own seed.
    this.fs =
      diskFaults === undefined
        ? await FaultLayer.create(this.disk, { random: seededRandom(seed ^ 0x5eed) })
        : await FaultLayer.create(this.disk, {
            random: seededRandom(diskFaults.seed),
            bitFlipOnReadRatio: diskFaults.bitFlipOnReadRatio,
            writeFailureRatio: diskFaults.writeFailureRatio,
          });
    this.booted = true;
    this.logger.info(`node ${this.init.id} starting`);
    const opened = await EtcdNode.open({
      init: this.init,
      settings: this.settings,
      fs: this.fs,
      random: seededRandom(seed),
      logger: this.logger,
    });
    if (!opened.ok) {
      this.fs = null;
      return this.stop('failed', opened.error);
    }
    this.node = opened.value;
    this.role = 'StateFollower';
    this.error = null;
  }
}
