// Crash tests of the HashiCorp-style host: a node killed at every write point of its batches
// (log appends, stable-store replacements, snapshot folders, compaction), plain and torn, recovers
// a state that includes everything it acknowledged: every message it sent was preceded by the
// durable write it depends on, and after a restart the cluster holds every acknowledged write.
import { describe, expect, it } from 'vitest';
import type { FileSystem } from '../../storage/fs/file-system';
import type { PersistedRecord } from '../host-types';
import { HashicorpDataDir } from './data-dir';
import { bootSeed, testHostSettings, TestCluster } from './test-cluster';
import type { RpcMessage } from './types';

async function durableView(disk: FileSystem) {
  const opened = await HashicorpDataDir.open(disk);
  if (!opened.ok) throw new Error(opened.error);
  return opened.value.recovered;
}

function expectAcknowledgedDurable(view: Awaited<ReturnType<typeof durableView>>, sent: RpcMessage[], persisted: PersistedRecord[], context: string): void {
  const { stable, entries, snapshot } = view;
  const snapshotIndex = snapshot?.meta.index ?? 0;
  const lastIndex = Math.max(entries[entries.length - 1]?.index ?? 0, snapshotIndex);
  const termAt = (index: number) => entries.find((entry) => entry.index === index)?.term;
  for (const record of persisted) {
    if (record.hardState !== null) expect(stable.currentTerm, context).toBeGreaterThanOrEqual(record.hardState.term);
    if (record.entries !== null) expect(lastIndex, `${context}: persisted entries`).toBeGreaterThanOrEqual(record.entries.last);
  }
  for (const message of sent) {
    if ('term' in message) expect(stable.currentTerm, `${context}: term of a sent ${message.type}`).toBeGreaterThanOrEqual(message.term);
    if (message.type === 'RequestVoteResponse' && message.granted) {
      expect(stable.lastVoteTerm, `${context}: vote in term ${message.term}`).toBeGreaterThanOrEqual(message.term);
      if (stable.lastVoteTerm === message.term) expect(stable.lastVoteCand, `${context}: vote granted to ${message.to}`).toBe(message.to);
    }
    if (message.type === 'AppendEntriesRequest' && stable.currentTerm === message.term) {
      for (const entry of message.entries) {
        if (entry.index > snapshotIndex) expect(termAt(entry.index), `${context}: sent entry ${entry.index}`).toBe(entry.term);
      }
    }
  }
}

/** Runs one crash scenario; returns false when the armed write point was never reached. */
async function crashAt(target: 'leader' | 'follower', point: number, torn: number | undefined): Promise<boolean> {
  const seed = 11;
  const cluster = new TestCluster({ ids: [1, 2, 3], seed, settings: { ...testHostSettings, snapshotThresholdEntries: 6 } });
  await cluster.runUntil(() => cluster.leader() !== null && cluster.statuses.get(cluster.leader()!)!.commit >= 2, 300, 'a leader');
  const leader = cluster.leader()!;
  const node = target === 'leader' ? leader : cluster.ids.find((id) => id !== leader)!;
  for (let i = 0; i < 6; i++) cluster.request(leader, { kind: 'propose', requestId: i, command: { op: 'put', key: `k${i % 2}`, value: `v${i}` } });
  cluster.command(node, { kind: 'armCrash', afterOperations: point, tornBytes: torn, keepPendingBytes: torn });
  const context = `${target} ${node} killed at write point ${point}${torn === undefined ? '' : ` torn ${torn}`}`;
  cluster.transcript.length = 0;
  for (let i = 0; i < 3; i++) await cluster.runRound();
  cluster.admin(leader, { kind: 'addNonvoter', requestId: 50, nodeId: 9, address: 'node-9:7000', prevIndex: 0 });
  try {
    if (cluster.statuses.get(node)!.role !== 'down') await cluster.runUntil(() => cluster.statuses.get(node)!.role === 'down', 12, context);
  } catch {
    const status = cluster.statuses.get(node)!;
    expect(status.role, `${context}: ${status.error}`).not.toBe('failed');
    return false;
  }
  const steps = cluster.transcript.filter((step) => step.node === node);
  const view = await durableView(cluster.disks.get(node)!);
  expectAcknowledgedDurable(view, steps.flatMap((s) => s.result.messages), steps.flatMap((s) => s.result.persisted), context);
  cluster.clearInbox(node);
  cluster.command(node, { kind: 'restart', seed: bootSeed(seed, node, 1) });
  await cluster.runUntil(() => {
    const statuses = [...cluster.statuses.values()];
    const leader = cluster.leader();
    return leader !== null && statuses.every((s) => s.role !== 'down' && s.applied === cluster.statuses.get(leader)!.commit);
  }, 400, `${context}: convergence`);
  const acknowledged = [...cluster.responses.values()].filter((response) => response.result.ok && response.requestId < 50);
  const kv = cluster.statuses.get(node)!.kv;
  for (const status of cluster.statuses.values()) expect(status.kv, context).toEqual(kv);
  if (acknowledged.length === 6) expect(kv, context).toEqual([['k0', 'v4'], ['k1', 'v5']]);
  return true;
}

describe('hashicorp host crash recovery', () => {
  it('a node killed at every write point keeps everything it acknowledged', async () => {
    for (const target of ['leader', 'follower'] as const) {
      let points = 0;
      while (await crashAt(target, points, undefined)) points++;
      // Log appends (2 operations each), a snapshot folder (8), compaction; the leader adds the
      // configuration change.
      expect(points, target).toBeGreaterThan(target === 'leader' ? 20 : 12);
    }
  });

  it('and with a torn last write at the crash', async () => {
    for (const target of ['leader', 'follower'] as const) {
      for (let point = 0; await crashAt(target, point, 1 + (point % 23)); point++);
    }
  });
});
