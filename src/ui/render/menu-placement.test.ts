import { describe, expect, it } from 'vitest';
import { menuNeedsTwoColumns, placeMenu } from './menu-placement';

const bounds = { width: 340, height: 200 };
const base = { bounds, marginPx: 2, menu: { width: 150, height: 120 } };

describe('menu placement inside the panel', () => {
  it('opens to the right of the anchor when it fits', () => {
    expect(placeMenu({ ...base, anchor: { x: 40, y: 30 }, flipRightEdgeX: 10 })).toEqual({
      x: 40,
      y: 30,
      flipped: false,
      maxHeight: null,
    });
  });

  it('flips to the left of a node near the right edge, and moves up from the bottom', () => {
    const placed = placeMenu({ ...base, anchor: { x: 300, y: 150 }, flipRightEdgeX: 260 });
    expect(placed).toEqual({ x: 110, y: 78, flipped: true, maxHeight: null });
  });

  it('clamps when flipping is not enough, and limits a menu taller than the panel', () => {
    const placed = placeMenu({
      ...base,
      menu: { width: 150, height: 260 },
      anchor: { x: 250, y: 50 },
      flipRightEdgeX: 100,
    });
    expect(placed).toEqual({ x: 2, y: 2, flipped: true, maxHeight: 196 });
  });

  it('stays inside for any anchor (every corner inside the bounds)', () => {
    for (let x = -50; x <= 400; x += 25)
      for (let y = -50; y <= 260; y += 25) {
        const placed = placeMenu({ ...base, anchor: { x, y }, flipRightEdgeX: x - 40 });
        expect(placed.x).toBeGreaterThanOrEqual(2);
        expect(placed.y).toBeGreaterThanOrEqual(2);
        expect(placed.x + 150).toBeLessThanOrEqual(338);
        expect(placed.y + 120).toBeLessThanOrEqual(198);
      }
  });

  it('asks for two columns only when too tall and two useful columns fit across', () => {
    expect(menuNeedsTwoColumns(260, bounds, 2, 6)).toBe(true);
    expect(menuNeedsTwoColumns(120, bounds, 2, 6)).toBe(false);
    expect(menuNeedsTwoColumns(260, { width: 200, height: 200 }, 2, 6)).toBe(false);
  });
});
