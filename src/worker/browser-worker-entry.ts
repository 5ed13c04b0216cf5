// A browser Web Worker hosting one node. Its disk is an IndexedDB database (one per node), which
// outlives the Worker: a crash terminates the Worker after the fault layer reduced the database
// to what was durable, and the next Worker recovers from it; a page reload finds it again.
import { IndexedDbBackend } from '../storage/fs/indexeddb-backend';
import { MemoryBackend } from '../storage/fs/memory-backend';
import { NodeRuntime } from './node-runtime';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const runtime = new NodeRuntime(async (spec) => {
  if (spec.kind === 'indexeddb') return IndexedDbBackend.open(spec.name);
  // A memory disk dies with the Worker: only for runs without crashes.
  if (spec.kind === 'memory') return new MemoryBackend();
  throw new Error(`a browser Worker cannot open a ${spec.kind} disk`);
});

scope.onmessage = (event: MessageEvent<unknown>) => {
  void runtime.handle(event.data).then((answer) => scope.postMessage(answer));
};
