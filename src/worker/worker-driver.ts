// The simulator's NodeDriver over worker endpoints: one Node worker_thread per node, its disk a
// directory that outlives the thread. The simulator (src/sim) defines the interface and cannot
// import this layer; the CLI and tests inject these drivers from above.
import { join } from 'node:path';
import type { Message } from '../raft/types';
import type { NodeDriver, NodeDriverFactory, WireMessage } from '../sim/durable/node-driver';
import type { NodeEndpoint } from './endpoint';
import { nodeWorkerEndpoint } from './node-worker';
import type { WorkerEngine } from './protocol';

export function endpointDriver<TMessage extends WireMessage = Message>(endpoint: NodeEndpoint<TMessage>): NodeDriver<TMessage> {
  return {
    handleBatch: (batch) => endpoint.handleBatch(batch),
    terminate: () => endpoint.kill(),
  };
}

/**
 * Drivers that run each node in its own worker_thread, with its disk under `root/node-<id>`, each
 * node `engine`'s host (etcd unless said otherwise).
 */
export function workerThreadDrivers(root: string, entry?: URL, engine: WorkerEngine = 'etcd'): NodeDriverFactory<WireMessage> {
  return (init) => endpointDriver(nodeWorkerEndpoint<WireMessage>(init, join(root, `node-${init.id}`), entry, engine));
}
