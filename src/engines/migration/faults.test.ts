// Faults during the migration and the two post-merge bugs (ELASTICKV.md). Each run ends in one
// of two states: it converges (on rerun) with every acknowledged write readable, or it refuses
// with a message that says what to do; the hashicorp backup is never lost, and no data dir is
// ever one the engine-switch check would let start wrongly.
import { describe, expect, it } from 'vitest';
import { ensureRaftEngineDataDir } from '../../storage/datadir/engine-check';
import { FaultLayer, SimulatedCrashError } from '../../storage/fs/fault-layer';
import type { FileSystem } from '../../storage/fs/file-system';
import { MemoryBackend } from '../../storage/fs/memory-backend';
import { joinPath } from '../../storage/fs/path';
import { parseNodes } from './arguments';
import { etcdMovedNames, inspectNodeDir } from './node-dir';
import { confirmPrompt, describeMigrationEvent, runMigration } from './orchestrator';
import { hashicorpClusterWithData, verifyWrites } from './scenario';
import { MigrationSimCluster } from './sim-cluster';

const nodesText = 'n1=host1,n2=host2,n3=host3';
const peersText = 'n1=host1:7000,n2=host2:7000,n3=host3:7000';
const nodes = (parseNodes(nodesText) as { ok: true; value: { id: string; host: string }[] }).value;
const timestamp = '20250102T030405Z';
const base = { nodes: nodesText, peers: peersText, yes: true, timestamp };

async function copyTree(from: FileSystem, to: FileSystem, dir = ''): Promise<void> {
  for (const name of await from.list(dir)) {
    const path = joinPath(dir, name);
    if ((await from.stat(path)).kind === 'dir') {
      await to.mkdir(path);
      await copyTree(from, to, path);
    } else {
      await to.writeFile(path, await from.readFile(path));
    }
  }
}

/** What the engine-switch check allows on the dir (run on a copy: the check writes a marker). */
async function allowedEngines(disk: FileSystem): Promise<string[]> {
  const allowed: string[] = [];
  for (const engine of ['etcd', 'hashicorp'] as const) {
    const copy = new MemoryBackend();
    await copyTree(disk, copy);
    if ((await ensureRaftEngineDataDir(copy, '', engine)).ok) allowed.push(engine);
  }
  return allowed;
}

/** A stopped hashicorp cluster with data, whose disks each test copies. */
async function stoppedCluster(seed: number) {
  const { cluster, written } = await hashicorpClusterWithData({ nodes, seed, keys: 3 });
  expect((await cluster.quiesce()).ok).toBe(true);
  for (const node of nodes) await cluster.stop(node.id);
  const fresh = async () => {
    const copy = new MigrationSimCluster({ nodes, seed });
    for (const node of nodes) await copyTree(cluster.node(node.id).disk, copy.node(node.id).disk);
    return copy;
  };
  return { fresh, written };
}

describe('migration faults', () => {
  it('a crash at every write of every node: the dir is never startable wrongly, the backup survives, a rerun converges', async () => {
    const { fresh, written } = await stoppedCluster(21);
    let crashes = 0;
    for (const victim of nodes) {
      for (let operation = 0; ; operation++) {
        const cluster = await fresh();
        const layer = await FaultLayer.create(cluster.node(victim.id).disk, { random: () => 0 });
        layer.armCrash({ atOperation: operation });
        cluster.diskViews.set(victim.id, layer);
        let crashed = false;
        try {
          await runMigration(cluster, base);
        } catch (error) {
          if (!(error instanceof SimulatedCrashError)) throw error;
          crashed = true;
        }
        if (!crashed) break;
        crashes++;
        await layer.crash({ keepPendingBytes: 0 });
        cluster.diskViews.delete(victim.id);
        const context = `${victim.id} crashed at write ${operation}`;
        const disk = cluster.node(victim.id).disk;
        const state = await inspectNodeDir(disk);
        const allowed = await allowedEngines(disk);
        if (allowed.includes('etcd')) expect(state.etcd, context).toEqual(etcdMovedNames);
        if (allowed.includes('hashicorp')) expect(state.hashicorp, context).toContain('raft.db');
        if (!state.hashicorp.includes('raft.db')) expect(await disk.exists(`hashicorp-backup-${timestamp}/raft.db`), context).toBe(true);
        const rerun = await runMigration(cluster, { ...base, timestamp: '20250102T050000Z' });
        expect(rerun.error, `${context}: ${rerun.events.map(describeMigrationEvent).join('\n')}`).toBeNull();
        expect((await verifyWrites(cluster, nodes, written)).ok, context).toBe(true);
        for (const node of nodes) {
          const after = await inspectNodeDir(cluster.node(node.id).disk);
          expect(after.hashicorp, context).toEqual([]);
          expect(after.backups.length, context).toBe(1);
          expect(await cluster.node(node.id).disk.exists(joinPath(after.backups[0], 'raft.db')), context).toBe(true);
        }
      }
    }
    expect(crashes).toBeGreaterThan(30);
  }, 60_000);

  it('a node that does not stop aborts before anything changes', async () => {
    const { cluster } = await hashicorpClusterWithData({ nodes, seed: 5, keys: 1 });
    cluster.setRefusesToStop('n2', true);
    const outcome = await runMigration(cluster, base);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.error).toBe('n2 is still running after the stop; nothing was changed: stop it by hand, then rerun');
    for (const node of nodes) expect((await inspectNodeDir(cluster.node(node.id).disk)).etcd).toEqual([]);
  });

  it('the prompt: only y or Y continues; anything else prints aborted and exits 1 with the nodes untouched', async () => {
    const { cluster } = await hashicorpClusterWithData({ nodes, seed: 6, keys: 1 });
    for (const answer of ['', 'n', 'yes', 'N\n', ' y']) {
      const prompts: string[] = [];
      const outcome = await runMigration(cluster, { ...base, yes: false, confirm: async (prompt) => (prompts.push(prompt), answer) });
      expect(prompts).toEqual([confirmPrompt]);
      expect(outcome).toMatchObject({ exitCode: 1, error: 'aborted' });
      expect(outcome.events.some((event) => event.detail.startsWith('This will STOP ALL NODES') && event.detail.includes('There will be cluster downtime'))).toBe(true);
      expect(cluster.engineOf('n1')).toBe('hashicorp');
    }
    const outcome = await runMigration(cluster, { ...base, yes: false, confirm: async () => 'Y\n' });
    expect(outcome.error).toBeNull();
  });

  it('parse errors abort before anything is stopped', async () => {
    const { cluster } = await hashicorpClusterWithData({ nodes, seed: 8, keys: 1 });
    expect((await runMigration(cluster, { ...base, nodes: 'n1=host1,n2' })).error).toBe('NODES: invalid node entry "n2": missing "=" (want id=host)');
    expect((await runMigration(cluster, { ...base, nodes: 'n1=host1,n1=host2' })).error).toBe('NODES: duplicate node id "n1"');
    expect((await runMigration(cluster, { ...base, peers: 'n1=host1:7000,n2=:7000' })).error).toBe('PEERS: invalid peer entry "n2=:7000": address must be host:port');
    expect((await runMigration(cluster, { ...base, nodes: 'n1=host1,n4=host4' })).error).toMatch(/^node n4 is not in PEERS/);
    expect(cluster.engineOf('n1')).toBe('hashicorp');
  });

  it('a missing fsm.db refuses in the preflight, nothing converted', async () => {
    const { fresh } = await stoppedCluster(9);
    const cluster = await fresh();
    await cluster.node('n3').disk.remove('fsm.db', { recursive: true });
    const outcome = await runMigration(cluster, base);
    expect(outcome.error).toMatch(/^n3: fsm store fsm.db does not exist; nothing was changed/);
    for (const node of nodes) expect((await inspectNodeDir(cluster.node(node.id).disk)).etcd).toEqual([]);
  });

  it('a full disk aborts with its message; freed, a rerun converges', async () => {
    const { fresh, written } = await stoppedCluster(10);
    const cluster = await fresh();
    const disk = cluster.node('n2').disk;
    const layer = await FaultLayer.create(disk, { random: () => 0, capacityBytes: 1 });
    cluster.diskViews.set('n2', layer);
    const outcome = await runMigration(cluster, base);
    expect(outcome.error).toMatch(/^migrator: cannot use this path: the disk is full: .*\(ENOSPC.*rerun once the cause is fixed/);
    cluster.diskViews.delete('n2');
    expect((await runMigration(cluster, base)).error).toBeNull();
    expect((await verifyWrites(cluster, nodes, written)).ok).toBe(true);
  });
});

/** Seeds of the small sweeps over the two post-merge bugs. */
const sweepSeeds = Array.from({ length: 20 }, (_, i) => i + 1);

describe('post-merge bugs', () => {
  // elastickv's faulty engine-migrate.sh ran `mv <tmp>/data/member <node>/member` under
  // `set -euo pipefail`: the mv failed and the script stopped there, loudly, with every node
  // stopped and the first node's dir still on hashicorp (its fix moves wal, snap and the peers
  // file instead). So this bug is caught by the failing step itself (ENOENT), not by a node
  // starting without its migrated state; the sweep shows that on every seed, with nothing lost.
  it(`orchestrator-member-dir, swept over seeds ${sweepSeeds[0]}..${sweepSeeds[sweepSeeds.length - 1]}: the move fails loudly on the first node, no dir startable wrongly, every write kept`, async () => {
    for (const seed of sweepSeeds) {
      const { fresh, written } = await stoppedCluster(seed);
      const cluster = await fresh();
      const outcome = await runMigration(cluster, { ...base, bugs: ['orchestrator-member-dir'] });
      expect(outcome.exitCode, `seed ${seed}`).toBe(1);
      expect(outcome.error, `seed ${seed}`).toMatch(/^ENOENT: .*\.raftlab-migrate\/dest\/member/);
      expect(outcome.events.filter((event) => event.step === 'convert' && event.status === 'begin').map((event) => event.node)).toEqual(['n1']);
      for (const node of nodes) expect(await allowedEngines(cluster.node(node.id).disk), `seed ${seed} ${node.id}`).toEqual(['hashicorp']);
      for (const node of nodes) expect((await cluster.start(node.id, 'hashicorp')).ok, `seed ${seed} ${node.id}`).toBe(true);
      const leader = await cluster.awaitLeader();
      if (!leader.ok) throw new Error(`seed ${seed}: ${leader.error}`);
      for (const [key, value] of written) expect(await cluster.get(leader.value.node, key), `seed ${seed} ${key}`).toEqual({ ok: true, value });
    }
  });

  it(`no-peers-file, swept over seeds ${sweepSeeds[0]}..${sweepSeeds[sweepSeeds.length - 1]}: every seed's split brain is caught by election safety`, async () => {
    for (const seed of sweepSeeds) {
      const { fresh } = await stoppedCluster(seed);
      const clean = await fresh();
      const cluster = new MigrationSimCluster({ nodes, seed, bugs: ['no-peers-file'] });
      for (const node of nodes) await copyTree(clean.node(node.id).disk, cluster.node(node.id).disk);
      const outcome = await runMigration(cluster, { ...base, bugs: ['no-peers-file'] });
      expect(outcome.exitCode, `seed ${seed}`).toBe(1);
      expect(outcome.error, `seed ${seed}`).toMatch(/election safety: etcd term \d+ has more than one leader/);
      expect(cluster.safetyViolations().length, `seed ${seed}`).toBeGreaterThan(0);
    }
  });

  it('orchestrator-member-dir: moving a member/ dir the migrator never made fails, leaving the node on hashicorp', async () => {
    const { fresh } = await stoppedCluster(12);
    const cluster = await fresh();
    const outcome = await runMigration(cluster, { ...base, bugs: ['orchestrator-member-dir'] });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.error).toMatch(/^ENOENT: .*\.raftlab-migrate\/dest\/member/);
    const disk = cluster.node('n1').disk;
    expect(await allowedEngines(disk)).toEqual(['hashicorp']);
    expect((await inspectNodeDir(disk)).hashicorp).toContain('raft.db');
    expect((await runMigration(cluster, base)).error).toBeNull();
  });

  it('no-peers-file: every node falls back to a one-node configuration and elects itself; election safety catches the split brain', async () => {
    const { fresh } = await stoppedCluster(13);
    const clean = await fresh();
    const cluster = new MigrationSimCluster({ nodes, seed: 13, bugs: ['no-peers-file'] });
    for (const node of nodes) await copyTree(clean.node(node.id).disk, cluster.node(node.id).disk);
    const outcome = await runMigration(cluster, { ...base, bugs: ['no-peers-file'] });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.error).toMatch(/election safety: etcd term 2 has more than one leader/);
    await cluster.runUntil(() => nodes.every((node) => cluster.statusOf(node.id)?.role === 'StateLeader'), 'three leaders');
    expect(nodes.map((node) => cluster.statusOf(node.id)!.voters)).toEqual([[1], [1], [1]]);
    // Without the bug, a migrated node whose peers file is missing refuses to start instead.
    const fixed = await fresh();
    expect((await runMigration(fixed, base)).exitCode).toBe(0);
    for (const node of nodes) await fixed.stop(node.id);
    const restarted = new MigrationSimCluster({ nodes, seed: 13 });
    for (const node of nodes) await copyTree(fixed.node(node.id).disk, restarted.node(node.id).disk);
    await restarted.node('n2').disk.remove('etcd-raft-peers.bin');
    expect(await restarted.start('n2', 'etcd')).toEqual({ ok: false, error: 'n2 has no etcd-raft-peers.bin: a migrated node must not start without its configuration; rerun the migration for it' });
  });
});
