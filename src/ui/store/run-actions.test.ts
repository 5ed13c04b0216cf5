import { beforeEach, describe, expect, it } from 'vitest';
import { appStore } from './app-store';
import {
  advanceBy,
  crashNode,
  currentRun,
  newRun,
  restartNode,
  seek,
  setSpeed,
  speedMax,
  step,
} from './run-actions';
import { formatUrl, parseUrl } from './url';

describe('run actions', () => {
  beforeEach(() => newRun({ seed: 4, nodeCount: 3, nemesis: [] }));

  it('step processes one event and publishes it', () => {
    step();
    step();
    const state = appStore.getState();
    expect(state.eventCount).toBe(2);
    expect(state.nodes).toHaveLength(3);
    expect(state.nowMs).toBe(currentRun().nowMs);
  });

  it('advanceBy runs simulated time at the chosen speed', () => {
    setSpeed(10);
    advanceBy(50);
    expect(appStore.getState().nowMs).toBeLessThanOrEqual(500);
    expect(appStore.getState().nowMs).toBeGreaterThan(400);
    expect(() => setSpeed(0)).toThrow(/speed must be in/);
  });

  it('at the fastest speed a frame runs as many events as a frame may, and the display keeps up', () => {
    setSpeed(speedMax);
    advanceBy(16);
    const { eventCount, nowMs } = appStore.getState();
    // 16 ms at 100,000x would be 1,600 s of simulated time; the frame's event cap stops it first.
    expect(eventCount).toBe(5_000);
    expect(nowMs).toBe(currentRun().nowMs);
    expect(nowMs).toBeLessThan(1_600_000);
  });

  it('seek back shows the same state as before; crash and restart are replayed at their event', () => {
    seek(1_000);
    const before = appStore.getState().nodes;
    crashNode(1);
    expect(appStore.getState().nodes[0].role).toBe('down');
    seek(1_500);
    restartNode(1);
    seek(3_000);
    const later = appStore.getState().nodes;
    seek(999);
    seek(1_000);
    expect(appStore.getState().nodes[0].role).toBe('down');
    seek(3_000);
    expect(appStore.getState().nodes).toEqual(later);
    expect(appStore.getState().interventionCount).toBe(2);
    expect(before[0].role).not.toBe('down');
  });

  it('a URL made from the state reopens the same run at the same point', () => {
    seek(700);
    crashNode(2);
    seek(1_200);
    const nodes = appStore.getState().nodes;
    const search = formatUrl({
      config: appStore.getState().config,
      position: 1_200,
      interventions: currentRun().interventionList,
    });
    const parsed = parseUrl(search);
    expect(parsed.problems).toEqual([]);
    newRun(parsed.config, parsed.interventions);
    seek(parsed.position!);
    expect(appStore.getState().nodes).toEqual(nodes);
  });
});

describe('parseUrl', () => {
  it('reports the parameters it ignores and keeps the defaults for them', () => {
    const parsed = parseUrl('?seed=abc&nodes=12&nemesis=crash,meteor&t=5&inject=3:crash:2~bad');
    expect(parsed.problems).toHaveLength(4);
    expect(parsed.config).toEqual(appStore.getInitialState().config);
    expect(parsed.position).toBe(5);
    expect(parsed.interventions).toEqual([{ afterEvent: 3, action: { kind: 'crash', node: 2 } }]);
  });

  it('reads nemesis choices as the CLI does', () => {
    expect(parseUrl('?nemesis=all').config.nemesis).toContain('partition');
    expect(parseUrl('?nemesis=none').config.nemesis).toEqual([]);
    expect(parseUrl('?nemesis=seed').config.nemesis).toBe('seed');
  });
});
