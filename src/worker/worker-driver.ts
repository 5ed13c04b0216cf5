// The simulator's NodeDriver over worker endpoints: one Node worker_thread per node, its disk a
// directory that outlives the thread. The simulator (src/sim) defines the interface and cannot
// import this layer; the CLI and tests inject these drivers from above.
import { join } from 'node:path';
import type { NodeDriver, NodeDriverFactory } from '../sim/durable/node-driver';
import type { NodeEndpoint } from './endpoint';
import { nodeWorkerEndpoint } from './node-worker';

export function endpointDriver(endpoint: NodeEndpoint): NodeDriver {
  return {
    handleBatch: (batch) => endpoint.handleBatch(batch),
    terminate: () => endpoint.kill(),
  };
}

/** Drivers that run each node in its own worker_thread, with its disk under `root/node-<id>`. */
export function workerThreadDrivers(root: string, entry?: URL): NodeDriverFactory {
  return (init) => endpointDriver(nodeWorkerEndpoint(init, join(root, `node-${init.id}`), entry));
}
