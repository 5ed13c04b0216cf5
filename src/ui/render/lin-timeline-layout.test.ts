import { describe, expect, it } from 'vitest';
import type { LinearizabilityView, TimelineOperation } from '../model/linearizability-view';
import {
  barWidthMinPx,
  framedOperationsMax,
  linTimelineLayout,
  timelineWindow,
} from './lin-timeline-layout';

const op = (
  id: number,
  process: number,
  invokeMs: number,
  completeMs: number | null,
  extra: Partial<TimelineOperation> = {},
): TimelineOperation => ({
  id,
  process,
  key: 'x',
  text: `op${id}`,
  completion: completeMs === null ? 'info' : 'ok',
  invokeMs,
  completeMs,
  status: 'linearized',
  ...extra,
});

const view: Pick<
  LinearizabilityView,
  'operations' | 'firstImpossibleId' | 'failingKey' | 'prefixEndMs' | 'endMs'
> = {
  operations: [
    op(0, 3, 0, 100),
    op(1, 1, 50, 60, { key: 'y' }),
    op(2, 3, 200, 900, { status: 'impossible' }),
    op(3, 2, 5_000, null, { status: 'open' }),
  ],
  firstImpossibleId: 2,
  failingKey: 'x',
  prefixEndMs: 900,
  endMs: 6_000,
};
const frame = { widthPx: 404, marginLeftPx: 0, lanePx: 10, axisPx: 14 };

describe('linearizability timeline layout', () => {
  it('one lane per client in id order; bars span invocation to completion', () => {
    const layout = linTimelineLayout(view, { ...frame, startMs: 0, endMs: 4_000 });
    expect(layout.lanes.map((lane) => lane.label)).toEqual(['c1', 'c2', 'c3']);
    expect(layout.heightPx).toBe(3 * 10 + 14);
    const bar = layout.bars.find((b) => b.id === 2)!;
    expect(bar.x).toBeCloseTo(20);
    expect(bar.width).toBeCloseTo(70);
    expect(bar.y).toBe(2 * 10 + 2);
    // A bar shorter than a few pixels stays clickable.
    expect(layout.bars.find((b) => b.id === 1)!.width).toBe(barWidthMinPx);
    expect(layout.bars.find((b) => b.id === 1)!.otherKey).toBe(true);
    // The open operation starts past the frame: not drawn, counted.
    expect(layout.hiddenCount).toBe(1);
    expect(layout.firstImpossible?.id).toBe(2);
    expect(layout.prefix).toEqual({ x: 0, width: expect.closeTo(90) as unknown as number });
  });

  it('an open operation runs to the end of the history', () => {
    const layout = linTimelineLayout(view, { ...frame, startMs: 0, endMs: 6_000 });
    const open = layout.bars.find((b) => b.id === 3)!;
    expect(open.open).toBe(true);
    expect(open.x + open.width).toBeCloseTo(400);
  });

  it('a long history shows its latest operations', () => {
    const operations = Array.from({ length: framedOperationsMax + 10 }, (_, i) =>
      op(i, 1 + (i % 3), i * 10, i * 10 + 5),
    );
    const long = { ...view, operations, firstImpossibleId: null, endMs: operations.length * 10 };
    expect(timelineWindow(long, false)).toEqual({ startMs: 100, endMs: long.endMs });
    const layout = linTimelineLayout(long, { ...frame, ...timelineWindow(long, false) });
    expect(layout.bars).toHaveLength(framedOperationsMax);
    expect(layout.hiddenCount).toBe(10);
  });

  it('focuses on the first impossible operation, or shows the whole history', () => {
    expect(timelineWindow(view, false)).toEqual({ startMs: 0, endMs: 6_000 });
    expect(timelineWindow(view, true)).toEqual({ startMs: 0, endMs: 1_400 });
    expect(timelineWindow({ ...view, firstImpossibleId: null }, true)).toEqual({
      startMs: 0,
      endMs: 6_000,
    });
  });
});
