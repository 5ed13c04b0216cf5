// The recorded migration scenarios: what each shows frame by frame, and that a seed always gives
// the same recording (so a shared URL's step is the same state).
import { describe, expect, it } from 'vitest';
import { errMixedRaftEngineArtifactsText } from '../../storage/datadir/engine-check';
import type { MigrationFrame } from './migration-recorder';
import { migrationTimestamp, recordMigrationScenario } from './migration-scenarios';

const backup = `hashicorp-backup-${migrationTimestamp}`;

function firstFrame(frames: MigrationFrame[], test: (frame: MigrationFrame) => boolean): MigrationFrame {
  const frame = frames.find(test);
  if (frame === undefined) throw new Error('no such frame');
  return frame;
}

describe('migration scenarios, recorded', () => {
  it('migration: every node goes from hashicorp to etcd file by file, writes fail during the downtime and succeed after, validation is green', async () => {
    const recording = await recordMigrationScenario('migration', 1);
    expect(recording.validate).toBe('ok');
    expect(recording.verdict.status).toBe('ok');
    const { frames, history } = recording;
    const last = frames[frames.length - 1];
    for (const node of last.nodes) {
      expect(node.engine).toBe('etcd');
      expect(node.marker).toBe('etcd');
      expect(node.files).toEqual(expect.arrayContaining(['wal/', 'snap/', 'etcd-raft-peers.bin', `${backup}/raft.db/`, 'fsm.db/']));
      expect(node.files).not.toContain('raft.db/');
    }
    for (const node of ['n1', 'n2', 'n3']) {
      // raft.db moves into the backup in one step, after wal, snap and the peers file appeared.
      const moved = firstFrame(frames, (frame) => frame.added.includes(`${node}:${backup}/raft.db/`));
      expect(moved.removed).toContain(`${node}:raft.db/`);
      const wal = firstFrame(frames, (frame) => frame.added.includes(`${node}:wal/`));
      const peers = firstFrame(frames, (frame) => frame.added.includes(`${node}:etcd-raft-peers.bin`));
      expect(wal.index).toBeLessThan(peers.index);
      expect(peers.index).toBeLessThan(moved.index);
      expect(firstFrame(frames, (frame) => frame.nodes.find((n) => n.id === node)!.marker === 'etcd').index).toBeGreaterThan(moved.index);
    }
    expect(frames[3].nodes.map((node) => node.engine)).toEqual(['hashicorp', 'hashicorp', 'hashicorp']);
    const stages = frames.map((frame) => frame.stage).filter((stage, i, all) => stage !== all[i - 1]);
    expect(stages).toEqual(['load', 'plan', 'stop', 'convert', 'restart', 'validate', 'check']);
    const refused = history.filter((op) => op.source === 'client' && op.detail.startsWith('connection refused'));
    expect(refused.length).toBeGreaterThan(3);
    const lastRefused = refused[refused.length - 1];
    expect(history.some((op) => op.source === 'client' && op.ok && op.startMs > lastRefused.endMs)).toBe(true);
    expect(recording.downtimeMs).toBeGreaterThan(0);
    // Frames are in time order, and each names the history prefix it shows.
    frames.forEach((frame, i) => {
      expect(frame.index).toBe(i);
      if (i > 0) expect(frame.timeMs).toBeGreaterThanOrEqual(frames[i - 1].timeMs);
      if (i > 0) expect(frame.historyLength).toBeGreaterThanOrEqual(frames[i - 1].historyLength);
    });
  });

  it('a seed gives the same recording', async () => {
    const a = await recordMigrationScenario('migration', 4);
    const b = await recordMigrationScenario('migration', 4);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('migration-crash: n2 is left mixed by the crash, refused by both engines, and the rerun completes', async () => {
    const recording = await recordMigrationScenario('migration-crash', 1);
    const afterCrash = firstFrame(recording.frames, (frame) => frame.caption.startsWith('n2 rebooted'));
    const n2 = afterCrash.nodes.find((node) => node.id === 'n2')!;
    expect(n2.files).toEqual(expect.arrayContaining(['raft.db/', 'wal/', 'snap/', 'etcd-raft-peers.bin']));
    const check = firstFrame(recording.frames, (frame) => frame.caption.startsWith('safety check on n2'));
    expect(check.caption).toContain(errMixedRaftEngineArtifactsText);
    expect(recording.validate).toBe('ok');
    expect(recording.verdict.status).toBe('ok');
    const last = recording.frames[recording.frames.length - 1];
    for (const node of last.nodes) {
      expect(node.engine).toBe('etcd');
      const backups = node.files.filter((file) => file.startsWith('hashicorp-backup-') && file.endsWith('Z/'));
      // One backup each; n2's interrupted archive was finished into the first run's backup.
      expect(backups).toHaveLength(1);
      if (node.id === 'n2') expect(backups).toEqual([`${backup}/`]);
    }
  });

  it('bug-member-dir: the migration fails on the member/ move and n1 stays on hashicorp', async () => {
    const recording = await recordMigrationScenario('bug-member-dir', 1);
    expect(recording.validate).toBe('fail');
    expect(recording.verdict).toMatchObject({ status: 'fail' });
    expect(recording.verdict.text).toMatch(/ENOENT: .*\.raftlab-migrate\/dest\/member/);
    const check = firstFrame(recording.frames, (frame) => frame.caption.startsWith('safety check on n1'));
    expect(check.caption).toMatch(/etcd: .*contains hashicorp state, not etcd.*; hashicorp: ok$/);
  });

  it('bug-no-peers-file: every node elects itself and election safety catches it', async () => {
    const recording = await recordMigrationScenario('bug-no-peers-file', 1);
    expect(recording.validate).toBe('fail');
    expect(recording.verdict.status).toBe('fail');
    expect(recording.verdict.text).toMatch(/^election safety: etcd term \d+ has more than one leader/);
    const last = recording.frames[recording.frames.length - 1];
    expect(last.nodes.map((node) => node.role)).toEqual(['leader', 'leader', 'leader']);
    expect(last.nodes.map((node) => node.voters)).toEqual([[1], [1], [1]]);
  });

  it('mixed-dir-refused: starting the mixed dir on either engine is refused with the safety check message', async () => {
    const recording = await recordMigrationScenario('mixed-dir-refused', 1);
    expect(recording.verdict.status).toBe('refused');
    expect(recording.verdict.text).toContain(`n2 did not start on etcd: `);
    expect(recording.verdict.text).toContain(`n2 did not start on hashicorp: `);
    expect(recording.verdict.text.split(errMixedRaftEngineArtifactsText)).toHaveLength(3);
  });

  it('migration-rollback: the backups go back, the cluster restarts on hashicorp, the writes taken on etcd are not there', async () => {
    const recording = await recordMigrationScenario('migration-rollback', 1);
    expect(recording.verdict.status).toBe('ok');
    expect(recording.verdict.text).toMatch(/the 6 writes from before the migration read on the leader n\d; the 3 taken on etcd afterwards are not in the backup/);
    const stages = recording.frames.map((frame) => frame.stage).filter((stage, i, all) => stage !== all[i - 1]);
    expect(stages).toEqual(['load', 'plan', 'stop', 'convert', 'restart', 'validate', 'rollback', 'check']);
    const last = recording.frames[recording.frames.length - 1];
    for (const node of last.nodes) {
      expect(node.engine).toBe('hashicorp');
      expect(node.marker).toBe('hashicorp');
      expect(node.files).toEqual(expect.arrayContaining(['raft.db/', 'etcd-rollback-20250102T041500Z/wal/']));
      expect(node.files.some((file) => file.startsWith('hashicorp-backup-'))).toBe(false);
    }
  });
});
