// What every node host shares, whatever its engine: the life of a node's process on its disk.
// A boot puts a fresh FaultLayer over the disk; a crash reduces the disk to what was durable and
// forgets the process; a failure stops the node with its reason; a down node refuses requests.
// The engine-specific hosts (etcd/node-host.ts, hashicorp/node-host.ts) extend it.
import { logLevelNames, LogLevel, RaftPanic, sinkLogger, type Logger } from '../raft/logger';
import { SimulatedCrashError, type FaultLayer } from '../storage/fs/fault-layer';
import type { LogLine, NodeStatus, RequestResponse } from './host-types';

export abstract class HostProcess<TNode> {
  protected node: TNode | null = null;
  protected fs: FaultLayer | null = null;
  protected role: NodeStatus['role'] = 'down';
  protected error: string | null = null;
  protected keepPendingBytesAtArmedCrash = 0;
  /** The node booted during the current batch (reported in the observation). */
  protected booted = false;
  /** The engine's log lines since the last batch result (INFO and above). */
  protected readonly lines: LogLine[] = [];
  protected readonly logger: Logger;

  constructor(private readonly processId: number) {
    this.logger = sinkLogger((level, text) => {
      if (level >= LogLevel.Info) {
        this.lines.push({ level: logLevelNames[level as Exclude<LogLevel, LogLevel.None>], text });
      }
    });
  }

  /** The process dies: the disk keeps only what was durable (and `keepPendingBytes` of the last write). */
  protected async crashNow(keepPendingBytes: number): Promise<void> {
    const report = await this.fs!.crash({ keepPendingBytes });
    const torn =
      report.tornFile === null
        ? ''
        : ` (kept ${report.keptPendingBytes} unsynced bytes of ${report.tornFile})`;
    this.logger.info(`node ${this.processId} crashed${torn}`);
    this.stop('down', null);
  }

  protected stop(role: NodeStatus['role'], error: string | null): void {
    this.node = null;
    if (role !== 'removed') this.fs = null;
    this.role = role;
    this.error = error;
    if (error !== null) this.logger.error(`node ${this.processId} stopped: ${error}`);
  }

  /** An armed crash fired, or the node failed: record it; anything else is a programmer error. */
  protected async fail(error: unknown): Promise<void> {
    if (error instanceof SimulatedCrashError && this.fs !== null) {
      await this.crashNow(this.keepPendingBytesAtArmedCrash);
      this.error = error.message;
      return;
    }
    if (error instanceof RaftPanic || error instanceof Error) {
      this.fs = null;
      return this.stop('failed', error.message);
    }
    throw error;
  }

  /** A node that is not up answers every request and admin call with `node-down`. */
  protected refuseAll(
    batch: { requests: readonly { requestId: number }[]; admin: readonly { requestId: number }[] },
    responses: RequestResponse[],
  ): void {
    const message = `node ${this.processId} is ${this.role}`;
    for (const request of [...batch.requests, ...batch.admin]) {
      responses.push({ requestId: request.requestId, result: { ok: false, code: 'node-down', message } });
    }
  }
}
