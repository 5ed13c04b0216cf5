// The migration end to end on the simulated cluster (ELASTICKV.md, offline migration).
import { describe, expect, it } from 'vitest';
import { ensureRaftEngineDataDir } from '../../storage/datadir/engine-check';
import { MemoryBackend } from '../../storage/fs/memory-backend';
import { parseNodes } from './arguments';
import { inspectNodeDir } from './node-dir';
import { describeMigrationEvent, runMigration, runRollback, type MigrationEvent } from './orchestrator';
import { hashicorpClusterWithData, verifyWrites } from './scenario';

const nodesText = 'n1=host1,n2=host2,n3=host3';
const peersText = 'n1=host1:7000,n2=host2:7000,n3=host3:7000';
const nodes = (parseNodes(nodesText) as { ok: true; value: { id: string; host: string }[] }).value;
const timestamp = '20250102T030405Z';

describe('offline migration hashicorp -> etcd', () => {
  it('moves a 3-node hashicorp cluster with data to etcd: a leader, the old writes on every node, a new write read elsewhere', async () => {
    const { cluster, written } = await hashicorpClusterWithData({ nodes, seed: 7, keys: 5 });
    expect(written).toHaveLength(5);
    const lines: string[] = [];
    const outcome = await runMigration(cluster, { nodes: nodesText, peers: peersText, yes: true, timestamp, onEvent: (e) => lines.push(describeMigrationEvent(e)) });
    expect(outcome.error, lines.join('\n')).toBeNull();
    expect(outcome.exitCode).toBe(0);
    expect(lines.some((line) => /^\[validate\] n[0-9] ok: read on n[0-9] what n[0-9] wrote$/.test(line)), lines.join('\n')).toBe(true);
    expect(lines.some((l) => l.includes('migrated snapshot_bytes='))).toBe(true);
    for (const node of nodes) {
      expect(cluster.engineOf(node.id)).toBe('etcd');
      const disk = cluster.disk(node.id);
      const state = await inspectNodeDir(disk);
      expect(state).toEqual({ etcd: ['wal', 'snap', 'etcd-raft-peers.bin'], hashicorp: [], backups: [`hashicorp-backup-${timestamp}`] });
      expect(await disk.exists(`hashicorp-backup-${timestamp}/raft.db`)).toBe(true);
      expect(await disk.exists('.raftlab-migrate')).toBe(false);
    }
    expect((await verifyWrites(cluster, nodes, written)).ok).toBe(true);
    expect(cluster.safetyViolations()).toEqual([]);
    // The data dir check: etcd passes on every node, hashicorp refuses (on a copy, run offline).
    for (const node of nodes) {
      await cluster.stop(node.id);
      const disk = cluster.disk(node.id) as MemoryBackend;
      expect((await ensureRaftEngineDataDir(disk, '', 'hashicorp')).ok).toBe(false);
      expect((await ensureRaftEngineDataDir(disk, '', 'etcd')).ok).toBe(true);
    }
  });

  it('rolls back: the archived hashicorp dirs restart on hashicorp and serve the data written before', async () => {
    const { cluster, written } = await hashicorpClusterWithData({ nodes, seed: 11, keys: 3 });
    expect((await runMigration(cluster, { nodes: nodesText, peers: peersText, yes: true, timestamp })).exitCode).toBe(0);
    const lines: string[] = [];
    const outcome = await runRollback(cluster, { nodes: nodesText, timestamp: '20250102T040000Z', onEvent: (e) => lines.push(describeMigrationEvent(e)) });
    expect(outcome.error, lines.join('\n')).toBeNull();
    for (const node of nodes) {
      expect(cluster.engineOf(node.id)).toBe('hashicorp');
      const state = await inspectNodeDir(cluster.disk(node.id));
      expect(state.backups).toEqual([]);
      expect(state.etcd).toEqual([]);
      expect(state.hashicorp).toContain('raft.db');
      expect(await cluster.disk(node.id).exists('etcd-rollback-20250102T040000Z/wal')).toBe(true);
    }
    const leader = await cluster.awaitLeader();
    expect(leader.ok).toBe(true);
    for (const [key, value] of written) expect(await cluster.get(leader.ok ? leader.value.node : '', key)).toEqual({ ok: true, value });
  });

  it('rollback validation reads on another node than the writer, and re-checks the writes acknowledged before the migration', async () => {
    const { cluster, written } = await hashicorpClusterWithData({ nodes, seed: 11, keys: 3 });
    expect((await runMigration(cluster, { nodes: nodesText, peers: peersText, yes: true, timestamp })).exitCode).toBe(0);
    const events: MigrationEvent[] = [];
    const outcome = await runRollback(cluster, { nodes: nodesText, timestamp: '20250102T040000Z', acknowledged: written, onEvent: (e) => events.push(e) });
    expect(outcome.error).toBeNull();
    const last = events[events.length - 1];
    const writer = /what (n[0-9]) wrote/.exec(last.detail)![1];
    expect(last.node).not.toBe(writer);
    expect(last.detail).toBe(`read on ${last.node} what ${writer} wrote and the 3 writes acknowledged before the migration`);
    expect(nodes.every((node) => cluster.engineOf(node.id) === 'hashicorp')).toBe(true);
    // A write the rollback does not bring back is named.
    const again = await runRollback(cluster, { nodes: nodesText, timestamp: '20250102T040000Z', acknowledged: [...written, ['never-written', 'x']] });
    expect(again.exitCode).toBe(1);
    expect(again.error).toMatch(/never-written acknowledged as "x" before the migration reads null on n[0-9]/);
  });
});
