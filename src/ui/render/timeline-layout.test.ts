import { describe, expect, it } from 'vitest';
import type { Flight, RoleChange } from '../model/run-trace';
import { layoutTimeline, type TimelineConfig } from './timeline-layout';

const flight = (overrides: Partial<Flight>): Flight => ({
  type: 'MsgVote',
  from: 1,
  to: 2,
  term: 2,
  sentEvent: 1,
  sentMs: 100,
  arriveMs: 104,
  lostBecause: null,
  copy: 0,
  flightId: null,
  message: null,
  droppedAt: null,
  ...overrides,
});

const base: TimelineConfig = {
  nodeIds: [1, 2, 3],
  flights: [],
  flightMsMax: 5,
  roleChanges: [],
  faults: [],
  width: 1_000,
  height: 200,
  labelWidth: 40,
  startMs: 0,
  endMs: 1_000,
  cursorMs: 500,
  traceEndMs: 800,
  showHeartbeats: false,
  linesMax: 1_000,
};

describe('layoutTimeline', () => {
  it('draws a message from the sender lane at sending to the receiver lane at arrival', () => {
    const layout = layoutTimeline({ ...base, flights: [flight({})] });
    const [lane1, lane2] = layout.lanes;
    expect(layout.lines[0]).toMatchObject({ y1: lane1.y, y2: lane2.y, lost: false, future: false });
    expect(layout.lines[0].x2).toBeGreaterThan(layout.lines[0].x1);
  });

  it('fades what lies past the cursor, stops lost messages short and hides heartbeats on request', () => {
    // Flights come in sending order, as the trace records them.
    const flights = [
      flight({ sentMs: 200, arriveMs: null, lostBecause: 'partition' }),
      flight({ type: 'MsgHeartbeat', sentMs: 300, arriveMs: 302 }),
      flight({ sentMs: 600, arriveMs: 603 }),
    ];
    const layout = layoutTimeline({ ...base, flights });
    expect(layout.lines.map((line) => [line.future, line.lost])).toEqual([
      [false, true],
      [true, false],
    ]);
    expect(layoutTimeline({ ...base, flights, showHeartbeats: true }).lines).toHaveLength(3);
  });

  it('bands each leader term until the next role change of that node (§5.2)', () => {
    const roleChanges: RoleChange[] = [
      { eventCount: 5, timeMs: 100, node: 2, role: 'candidate', term: 2 },
      { eventCount: 9, timeMs: 150, node: 2, role: 'leader', term: 2 },
      { eventCount: 90, timeMs: 700, node: 2, role: 'down', term: 2 },
    ];
    const layout = layoutTimeline({ ...base, roleChanges });
    const leader = layout.bands.find((band) => band.role === 'leader')!;
    expect(leader.x).toBeCloseTo(40 + (150 / 1000) * 952);
    expect(leader.x + leader.width).toBeCloseTo(40 + (700 / 1000) * 952);
    expect(layout.bands.find((band) => band.role === 'down')).toMatchObject({ future: true });
  });

  it('keeps at most linesMax lines and counts the rest', () => {
    const flights = Array.from({ length: 50 }, (_, i) =>
      flight({ sentMs: 10 + i, arriveMs: 12 + i }),
    );
    const layout = layoutTimeline({ ...base, flights, linesMax: 20 });
    expect(layout.lines).toHaveLength(20);
    expect(layout.linesOmitted).toBe(30);
  });
});
