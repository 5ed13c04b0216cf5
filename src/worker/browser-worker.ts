// Browser Web Workers as node processes (Vite bundles the entry as a module worker).
import type { NodeInit } from '../engines/etcd/batch';
import type { Message } from '../raft/types';
import type { WireMessage } from '../sim/durable/node-driver';
import { NodeEndpoint, ProtocolFailure, type NodeProcess } from './endpoint';
import type { DiskSpec, WorkerEngine, WorkerRequest } from './protocol';

export function browserWorkerProcess(): NodeProcess {
  const worker = new Worker(new URL('./browser-worker-entry.ts', import.meta.url), { type: 'module' });
  let waiting: { resolve: (value: unknown) => void; reject: (error: Error) => void } | null = null;
  let failed: Error | null = null;
  worker.onmessage = (event: MessageEvent<unknown>) => {
    const current = waiting;
    waiting = null;
    current?.resolve(event.data);
  };
  worker.onerror = (event: ErrorEvent) => {
    failed = new ProtocolFailure(`the worker failed: ${event.message}`);
    waiting?.reject(failed);
    waiting = null;
  };
  return {
    call(request: WorkerRequest): Promise<unknown> {
      if (failed !== null) return Promise.reject(failed);
      if (waiting !== null) return Promise.reject(new ProtocolFailure('one outstanding request per node'));
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        worker.postMessage(request);
      });
    },
    async terminate(): Promise<void> {
      worker.terminate();
    },
  };
}

/**
 * A node in a Web Worker, running `engine`'s host (etcd unless said otherwise); its disk is an
 * IndexedDB database (or memory, lost with the Worker).
 */
export function browserWorkerEndpoint<TMessage extends WireMessage = Message>(
  init: NodeInit,
  disk: DiskSpec,
  engine: WorkerEngine = 'etcd',
): NodeEndpoint<TMessage> {
  return new NodeEndpoint<TMessage>(init, disk, browserWorkerProcess, engine);
}
