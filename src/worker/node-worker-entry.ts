// A Node worker_thread hosting one node. Its disk is a directory (node-fs), which outlives the
// thread: a crash terminates the thread after the fault layer reduced the directory to what was
// durable, and the next thread recovers from it.
import { mkdir } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { MemoryBackend } from '../storage/fs/memory-backend';
import { NodeFsBackend } from '../storage/fs/node-fs-backend';
import { NodeRuntime } from './node-runtime';

const port = parentPort;
if (port === null) throw new Error('node-worker-entry must run in a worker_thread');

const runtime = new NodeRuntime(async (spec) => {
  if (spec.kind === 'node-fs') {
    await mkdir(spec.root, { recursive: true });
    return new NodeFsBackend(spec.root);
  }
  // A memory disk dies with the thread: only for runs without crashes.
  if (spec.kind === 'memory') return new MemoryBackend();
  throw new Error(`a worker_thread cannot open a ${spec.kind} disk`);
});

port.on('message', (raw: unknown) => {
  void runtime.handle(raw).then((answer) => port.postMessage(answer));
});
