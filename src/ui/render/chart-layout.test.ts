import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../sim/workload/history';
import {
  layoutLatencyChart,
  layoutStepChart,
  operationLatencies,
  seriesOfChanges,
  thinToColumns,
  type ChartFrame,
} from './chart-layout';

const frame: ChartFrame = {
  width: 500,
  height: 120,
  marginLeft: 40,
  marginBottom: 20,
  startMs: 0,
  endMs: 1_000,
  cursorMs: 600,
};

const event = (overrides: Partial<HistoryEvent>): HistoryEvent => ({
  process: 0,
  type: 'invoke',
  f: 'put',
  key: 'k',
  value: 'v',
  timeMs: 0,
  ...overrides,
});

describe('seriesOfChanges', () => {
  it('gives each node its own steps from the initial value, up to the cursor (terms, Raft §5.1)', () => {
    const changes = [
      { timeMs: 100, node: 2, term: 1 },
      { timeMs: 120, node: 1, term: 1 },
      { timeMs: 700, node: 1, term: 2 },
    ];
    const series = seriesOfChanges({
      changes,
      nodeIds: [1, 2, 3],
      valueOf: (change) => change.term,
      initial: 0,
      colorOf: () => '#000',
      untilMs: 600,
    });
    expect(series.map((item) => item.points.map((point) => point.value))).toEqual([
      [0, 1],
      [0, 1],
      [0],
    ]);
  });
});

describe('layoutStepChart', () => {
  it('draws one path per series ending at the cursor, with the value axis covering every value', () => {
    const layout = layoutStepChart({
      ...frame,
      series: [
        {
          key: 'n1',
          color: '#111',
          points: [
            { timeMs: 0, value: 1 },
            { timeMs: 300, value: 9 },
          ],
        },
        { key: 'n2', color: '#222', points: [{ timeMs: 0, value: 1 }] },
      ],
    });
    expect(layout.paths.map((path) => path.key)).toEqual(['n1', 'n2']);
    // Step after: a horizontal run, then a vertical jump at 300 ms, then flat to the cursor.
    expect(layout.paths[0].d).toBe('M40,100L176.2,100L176.2,6L312.4,6L312.4,6');
    expect(layout.paths[1].d).toMatch(/^M40,100.*L312\.4,100$/);
    expect(layout.cursorX).toBeCloseTo(40 + 0.6 * 454);
    // The lowest value sits on the bottom edge (y 100), the highest on the top edge (y 6).
    expect(layout.yTicks.length).toBeGreaterThan(1);
    for (const tick of layout.yTicks) expect(tick.position).toBeGreaterThanOrEqual(6);
    for (const tick of layout.yTicks) expect(tick.position).toBeLessThanOrEqual(100);
  });

  it('thins a long series to one point per pixel column, keeping the last', () => {
    const points = Array.from({ length: 10_000 }, (_, i) => ({ timeMs: i / 10, value: i }));
    const thinned = thinToColumns(points, (ms) => ms);
    expect(thinned.length).toBeLessThanOrEqual(1_001);
    expect(thinned[thinned.length - 1]).toEqual(points[points.length - 1]);
    expect(thinned[0]).toEqual(points[0]);
  });
});

describe('operation latency', () => {
  it("pairs each completion with its process's invocation and leaves open operations out", () => {
    const history = [
      event({ process: 1, timeMs: 10 }),
      event({ process: 2, timeMs: 12, f: 'get' }),
      event({ process: 1, type: 'ok', timeMs: 25 }),
      event({ process: 2, type: 'info', timeMs: 90 }),
      event({ process: 1, timeMs: 30 }),
    ];
    expect(operationLatencies(history)).toEqual([
      { process: 1, f: 'put', invokeMs: 10, completeMs: 25, latencyMs: 15, outcome: 'ok' },
      { process: 2, f: 'get', invokeMs: 12, completeMs: 90, latencyMs: 78, outcome: 'info' },
    ]);
  });

  it('places a dot per operation at its completion, higher for slower ones, and keeps the newest', () => {
    const operations = operationLatencies([
      event({ process: 1, timeMs: 100 }),
      event({ process: 1, type: 'ok', timeMs: 110 }),
      event({ process: 1, timeMs: 200 }),
      event({ process: 1, type: 'fail', timeMs: 260 }),
      event({ process: 1, timeMs: 300 }),
      event({ process: 1, type: 'ok', timeMs: 305 }),
    ]);
    const layout = layoutLatencyChart({ ...frame, operations, dotsMax: 2 });
    expect(layout.dotsOmitted).toBe(1);
    expect(layout.dots.map((dot) => dot.outcome)).toEqual(['fail', 'ok']);
    expect(layout.dots[0].y).toBeLessThan(layout.dots[1].y);
    expect(layout.dots[0].x).toBeLessThan(layout.dots[1].x);
  });
});
