// The migration page's actions, outside React: loading a scenario records it once, then every
// step, rewind and stage jump is a seek into the recorded frames; the side-by-side time control
// computes frames on demand and seeks back into them.
import { afterEach, describe, expect, it } from 'vitest';
import {
  loadMigrationScenario,
  migrationIdle,
  migrationToEnd,
  pauseEngines,
  seekEngines,
  seekMigration,
  seekStage,
  startEngines,
  stepEngines,
  stepMigration,
} from './migration-actions';
import { migrationStore } from './migration-store';
import { frameMs } from './side-by-side';

afterEach(() => pauseEngines());

describe('migration page actions', () => {
  it('loads a scenario at the URL step, steps, rewinds and jumps by stage over the same frames', async () => {
    await loadMigrationScenario('migration', 1, 30);
    const { recording } = migrationStore.getState();
    expect(recording).not.toBeNull();
    expect(migrationStore.getState().step).toBe(30);
    const frames = recording!.frames;
    stepMigration(5);
    expect(migrationStore.getState().step).toBe(35);
    stepMigration(-40);
    expect(migrationStore.getState().step).toBe(0);
    seekStage(1);
    const firstPlan = frames.findIndex((frame) => frame.stage === 'plan');
    expect(migrationStore.getState().step).toBe(firstPlan);
    seekStage(1);
    expect(frames[migrationStore.getState().step].stage).toBe('stop');
    seekStage(-1);
    expect(migrationStore.getState().step).toBe(firstPlan);
    migrationToEnd();
    expect(migrationStore.getState().step).toBe(frames.length - 1);
    seekMigration(10);
    // Seeking never recomputes: the recording is the same object.
    expect(migrationStore.getState().recording).toBe(recording);
    expect(migrationStore.getState().error).toBeNull();
  });

  it('a step beyond the last frame is clamped', async () => {
    await loadMigrationScenario('bug-member-dir', 2, 1_000_000);
    const { recording, step } = migrationStore.getState();
    expect(step).toBe(recording!.frames.length - 1);
  });

  it('side by side: steps compute frames, a seek back shows a recorded one', async () => {
    await startEngines(1, ['crash'], 500);
    expect(migrationStore.getState().engines.frame!.timeMs).toBe(500);
    await stepEngines(4);
    expect(migrationStore.getState().engines.frame!.timeMs).toBe(500 + 4 * frameMs);
    const count = migrationStore.getState().engines.frameCount;
    await seekEngines(2);
    await migrationIdle();
    const engines = migrationStore.getState().engines;
    expect(engines.frame!.timeMs).toBe(2 * frameMs);
    expect(engines.frameCount).toBe(count);
    expect(engines.frame!.panes.map((pane) => pane.engine)).toEqual(['etcd', 'hashicorp']);
  });
});
