// A scripted lockstep run used to compare endpoints: the same seed must give the same
// transcript whether the nodes run in-process, in worker_threads or in a browser Worker.
import type { NodeInit } from '../engines/etcd/batch';
import { LockstepCluster, type BatchEndpoint, type TranscriptStep } from '../engines/etcd/lockstep-cluster';
import type { NodeId } from '../raft/types';
import { bootSeed, initFor } from '../engines/etcd/test-support';

export const scenarioNodeIds: NodeId[] = [1, 2, 3];

export function scenarioInits(): NodeInit[] {
  return scenarioNodeIds.map((id) => initFor(id, scenarioNodeIds));
}

/** Election, proposals, a read, a conf change, a crash mid-Ready and a restart; 60 rounds. */
export async function runScenario(endpoints: ReadonlyMap<NodeId, BatchEndpoint>, seed: number): Promise<TranscriptStep[]> {
  const cluster = new LockstepCluster({ endpoints, seed, dropRatio: { numerator: 1, denominator: 25 } });
  for (const id of scenarioNodeIds) cluster.command(id, { kind: 'restart', seed: bootSeed(seed, id, 0) });
  let victim: NodeId | null = null;
  for (let round = 0; round < 60; round++) {
    const leader = cluster.leader();
    if (leader !== null && round % 3 === 0) {
      cluster.request(leader, { kind: 'propose', requestId: round, command: { op: 'put', key: `k${round % 4}`, value: `v${round}` } });
    }
    if (leader !== null && round === 30) {
      cluster.request(scenarioNodeIds.find((id) => id !== leader)!, { kind: 'read', requestId: 1000, key: 'k0' });
      cluster.admin(leader, { kind: 'addLearner', requestId: 1001, nodeId: 9, address: 'learner-9:7000', prevIndex: 0 });
    }
    if (leader !== null && round === 33) {
      victim = leader;
      cluster.command(leader, { kind: 'armCrash', afterOperations: 3, tornBytes: 5, keepPendingBytes: 5 });
    }
    if (victim !== null && round === 45) cluster.command(victim, { kind: 'restart', seed: bootSeed(seed, victim, 1) });
    await cluster.runRound();
  }
  return cluster.transcript;
}

/** The transcript as JSON (bytes as number arrays), to compare runs across a page boundary. */
export function transcriptJson(steps: readonly TranscriptStep[]): string {
  return JSON.stringify(steps, (_key, value: unknown) => (value instanceof Uint8Array ? Array.from(value) : value));
}
