import { describe, expect, it } from 'vitest';
import type { Flight } from '../model/run-trace';
import {
  boxesOverlap,
  factsWidthPx,
  layoutCluster,
  messagesInAir,
  timerArcPath,
  timerRingMarginPx,
} from './cluster-layout';

const flight = (overrides: Partial<Flight>): Flight => ({
  type: 'MsgApp',
  from: 1,
  to: 2,
  term: 1,
  sentEvent: 1,
  sentMs: 0,
  arriveMs: 10,
  lostBecause: null,
  copy: 0,
  flightId: null,
  message: null,
  droppedAt: null,
  ...overrides,
});

describe('layoutCluster', () => {
  it('puts 3 to 9 nodes on a circle inside the box, every pair linked', () => {
    for (let count = 3; count <= 9; count++) {
      const ids = Array.from({ length: count }, (_, i) => i + 1);
      const layout = layoutCluster({ nodeIds: ids, width: 360, height: 320, cutLinks: [] });
      expect(layout.links).toHaveLength((count * (count - 1)) / 2);
      for (const node of layout.nodes) {
        expect(node.x - layout.nodeRadius).toBeGreaterThanOrEqual(0);
        expect(node.x + layout.nodeRadius).toBeLessThanOrEqual(360);
        expect(node.y - layout.nodeRadius).toBeGreaterThanOrEqual(0);
      }
    }
  });

  // The app's cluster panel at 1280x720 is about 340x270; presentation mode and other windows
  // give other sizes. Labels (the facts line) and timer rings must never cover a neighbour.
  const panelSizes = [
    [340, 270],
    [360, 320],
    [300, 200],
    [600, 420],
    [900, 600],
    [260, 200],
  ] as const;

  it('keeps every node (body, timer ring and label) clear of every other, for 3 to 9 nodes', () => {
    for (const [width, height] of panelSizes) {
      for (let count = 3; count <= 9; count++) {
        const ids = Array.from({ length: count }, (_, i) => i + 1);
        const layout = layoutCluster({ nodeIds: ids, width, height, cutLinks: [] });
        const where = `${count} nodes in ${width}x${height}`;
        const ring = layout.nodeRadius + timerRingMarginPx;
        for (const node of layout.nodes) {
          // The box covers the body and its timer ring, and the label when shown.
          expect(node.box.x0, where).toBeLessThanOrEqual(node.x - ring);
          expect(node.box.x1, where).toBeGreaterThanOrEqual(node.x + ring);
          expect(node.box.y0, where).toBeLessThanOrEqual(node.y - ring);
          expect(node.box.y1, where).toBeGreaterThanOrEqual(node.y + ring);
          if (layout.factsShown) {
            expect(node.box.y1, where).toBeGreaterThanOrEqual(node.y + layout.factsOffsetY + 3);
            expect(node.box.x1 - node.box.x0, where).toBeGreaterThanOrEqual(factsWidthPx - 1e-6);
          }
          expect(node.box.x0, where).toBeGreaterThanOrEqual(0);
          expect(node.box.y0, where).toBeGreaterThanOrEqual(0);
          expect(node.box.x1, where).toBeLessThanOrEqual(width);
          expect(node.box.y1, where).toBeLessThanOrEqual(height);
        }
        for (const a of layout.nodes)
          for (const b of layout.nodes)
            if (a.id < b.id)
              expect(boxesOverlap(a.box, b.box), `${where}: ${a.id} and ${b.id}`).toBe(false);
      }
    }
  });

  it('shows the facts line for 5 nodes in the 1280x720 panel, and drops it before overlapping', () => {
    const ids = [1, 2, 3, 4, 5];
    expect(layoutCluster({ nodeIds: ids, width: 340, height: 270, cutLinks: [] }).factsShown).toBe(
      true,
    );
    const nine = layoutCluster({
      nodeIds: [...ids, 6, 7, 8, 9],
      width: 220,
      height: 180,
      cutLinks: [],
    });
    expect(nine.factsShown).toBe(false);
  });

  it('marks each cut direction of a link', () => {
    const layout = layoutCluster({
      nodeIds: [1, 2, 3],
      width: 300,
      height: 300,
      cutLinks: [
        [1, 2],
        [3, 1],
        [1, 3],
      ],
    });
    const link = (a: number, b: number) =>
      layout.links.find((item) => item.a === a && item.b === b)!;
    expect(link(1, 2)).toMatchObject({ cutAtoB: true, cutBtoA: false });
    expect(link(1, 3)).toMatchObject({ cutAtoB: true, cutBtoA: true });
    expect(link(2, 3)).toMatchObject({ cutAtoB: false, cutBtoA: false });
  });
});

describe('timerArcPath', () => {
  it('draws nothing without a timeout and a full ring once the timer has run out', () => {
    expect(timerArcPath({ elapsed: 3, timeout: 0, innerRadius: 10, outerRadius: 12 })).toBe('');
    const half = timerArcPath({ elapsed: 5, timeout: 10, innerRadius: 10, outerRadius: 12 });
    const full = timerArcPath({ elapsed: 15, timeout: 10, innerRadius: 10, outerRadius: 12 });
    expect(half).not.toBe(full);
    expect(full).toBe(timerArcPath({ elapsed: 10, timeout: 10, innerRadius: 10, outerRadius: 12 }));
  });
});

describe('messagesInAir', () => {
  const places = new Map([
    [1, { x: 0, y: 0 }],
    [2, { x: 100, y: 0 }],
  ]);
  const base = {
    eventCount: 10,
    flightMsMax: 10,
    lostShownMs: 4,
    places,
    nodeRadius: 0,
    dotsMax: 100,
  };

  it('moves a message from sender to receiver over its flight', () => {
    const flights = [flight({})];
    expect(messagesInAir({ ...base, flights, atMs: 5 })[0]).toMatchObject({
      x: 50,
      y: 0,
      lost: false,
    });
    expect(messagesInAir({ ...base, flights, atMs: 10 })).toEqual([]);
  });

  it('shows only messages whose sending event has happened', () => {
    expect(messagesInAir({ ...base, flights: [flight({ sentEvent: 11 })], atMs: 5 })).toEqual([]);
  });

  it('stalls a lost message part way for a while, then drops it', () => {
    const flights = [flight({ arriveMs: null, lostBecause: 'loss' })];
    expect(messagesInAir({ ...base, flights, atMs: 2 })[0]).toMatchObject({ lost: true, x: 33 });
    expect(messagesInAir({ ...base, flights, atMs: 4 })).toEqual([]);
  });

  it('marks duplicates and keeps the newest dots under the limit', () => {
    const flights = [
      flight({ copy: 0 }),
      flight({ copy: 1, arriveMs: 12 }),
      flight({ sentMs: 1, arriveMs: 9 }),
    ];
    const dots = messagesInAir({ ...base, flights, atMs: 5, dotsMax: 2 });
    expect(dots).toHaveLength(2);
    expect(dots[0].duplicate).toBe(true);
  });
});
