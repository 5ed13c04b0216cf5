// Linearizable reads without a log entry (thesis 6.4): the leader records each read request at
// its commit index and confirms it once a quorum answers a heartbeat that carries its context.
import { ReadOnlyOption } from './config';
import type { LogIndex, Message, NodeId } from './types';
import { RaftPanic } from './logger';

export interface ReadIndexStatus {
  req: Message;
  index: LogIndex;
  /** The voters that acknowledged the heartbeat carrying this request's context. */
  acks: Map<NodeId, boolean>;
}

/** Bounds the queue of unconfirmed reads; beyond it new reads wait for earlier ones. */
export const pendingReadIndexMax = 1 << 16;

export class ReadOnly {
  readonly option: ReadOnlyOption;
  /** Keyed by the request context (as a binary string). */
  private readonly pendingReadIndex = new Map<string, ReadIndexStatus>();
  /** Invariant: the keys of pendingReadIndex, in arrival order. */
  private readIndexQueue: string[] = [];

  constructor(option: ReadOnlyOption) {
    this.option = option;
  }

  /** Records a read request made when the commit index was `index`. A repeated context is ignored. */
  addRequest(index: LogIndex, m: Message): void {
    const key = contextKey(m.entries[0].data);
    if (this.pendingReadIndex.has(key)) return;
    this.pendingReadIndex.set(key, { index, req: m, acks: new Map() });
    this.readIndexQueue.push(key);
  }

  /** Records `id`'s heartbeat acknowledgement; returns the acks so far, or null if unknown. */
  recvAck(id: NodeId, context: Uint8Array | null): Map<NodeId, boolean> | null {
    const status = this.pendingReadIndex.get(contextKey(context));
    if (status === undefined) return null;
    status.acks.set(id, true);
    return status.acks;
  }

  /** Confirms the request with this context and every request queued before it. */
  advance(m: Message): ReadIndexStatus[] {
    const key = contextKey(m.context);
    const position = this.readIndexQueue.indexOf(key);
    if (position < 0) return [];
    const confirmed = this.readIndexQueue.slice(0, position + 1).map((queued) => {
      const status = this.pendingReadIndex.get(queued);
      if (status === undefined) throw new RaftPanic('cannot find corresponding read state from pending map');
      return status;
    });
    this.readIndexQueue = this.readIndexQueue.slice(position + 1);
    for (const status of confirmed) this.pendingReadIndex.delete(contextKey(status.req.entries[0].data));
    return confirmed;
  }

  /** The context of the newest pending request, or null. */
  lastPendingRequestCtx(): Uint8Array | null {
    if (this.readIndexQueue.length === 0) return null;
    const last = this.readIndexQueue[this.readIndexQueue.length - 1];
    const status = this.pendingReadIndex.get(last)!;
    const data = status.req.entries[0].data;
    return data === null || data.length === 0 ? null : data;
  }

  pendingCount(): number {
    return this.readIndexQueue.length;
  }
}

function contextKey(bytes: Uint8Array | null): string {
  if (bytes === null) return '';
  let key = '';
  for (let i = 0; i < bytes.length; i++) key += String.fromCharCode(bytes[i]);
  return key;
}
