// Browser Web Workers as node processes (Vite bundles the entry as a module worker).
import type { NodeInit } from '../engines/etcd/batch';
import { NodeEndpoint, ProtocolFailure, type NodeProcess } from './endpoint';
import type { DiskSpec, WorkerRequest } from './protocol';

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

/** A node in a Web Worker; its disk is an IndexedDB database (or memory, lost with the Worker). */
export function browserWorkerEndpoint(init: NodeInit, disk: DiskSpec): NodeEndpoint {
  return new NodeEndpoint(init, disk, browserWorkerProcess);
}
