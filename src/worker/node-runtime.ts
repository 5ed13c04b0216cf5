// The node process's side of the protocol: it validates every request, hosts one node on the disk
// it is told to open (the etcd host, or the HashiCorp-style host when init names that engine),
// and answers one batch at a time. The same code runs in a browser Web Worker, in a Node
// worker_thread and in-process; only how a disk is opened differs. The HashiCorp host gets the
// settings the in-process durable driver gives it (hashicorpNodeInit), so a seed runs the same
// wherever its nodes live.
import type { NodeInit } from '../engines/etcd/batch';
import { EtcdNodeHost } from '../engines/etcd/node-host';
import { HashicorpNodeHost } from '../engines/hashicorp/node-host';
import type { Message } from '../raft/types';
import { hashicorpNodeInit } from '../sim/durable/hashicorp-driver';
import { isRpcMessage } from '../sim/durable/node-driver';
import type { RpcMessage } from '../engines/hashicorp/types';
import type { FileSystem } from '../storage/fs/file-system';
import { inspectEngineDataDir } from './data-dir-inspection';
import { SyncTracker } from './sync-tracker';
import {
  decodeWorkerRequest,
  protocolVersion,
  type DiskSpec,
  type WireBatch,
  type WireBatchResult,
  type WorkerEngine,
  type WorkerErrorCode,
  type WorkerResponse,
} from './protocol';

export type DiskOpener = (spec: DiskSpec) => Promise<FileSystem>;

/** One engine's host behind the protocol: runs a batch of that engine's messages. */
interface RuntimeHost {
  readonly engine: WorkerEngine;
  handleBatch(batch: WireBatch): Promise<WireBatchResult>;
}

function startHost(engine: WorkerEngine, init: NodeInit, disk: FileSystem): RuntimeHost {
  if (engine === 'hashicorp') {
    const host = new HashicorpNodeHost(hashicorpNodeInit(init), disk);
    return { engine, handleBatch: (batch) => host.handleBatch({ ...batch, messages: batch.messages as RpcMessage[] }) };
  }
  const host = new EtcdNodeHost(init, disk);
  return { engine, handleBatch: (batch) => host.handleBatch({ ...batch, messages: batch.messages as Message[] }) };
}

export class NodeRuntime {
  private host: RuntimeHost | null = null;
  /** The node's disk, counting the bytes not yet fsynced (the host's fault layer writes through it). */
  private disk: SyncTracker | null = null;
  private expectedSequence: number | null = null;
  private busy = false;

  constructor(private readonly openDisk: DiskOpener) {}

  async handle(raw: unknown): Promise<WorkerResponse> {
    const decoded = decodeWorkerRequest(raw);
    if (!decoded.ok) {
      const code = decoded.error.path.endsWith('protocolVersion') ? 'unsupported-version' : 'malformed';
      return errorResponse(code, decoded.error.message);
    }
    // Lockstep: the scheduler waits for each answer, so a second request while busy is a bug.
    if (this.busy) return errorResponse('out-of-order', 'a request is still running: one outstanding batch per node');
    this.busy = true;
    try {
      const request = decoded.value;
      if (request.kind === 'init') {
        if (this.host !== null) return errorResponse('out-of-order', 'the node is already initialized');
        this.disk = new SyncTracker(await this.openDisk(request.disk));
        this.host = startHost(request.engine ?? 'etcd', request.init, this.disk);
        return { protocolVersion, kind: 'initialized', nodeId: request.init.id };
      }
      if (this.host === null || this.disk === null) return errorResponse('out-of-order', `${request.kind} before init`);
      if (request.kind === 'inspect') {
        const inspection = await inspectEngineDataDir(this.host.engine, this.disk.backend, this.disk.pendingBytes());
        return { protocolVersion, kind: 'inspection', inspection };
      }
      if (this.expectedSequence !== null && request.sequence !== this.expectedSequence) {
        return errorResponse('out-of-order', `batch ${request.sequence} where ${this.expectedSequence} was expected`);
      }
      this.expectedSequence = request.sequence + 1;
      const foreign = request.batch.messages.find((message) => isRpcMessage(message) !== (this.host!.engine === 'hashicorp'));
      if (foreign !== undefined) return errorResponse('malformed', `a ${this.host.engine} node was sent another engine's message`);
      const result = await this.host.handleBatch(request.batch);
      return { protocolVersion, kind: 'batchResult', sequence: request.sequence, result };
    } catch (error) {
      return errorResponse('internal', error instanceof Error ? error.message : String(error));
    } finally {
      this.busy = false;
    }
  }
}

function errorResponse(code: WorkerErrorCode, message: string): WorkerResponse {
  return { protocolVersion, kind: 'error', code, message: message.slice(0, 64 * 1024) };
}
