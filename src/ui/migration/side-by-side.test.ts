// Side by side (both engines under one seed's faults, lockstep on simulated time).
import { describe, expect, it } from 'vitest';
import { frameMs, SideBySideRun } from './side-by-side';

describe('side by side: etcd and hashicorp under the same seed and faults', () => {
  it('advances both panes in lockstep, each elects a leader, and the frames can be sought', async () => {
    const run = new SideBySideRun({ seed: 1, nodeCount: 3, nemesis: ['partition', 'crash'], timeMs: 3000 });
    const last = await run.recordUntil(2000);
    expect(last).toBe(2000 / frameMs);
    for (const frame of run.frames) {
      expect(frame.panes.map((pane) => pane.engine)).toEqual(['etcd', 'hashicorp']);
      // Lockstep: both panes have processed every event before the frame's time, and none after it by more than one event.
      for (const pane of frame.panes) expect(pane.nowMs).toBeGreaterThanOrEqual(frame.timeMs);
    }
    for (const engine of ['etcd', 'hashicorp'] as const) {
      const changes = run.leaderChanges(engine);
      expect(changes.length, engine).toBeGreaterThan(0);
      expect(changes.every((change, i) => i === 0 || change.timeMs >= changes[i - 1].timeMs)).toBe(true);
    }
    // The plan both panes follow: with crash and partition on, it crashes and partitions.
    expect(run.faults.some((fault) => fault.text.startsWith('crash'))).toBe(true);
    expect(run.faults.every((fault, i) => i === 0 || fault.atMs >= run.faults[i - 1].atMs)).toBe(true);
    const at = run.frameAt(1234);
    expect(at.timeMs).toBe(1200);
    expect(at.panes.every((pane) => pane.nodes.some((node) => node.role === 'leader' || node.role === 'down' || node.term > 0))).toBe(true);
    await run.terminate();
  });

  it('the same seed gives the same frames', async () => {
    const frames = async () => {
      const run = new SideBySideRun({ seed: 9, nodeCount: 3, nemesis: ['loss', 'crash'], timeMs: 2000 });
      await run.recordUntil(1000);
      return JSON.stringify(run.frames);
    };
    expect(await frames()).toBe(await frames());
  });
});
