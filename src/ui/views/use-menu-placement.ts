// Places a menu inside its panel (render/menu-placement.ts) from its measured size: measured
// before the browser paints, so it never shows outside first. A menu taller than the panel
// switches to two columns across the panel's width when they fit, and scrolls if still too tall.
import { useLayoutEffect, useRef, useState, type CSSProperties, type RefObject } from 'react';
import { menuNeedsTwoColumns, placeMenu } from '../render/menu-placement';

export interface MenuAnchor {
  /** Preferred top-left corner, in the panel's coordinates. */
  x: number;
  y: number;
  /** Where the menu's right edge goes when it opens to the left instead. */
  flipRightEdgeX: number;
  /** The panel's inner size. */
  bounds: { width: number; height: number };
}

const marginPx = 2;
const columnGapPx = 6;

interface Measured {
  columns: 1 | 2;
  width: number;
  height: number;
}

export function useMenuPlacement(anchor: MenuAnchor): {
  ref: RefObject<HTMLDivElement | null>;
  style: CSSProperties;
  className: string;
} {
  const ref = useRef<HTMLDivElement>(null);
  const [measured, setMeasured] = useState<Measured | null>(null);
  const { width: boundsWidth, height: boundsHeight } = anchor.bounds;
  useLayoutEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const size = { width: element.offsetWidth, height: element.scrollHeight };
    const bounds = { width: boundsWidth, height: boundsHeight };
    const columns: 1 | 2 =
      measured?.columns === 2 || menuNeedsTwoColumns(size.height, bounds, marginPx, columnGapPx)
        ? 2
        : 1;
    if (
      measured === null ||
      measured.columns !== columns ||
      measured.width !== size.width ||
      measured.height !== size.height
    )
      setMeasured({ columns, ...size });
  });
  if (measured === null)
    return {
      ref,
      style: { left: anchor.x, top: anchor.y, visibility: 'hidden' },
      className: '',
    };
  const placed = placeMenu({
    anchor,
    flipRightEdgeX: anchor.flipRightEdgeX,
    menu: measured,
    bounds: anchor.bounds,
    marginPx,
  });
  return {
    ref,
    style: {
      left: placed.x,
      top: placed.y,
      // Two columns span the panel, so each is as wide as it can be.
      ...(measured.columns === 2
        ? { width: boundsWidth - 2 * marginPx, boxSizing: 'border-box' }
        : {}),
      ...(placed.maxHeight === null ? {} : { maxHeight: placed.maxHeight, overflowY: 'auto' }),
    },
    className: measured.columns === 2 ? 'two-columns' : '',
  };
}
