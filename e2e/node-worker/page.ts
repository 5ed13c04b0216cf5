// The page the node-worker Playwright test drives: etcd nodes in Web Workers on IndexedDB disks.
import type { NodeId } from '../../src/raft/types';
import type { BatchEndpoint } from '../../src/engines/etcd/lockstep-cluster';
import { LockstepCluster } from '../../src/engines/etcd/lockstep-cluster';
import { bootSeed, initFor } from '../../src/engines/etcd/test-support';
import { diskDatabaseName } from '../../src/storage/fs/indexeddb-backend';
import { browserWorkerEndpoint } from '../../src/worker/browser-worker';
import { runScenario, scenarioInits, transcriptJson } from '../../src/worker/transcript-scenario';

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

/** A one-voter cluster in a Web Worker on the IndexedDB disk `disk`. */
async function singleNode(disk: string, seed: number, incarnation: number): Promise<{ cluster: LockstepCluster; kill: () => Promise<void> }> {
  const endpoint = browserWorkerEndpoint(initFor(1, [1]), { kind: 'indexeddb', name: disk });
  const cluster = new LockstepCluster({ endpoints: new Map([[1, endpoint]]), seed });
  cluster.command(1, { kind: 'restart', seed: bootSeed(seed, 1, incarnation) });
  cluster.command(1, { kind: 'campaign' });
  await cluster.runUntil(() => cluster.leader() === 1, 100, 'the single node leads');
  return { cluster, kill: () => endpoint.kill() };
}

const api = {
  async transcript(seed: number): Promise<string> {
    const endpoints = new Map<NodeId, BatchEndpoint>();
    for (const init of scenarioInits()) {
      const name = `transcript-${seed}-${init.id}`;
      await deleteDatabase(diskDatabaseName(name));
      endpoints.set(init.id, browserWorkerEndpoint(init, { kind: 'indexeddb', name }));
    }
    return transcriptJson(await runScenario(endpoints, seed));
  },
  async write(disk: string, key: string, value: string): Promise<number> {
    await deleteDatabase(diskDatabaseName(disk));
    const { cluster, kill } = await singleNode(disk, 1, 0);
    cluster.request(1, { kind: 'propose', requestId: 1, command: { op: 'put', key, value } });
    await cluster.runUntil(() => cluster.responses.has(1), 50, 'the put answered');
    await kill();
    const result = cluster.responses.get(1)!.result;
    if (!result.ok) throw new Error(result.message);
    return result.index;
  },
  async read(disk: string): Promise<[string, string][]> {
    const { cluster, kill } = await singleNode(disk, 2, 1);
    await kill();
    return cluster.statuses.get(1)!.kv;
  },
};

declare global {
  interface Window {
    raftlabNodeWorker?: typeof api;
  }
}

window.raftlabNodeWorker = api;
document.getElementById('state')!.textContent = 'ready';
