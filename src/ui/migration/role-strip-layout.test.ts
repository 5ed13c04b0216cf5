import { describe, expect, it } from 'vitest';
import { layoutRoleStrip } from './role-strip-layout';
import type { SideBySideFrame } from './side-by-side';

const frame = (timeMs: number, roles: string[]): SideBySideFrame => ({
  timeMs,
  panes: [{ engine: 'etcd', nowMs: timeMs, eventCount: 0, nodes: roles.map((role, i) => ({ id: i + 1, role, term: 1, commit: 0, lead: 0 })), leaderChangeCount: 0, done: false }],
});

describe('role strip layout', () => {
  it('merges a node’s frames of one role and marks leader changes up to the frame shown', () => {
    const frames = [frame(0, ['follower', 'follower']), frame(50, ['leader', 'follower']), frame(100, ['leader', 'candidate'])];
    const layout = layoutRoleStrip({
      frames,
      pane: 0,
      upTo: 2,
      span: 4,
      leaderChanges: [{ timeMs: 40, node: 1, term: 2 }, { timeMs: 500, node: 2, term: 3 }],
      frameMs: 50,
      width: 400,
      rowHeight: 10,
      labelWidth: 0,
    });
    expect(layout.cells.map((cell) => [cell.role, cell.x, cell.y, cell.width])).toEqual([
      ['follower', 0, 0, 100],
      ['leader', 100, 0, 200],
      ['follower', 0, 10, 200],
      ['candidate', 200, 10, 100],
    ]);
    expect(layout.leaderMarks).toEqual([{ key: '0', x: 80, y: 0, title: '40 ms: node 1 leads term 2' }]);
    expect(layout.height).toBe(20);
    expect(layout.faultRowY).toBeNull();
    const withFaults = layoutRoleStrip({ frames, pane: 0, upTo: 2, span: 4, leaderChanges: [], faults: [{ atMs: 50, text: 'crash 2' }, { atMs: 150, text: 'restart 2' }], frameMs: 50, width: 400, rowHeight: 10, labelWidth: 0 });
    expect(withFaults.faultRowY).toBe(20);
    expect(withFaults.height).toBe(30);
    expect(withFaults.faultMarks).toEqual([{ key: '0', x: 100, title: '50 ms: crash 2', kind: 'crash' }]);
    expect(withFaults.configurationRowY).toBeNull();
  });

  it('draws each configuration the leader held as a span up to the next one, a short joint one at least a pixel wide', () => {
    const frames = [frame(0, ['leader']), frame(50, ['leader']), frame(100, ['leader'])];
    const layout = layoutRoleStrip({
      frames,
      pane: 0,
      upTo: 2,
      span: 4,
      leaderChanges: [],
      faults: [],
      configurations: [
        { atMs: 10, text: 'voters=(1 2 3)', state: 'stable' },
        { atMs: 60, text: 'voters=(1 2 4)&&(1 2 3)', state: 'joint' },
        { atMs: 60, text: 'voters=(1 2 4)', state: 'stable' },
        { atMs: 150, text: 'later', state: 'stable' },
      ],
      frameMs: 50,
      width: 400,
      rowHeight: 10,
      labelWidth: 0,
    });
    expect(layout.configurationRowY).toBe(20);
    expect(layout.height).toBe(30);
    expect(layout.configurationSpans.map((span) => [span.state, span.x, span.width])).toEqual([
      ['stable', 20, 100],
      ['joint', 120, 1],
      ['stable', 120, 80],
    ]);
    expect(layout.configurationSpans[1].title).toBe('60 ms to 60 ms: voters=(1 2 4)&&(1 2 3)');
    expect(layout.configurationSpans[2].title).toBe('60 ms to now: voters=(1 2 4)');
  });
});
