// Where a menu opens beside what was clicked, kept inside its panel: to the right of the anchor
// when it fits, else flipped to its left; moved up or down as far as needed; and when it is
// taller than the panel, pinned to the top with a height limit (it scrolls). Pure: the view
// measures the menu and the panel and applies the result.

export interface MenuPlacementInput {
  /** The preferred top-left corner (beside the thing clicked). */
  anchor: { x: number; y: number };
  /** Flipped, the menu's right edge goes here (the thing's left side). */
  flipRightEdgeX: number;
  menu: { width: number; height: number };
  /** The panel's inner size; the menu is positioned in its coordinates. */
  bounds: { width: number; height: number };
  /** Space kept between the menu and the panel's edges. */
  marginPx: number;
}

export interface MenuPlacement {
  x: number;
  y: number;
  /** Opened to the left of the anchor. */
  flipped: boolean;
  /** Set when the menu is taller than the panel: its height is limited to this. */
  maxHeight: number | null;
}

export function placeMenu(input: MenuPlacementInput): MenuPlacement {
  const { anchor, menu, bounds, marginPx } = input;
  const right = bounds.width - marginPx;
  let x = anchor.x;
  let flipped = false;
  if (x + menu.width > right) {
    x = input.flipRightEdgeX - menu.width;
    flipped = true;
  }
  x = Math.max(marginPx, Math.min(x, right - menu.width));
  const roomHeight = bounds.height - 2 * marginPx;
  if (menu.height > roomHeight)
    return { x, y: marginPx, flipped, maxHeight: Math.max(0, roomHeight) };
  const y = Math.max(marginPx, Math.min(anchor.y, bounds.height - marginPx - menu.height));
  return { x, y, flipped, maxHeight: null };
}

/** A column of a two-column menu is at least this wide. */
export const menuColumnWidthMinPx = 120;

/**
 * Whether a one-column menu of this height reads better in two columns across the panel's
 * width: when it is taller than the panel and two columns of a useful width fit.
 */
export function menuNeedsTwoColumns(
  menuHeight: number,
  bounds: { width: number; height: number },
  marginPx: number,
  gapPx: number,
): boolean {
  return (
    menuHeight > bounds.height - 2 * marginPx &&
    2 * menuColumnWidthMinPx + gapPx <= bounds.width - 2 * marginPx
  );
}
