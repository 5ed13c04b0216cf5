// The simulator's NodeDriver over browser Web Workers: one Worker per node, its disk an IndexedDB
// database named by the caller (one per node and run, so runs do not mix), which outlives the
// Worker and the page. The driver also answers `inspect` (the data dir as the node reads it).
import type { NodeInit } from '../engines/etcd/batch';
import type { Message } from '../raft/types';
import type { NodeDriver, NodeDriverFactory, WireMessage } from '../sim/durable/node-driver';
import { browserWorkerEndpoint } from './browser-worker';
import type { NodeEndpoint } from './endpoint';
import type { DataDirInspection } from './inspection';
import type { WorkerEngine } from './protocol';

export interface InspectableDriver<TMessage extends WireMessage = Message> extends NodeDriver<TMessage> {
  readonly nodeId: number;
  inspect(): Promise<DataDirInspection>;
}

/** A NodeDriver over an endpoint, with the endpoint's inspect. */
export function inspectableDriver<TMessage extends WireMessage = Message>(endpoint: NodeEndpoint<TMessage>): InspectableDriver<TMessage> {
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

/**
 * The same with each node running `engine`'s host (the shared runtime hosts either); for the
 * HashiCorp-style engine the drivers carry its RPCs.
 */
export function browserWorkerEngineDrivers(
  engine: WorkerEngine,
  diskName: (id: number) => string,
  made: (driver: InspectableDriver<WireMessage>) => void = () => undefined,
): NodeDriverFactory<WireMessage> {
  return (init: NodeInit) => {
    const endpoint = browserWorkerEndpoint<WireMessage>(init, { kind: 'indexeddb', name: diskName(init.id) }, engine);
    const driver = inspectableDriver(endpoint);
    made(driver);
    return driver;
  };
}
