// The scheduler's side: an endpoint sends a node one batch and waits for its answer (lockstep).
// It owns the node's process: after a batch that leaves the node down or failed (a crash), the
// process is gone, and the next batch goes to a fresh process that recovers from the same disk.
// Every request and answer is validated by the protocol decoders on both sides, in-process too,
// so all endpoints take the same path and the same seed gives the same transcript.
import type { NodeInit } from '../engines/etcd/batch';
import type { Message } from '../raft/types';
import { isRpcMessage, type DriverBatch, type DriverResult, type WireMessage } from '../sim/durable/node-driver';
import type { DataDirInspection } from './inspection';
import {
  decodeWorkerResponse,
  protocolVersion,
  type DiskSpec,
  type WorkerEngine,
  type WorkerRequest,
  type WorkerResponse,
} from './protocol';

/** A node process the endpoint can talk to: post a request, get its answer. */
export interface NodeProcess {
  call(request: WorkerRequest): Promise<unknown>;
  terminate(): Promise<void>;
}

export class ProtocolFailure extends Error {
  override name = 'ProtocolFailure';
}

/**
 * The endpoint of one node. TMessage is the engine's wire message: etcd's Message for the etcd
 * host (the default), hashicorp's RPCs for `engine: 'hashicorp'`; the process checks that every
 * message it receives is its engine's.
 */
export class NodeEndpoint<TMessage extends WireMessage = Message> {
  private process: NodeProcess | null = null;
  private sequence = 0;

  constructor(
    readonly init: NodeInit,
    private readonly disk: DiskSpec,
    private readonly spawn: () => NodeProcess,
    readonly engine: WorkerEngine = 'etcd',
  ) {}

  async handleBatch(batch: DriverBatch<TMessage>): Promise<DriverResult<TMessage>> {
    const process = await this.started();
    const sequence = this.sequence++;
    const answer = await this.request(process, { protocolVersion, kind: 'batch', sequence, batch });
    if (answer.kind !== 'batchResult' || answer.sequence !== sequence) {
      throw new ProtocolFailure(`node ${this.init.id}: batch ${sequence} answered ${JSON.stringify(answer).slice(0, 300)}`);
    }
    const role = answer.result.status.role;
    if (role === 'down' || role === 'failed') await this.kill();
    const foreign = answer.result.messages.find((message) => isRpcMessage(message) !== (this.engine === 'hashicorp'));
    if (foreign !== undefined) throw new ProtocolFailure(`node ${this.init.id}: a ${this.engine} node sent another engine's message`);
    return answer.result as DriverResult<TMessage>;
  }

  /**
   * The node's data dir as its process reads it, between batches (never while one runs). A node
   * that is down gets a process that opens its disk without booting, which the next batch uses.
   */
  async inspect(): Promise<DataDirInspection> {
    const answer = await this.request(await this.started(), { protocolVersion, kind: 'inspect' });
    if (answer.kind !== 'inspection') {
      throw new ProtocolFailure(`node ${this.init.id}: inspect answered ${JSON.stringify(answer).slice(0, 300)}`);
    }
    return answer.inspection;
  }

  /** The node's process, spawned and initialised if there is none. */
  private async started(): Promise<NodeProcess> {
    if (this.process !== null) return this.process;
    const process = this.spawn();
    this.process = process;
    const init: WorkerRequest = { protocolVersion, kind: 'init', init: this.init, disk: this.disk };
    // An etcd process's init stays as it was before engines existed.
    const answer = await this.request(process, this.engine === 'etcd' ? init : { ...init, engine: this.engine });
    if (answer.kind !== 'initialized') throw new ProtocolFailure(`node ${this.init.id}: init answered ${answer.kind}`);
    return process;
  }

  /** Terminates the node's process (a crash when it was up; its disk stays). */
  async kill(): Promise<void> {
    const process = this.process;
    this.process = null;
    if (process !== null) await process.terminate();
  }

  private async request(process: NodeProcess, request: WorkerRequest): Promise<WorkerResponse> {
    const decoded = decodeWorkerResponse(await process.call(request));
    if (!decoded.ok) throw new ProtocolFailure(`node ${this.init.id}: malformed answer: ${decoded.error.message}`);
    return decoded.value;
  }
}
