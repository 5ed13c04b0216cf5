// The in-process node process: the runtime called directly, with every request and answer
// passed through structuredClone as a Worker's postMessage would. Its memory disk belongs to the
// endpoint, so it outlives each process like a real disk.
import type { NodeInit } from '../engines/etcd/batch';
import { MemoryBackend } from '../storage/fs/memory-backend';
import type { FileSystem } from '../storage/fs/file-system';
import { NodeEndpoint, type NodeProcess } from './endpoint';
import { NodeRuntime } from './node-runtime';
import type { WorkerEngine, WorkerRequest } from './protocol';
import type { Message } from '../raft/types';
import type { WireMessage } from '../sim/durable/node-driver';

export function inProcessNode(disk: FileSystem): NodeProcess {
  const runtime = new NodeRuntime(async () => disk);
  return {
    call: async (request: WorkerRequest) => structuredClone(await runtime.handle(structuredClone(request))),
    terminate: async () => undefined,
  };
}

export function inProcessEndpoint<TMessage extends WireMessage = Message>(
  init: NodeInit,
  disk: FileSystem = new MemoryBackend(),
  engine: WorkerEngine = 'etcd',
): NodeEndpoint<TMessage> {
  return new NodeEndpoint<TMessage>(init, { kind: 'memory' }, () => inProcessNode(disk), engine);
}
