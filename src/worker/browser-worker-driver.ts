// The simulator's NodeDriver over browser Web Workers: one Worker per node, its disk an IndexedDB
// database named by the caller (one per node and run, so runs do not mix), which outlives the
// Worker and the page. The driver also answers `inspect` (the data dir as the node reads it).
import type { NodeInit } from '../engines/etcd/batch';
import type { NodeDriver, NodeDriverFactory } from '../sim/durable/node-driver';
import { browserWorkerEndpoint } from './browser-worker';
import type { NodeEndpoint } from './endpoint';
import type { DataDirInspection } from './inspection';

export interface InspectableDriver extends NodeDriver {
  readonly nodeId: number;
  inspect(): Promise<DataDirInspection>;
}

/** A NodeDriver over an endpoint, with the endpoint's inspect. */
export function inspectableDriver(endpoint: NodeEndpoint): InspectableDriver {
  return {
    nodeId: endpoint.init.id,
    handleBatch: (batch) => endpoint.handleBatch(batch),
    terminate: () => endpoint.kill(),
    inspect: () => endpoint.inspect(),
  };
}

/**
 * Drivers that run each node in a Web Worker on the IndexedDB disk `diskName(id)`; `made`
 * receives each driver as the simulation creates it.
 */
export function browserWorkerDrivers(
  diskName: (id: number) => string,
  made: (driver: InspectableDriver) => void = () => undefined,
): NodeDriverFactory {
  return (init: NodeInit) => {
    const driver = inspectableDriver(browserWorkerEndpoint(init, { kind: 'indexeddb', name: diskName(init.id) }));
    made(driver);
    return driver;
  };
}
