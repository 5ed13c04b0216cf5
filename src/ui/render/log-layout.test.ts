import { describe, expect, it } from 'vitest';
import type { NodeState } from '../model/node-state';
import { layoutLogs, referenceLog } from './log-layout';

function node(id: number, terms: number[], overrides: Partial<NodeState> = {}): NodeState {
  return {
    id,
    role: 'follower',
    paused: false,
    term: Math.max(0, ...terms),
    vote: 0,
    lead: 0,
    commit: 0,
    applied: 0,
    snapshotIndex: 0,
    stableIndex: terms.length,
    lastIndex: terms.length,
    electionElapsed: 0,
    electionTimeout: 10,
    log: terms.map((term, i) => ({ index: i + 1, term, confChange: false, text: 'empty' })),
    ...overrides,
  };
}

const config = { width: 800, labelWidth: 60, rowHeight: 30, columnsMax: 40 };

describe('layoutLogs', () => {
  it('aligns entries by index across rows and marks commit and applied on each', () => {
    const layout = layoutLogs({
      ...config,
      nodes: [
        node(1, [1, 1, 2], { role: 'leader', commit: 3, applied: 2 }),
        node(2, [1, 1], { commit: 2, applied: 2 }),
      ],
    });
    expect(layout.columns).toEqual([1, 2, 3]);
    const [leader, follower] = layout.rows;
    expect(follower.cells.map((cell) => cell.x)).toEqual(
      leader.cells.slice(0, 2).map((cell) => cell.x),
    );
    expect(leader.cells.map((cell) => cell.committed)).toEqual([true, true, true]);
    expect(leader.cells.map((cell) => cell.applied)).toEqual([true, true, false]);
    expect(leader.commitX).toBeGreaterThan(leader.appliedX!);
    expect(leader.cells[0].color).not.toBe(leader.cells[2].color);
  });

  it("highlights a divergent suffix: entries whose term differs from the leader's (Figure 7)", () => {
    const layout = layoutLogs({
      ...config,
      nodes: [
        node(1, [1, 1, 4, 4], { role: 'leader' }),
        node(2, [1, 1, 2, 2, 2]),
        node(3, [1, 1, 4]),
      ],
    });
    expect(layout.referenceId).toBe(1);
    expect(layout.rows[1].cells.map((cell) => cell.divergent)).toEqual([
      false,
      false,
      true,
      true,
      false,
    ]);
    expect(layout.rows[2].cells.some((cell) => cell.divergent)).toBe(false);
  });

  it('shows only the newest columns, and the unstable tail past the durable index', () => {
    const terms = Array.from({ length: 100 }, () => 1);
    const layout = layoutLogs({
      ...config,
      columnsMax: 10,
      nodes: [node(1, terms, { stableIndex: 98, commit: 50 })],
    });
    expect(layout.columns).toEqual([91, 92, 93, 94, 95, 96, 97, 98, 99, 100]);
    expect(layout.rows[0].cells.filter((cell) => cell.unstable).map((cell) => cell.index)).toEqual([
      99, 100,
    ]);
    expect(layout.rows[0].commitX).toBeNull();
  });

  it('compares with the most up-to-date log when there is no leader', () => {
    expect(referenceLog([node(1, [1, 2]), node(2, [1, 3]), node(3, [1, 2, 2])])?.id).toBe(2);
  });
});
