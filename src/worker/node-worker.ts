// Node worker_threads as node processes. Under vitest and tsx the entry is TypeScript, so the
// thread first registers tsx's loader, then imports the entry; a built entry (.js) loads directly.
import { Worker } from 'node:worker_threads';
import type { NodeInit } from '../engines/etcd/batch';
import type { Message } from '../raft/types';
import type { WireMessage } from '../sim/durable/node-driver';
import { NodeEndpoint, ProtocolFailure, type NodeProcess } from './endpoint';
import type { WorkerEngine, WorkerRequest } from './protocol';

const defaultEntry = new URL('./node-worker-entry.ts', import.meta.url);

function startWorker(entry: URL): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
  const code =
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })` +
    `.catch((error) => { require('node:worker_threads').parentPort.postMessage({ bootError: String(error) }); });`;
  return new Worker(code, { eval: true });
}

export function nodeWorkerProcess(entry: URL = defaultEntry): NodeProcess {
  const worker = startWorker(entry);
  let waiting: { resolve: (value: unknown) => void; reject: (error: Error) => void } | null = null;
  let failed: Error | null = null;
  const fail = (error: Error) => {
    failed = error;
    waiting?.reject(error);
    waiting = null;
  };
  worker.on('message', (answer: unknown) => {
    const current = waiting;
    waiting = null;
    if (current === null) return fail(new ProtocolFailure('an answer nobody asked for'));
    current.resolve(answer);
  });
  worker.on('error', (error) => fail(error));
  worker.on('exit', (code) => fail(new ProtocolFailure(`the worker exited with code ${code}`)));
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
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}

/** A node in worker_threads with its disk in the directory `root`, running `engine`'s host. */
export function nodeWorkerEndpoint<TMessage extends WireMessage = Message>(
  init: NodeInit,
  root: string,
  entry?: URL,
  engine: WorkerEngine = 'etcd',
): NodeEndpoint<TMessage> {
  return new NodeEndpoint<TMessage>(init, { kind: 'node-fs', root }, () => nodeWorkerProcess(entry), engine);
}
