// The cluster view's geometry: nodes on a circle, the links between them (cut ones marked),
// each node's election timer as an arc, and the messages in the air at a moment. Pure: the
// view passes the trace and the moment, and draws what comes back.
import { arc, scaleLinear } from 'd3';
import type { NodeId } from '../../raft/types';
import type { Flight } from '../model/run-trace';
import { lostColor, messageColor } from './colors';
import { firstSentFrom } from './flight-search';

/** The election timer ring sits this far outside a node's body. */
export const timerRingMarginPx = 8;
/** The facts line under a node: its height, and the width of its longest text (11px digits). */
export const factsHeightPx = 16;
export const factsWidthPx = 104;
/** Clear space kept between any two nodes' boxes and around the edges. */
const gapPx = 4;
const nodeRadiusMaxPx = 34;
const nodeRadiusMinPx = 12;

export interface ClusterLayoutConfig {
  nodeIds: readonly NodeId[];
  width: number;
  height: number;
  /** Directed links the partition cuts. */
  cutLinks: readonly (readonly [NodeId, NodeId])[];
}

/** An axis-aligned box: what a node (body, timer ring, facts line) covers on screen. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface NodePlace {
  id: NodeId;
  x: number;
  y: number;
  /** Everything drawn for this node: body, timer ring and (when shown) the facts line. */
  box: Box;
}

export interface LinkShape {
  a: NodeId;
  b: NodeId;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** Which directions the partition cuts. */
  cutAtoB: boolean;
  cutBtoA: boolean;
}

export interface ClusterLayout {
  nodes: NodePlace[];
  links: LinkShape[];
  nodeRadius: number;
  /** Whether each node's facts line fits under it without running into its neighbours. */
  factsShown: boolean;
  /** The facts line's baseline below a node's centre. */
  factsOffsetY: number;
}

export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** A node's box relative to its centre, for a body radius and with or without facts. */
function nodeExtent(nodeRadius: number, factsShown: boolean): Box {
  const ring = nodeRadius + timerRingMarginPx;
  const halfWidth = factsShown ? Math.max(ring, factsWidthPx / 2) : ring;
  return { x0: -halfWidth, y0: -ring, x1: halfWidth, y1: factsShown ? ring + factsHeightPx : ring };
}

/** Angles on the circle, the first node at the top, clockwise. */
function angles(count: number): number[] {
  const angle = scaleLinear()
    .domain([0, count])
    .range([-Math.PI / 2, (3 * Math.PI) / 2]);
  return Array.from({ length: count }, (_, position) => angle(position));
}

/**
 * Places n boxes of `extent` around an ellipse as large as the panel allows (its two radii
 * chosen separately, so a wide panel spreads the nodes sideways): every box lies inside the
 * panel. Null when the boxes then overlap.
 */
function placeOnEllipse(config: { count: number; width: number; height: number; extent: Box }) {
  const { count, width, height, extent } = config;
  const centerX = width / 2 - (extent.x1 + extent.x0) / 2;
  const centerY = height / 2 - (extent.y1 + extent.y0) / 2;
  const around = angles(count);
  // The largest radii that keep every box inside the panel (with a margin).
  let radiusX = Infinity;
  let radiusY = Infinity;
  for (const theta of around) {
    const [cos, sin] = [Math.cos(theta), Math.sin(theta)];
    if (cos > 1e-9) radiusX = Math.min(radiusX, (width - gapPx - centerX - extent.x1) / cos);
    if (cos < -1e-9) radiusX = Math.min(radiusX, (gapPx - centerX - extent.x0) / cos);
    if (sin > 1e-9) radiusY = Math.min(radiusY, (height - gapPx - centerY - extent.y1) / sin);
    if (sin < -1e-9) radiusY = Math.min(radiusY, (gapPx - centerY - extent.y0) / sin);
  }
  if (count === 1) [radiusX, radiusY] = [0, 0];
  // A circle looks best: an ellipse only as flat as the panel makes it.
  radiusX = Math.min(radiusX, radiusY * 1.6);
  if (!(radiusX >= 0 && radiusY >= 0)) return null;
  const centers = around.map((theta) => ({
    x: centerX + radiusX * Math.cos(theta),
    y: centerY + radiusY * Math.sin(theta),
  }));
  const boxes = centers.map(({ x, y }) => ({
    x0: x + extent.x0 - gapPx / 2,
    y0: y + extent.y0 - gapPx / 2,
    x1: x + extent.x1 + gapPx / 2,
    y1: y + extent.y1 + gapPx / 2,
  }));
  for (let i = 0; i < count; i++)
    for (let j = i + 1; j < count; j++) if (boxesOverlap(boxes[i], boxes[j])) return null;
  const inside = boxes.every(
    (box) => box.x0 >= 0 && box.y0 >= 0 && box.x1 <= width && box.y1 <= height,
  );
  return inside ? centers : null;
}

/**
 * Nodes on a circle (an ellipse in a wide panel) sized from the panel: the largest body radius (with the facts line under
 * each node if it fits, else without) whose boxes neither leave the panel nor overlap.
 */
export function layoutCluster(config: ClusterLayoutConfig): ClusterLayout {
  const { nodeIds, width, height } = config;
  const empty = { nodes: [], links: [], nodeRadius: 0, factsShown: false, factsOffsetY: 0 };
  if (nodeIds.length === 0) return empty;
  let chosen: { nodeRadius: number; factsShown: boolean; centers: { x: number; y: number }[] } = {
    nodeRadius: nodeRadiusMinPx,
    factsShown: false,
    centers: [],
  };
  search: for (const factsShown of [true, false]) {
    for (let nodeRadius = nodeRadiusMaxPx; nodeRadius >= nodeRadiusMinPx; nodeRadius--) {
      const extent = nodeExtent(nodeRadius, factsShown);
      const centers = placeOnEllipse({ count: nodeIds.length, width, height, extent });
      // With facts the body should stay readable; below this, drop the facts first.
      if (centers !== null && (!factsShown || nodeRadius >= 20)) {
        chosen = { nodeRadius, factsShown, centers };
        break search;
      }
    }
  }
  if (chosen.centers.length === 0) {
    // A panel too small for anything: a plain circle of the smallest nodes (they may overlap).
    const ring = Math.max(0, Math.min(width, height) / 2 - nodeRadiusMinPx - timerRingMarginPx);
    chosen.centers = angles(nodeIds.length).map((theta) => ({
      x: width / 2 + ring * Math.cos(theta),
      y: height / 2 + ring * Math.sin(theta),
    }));
  }
  const { nodeRadius, factsShown } = chosen;
  const extent = nodeExtent(nodeRadius, factsShown);
  const nodes = nodeIds.map((id, position) => {
    const { x, y } = chosen.centers[position];
    const box = { x0: x + extent.x0, y0: y + extent.y0, x1: x + extent.x1, y1: y + extent.y1 };
    return { id, x, y, box };
  });
  const factsOffsetY = nodeRadius + timerRingMarginPx + factsHeightPx - 4;
  return {
    nodes,
    links: linksBetween(nodes, config.cutLinks),
    nodeRadius,
    factsShown,
    factsOffsetY,
  };
}

function linksBetween(
  nodes: readonly NodePlace[],
  cutLinks: readonly (readonly [NodeId, NodeId])[],
): LinkShape[] {
  const cut = new Set(cutLinks.map(([from, to]) => `${from}>${to}`));
  const links: LinkShape[] = [];
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const [a, b] = [nodes[i], nodes[j]];
      links.push({
        a: a.id,
        b: b.id,
        x1: a.x,
        y1: a.y,
        x2: b.x,
        y2: b.y,
        cutAtoB: cut.has(`${a.id}>${b.id}`),
        cutBtoA: cut.has(`${b.id}>${a.id}`),
      });
    }
  }
  return links;
}

/** The election timer as an SVG path: a ring filling clockwise as the timer runs down. */
export function timerArcPath(config: {
  elapsed: number;
  timeout: number;
  innerRadius: number;
  outerRadius: number;
}): string {
  const { elapsed, timeout, innerRadius, outerRadius } = config;
  if (timeout <= 0) return '';
  const fraction = Math.max(0, Math.min(1, elapsed / timeout));
  return arc()({ innerRadius, outerRadius, startAngle: 0, endAngle: fraction * 2 * Math.PI }) ?? '';
}

export interface MessageDot {
  key: string;
  x: number;
  y: number;
  color: string;
  type: string;
  lost: boolean;
  duplicate: boolean;
  /** The simulation's in-flight id, for dropping or duplicating it by hand; null when lost. */
  flightId: number | null;
}

export interface FlightsConfig {
  flights: readonly Flight[];
  /** Only flights sent by events up to here exist yet. */
  eventCount: number;
  /** The moment drawn, in simulated ms (may fall between events while playing). */
  atMs: number;
  /** The longest flight, so the search can stop looking back. */
  flightMsMax: number;
  /** How long a lost message stays visible, stalled part way. */
  lostShownMs: number;
  places: ReadonlyMap<NodeId, { x: number; y: number }>;
  /** Dots are drawn from and to the nodes' rims, not their centres. */
  nodeRadius: number;
  /** Upper bound on dots returned (the newest win). */
  dotsMax: number;
}

export function messagesInAir(config: FlightsConfig): MessageDot[] {
  const { flights, eventCount, atMs, places, nodeRadius } = config;
  const lookBackMs = config.flightMsMax + config.lostShownMs;
  const dots: MessageDot[] = [];
  for (let i = firstSentFrom(flights, atMs - lookBackMs); i < flights.length; i++) {
    const flight = flights[i];
    if (flight.sentEvent > eventCount || flight.sentMs > atMs) break;
    // A message dropped by hand counts as lost from the moment it was dropped.
    const dropped = flight.droppedAt !== null && flight.droppedAt.eventCount <= eventCount;
    const lost = flight.arriveMs === null || dropped;
    const lostAtMs = dropped ? flight.droppedAt!.timeMs : flight.sentMs;
    const endMs = lost ? lostAtMs + config.lostShownMs : flight.arriveMs!;
    if (atMs >= endMs) continue;
    const from = places.get(flight.from);
    const to = places.get(flight.to);
    if (from === undefined || to === undefined) continue;
    // A lost message stalls a third of the way (a dropped one where it was dropped); a
    // delivered one moves from rim to rim.
    const flightMs = Math.max(1, (flight.arriveMs ?? 0) - flight.sentMs);
    const progress = !lost
      ? (atMs - flight.sentMs) / flightMs
      : dropped && flight.arriveMs !== null
        ? (lostAtMs - flight.sentMs) / flightMs
        : 0.33;
    const length = Math.hypot(to.x - from.x, to.y - from.y) || 1;
    const start = nodeRadius / length;
    const along = start + (1 - 2 * start) * Math.max(0, Math.min(1, progress));
    dots.push({
      key: `${flight.sentEvent}:${i}`,
      x: from.x + (to.x - from.x) * along,
      y: from.y + (to.y - from.y) * along,
      color: lost ? lostColor : messageColor(flight.type),
      type: flight.type,
      lost,
      duplicate: flight.copy > 0,
      flightId: lost ? null : flight.flightId,
    });
  }
  return dots.slice(-config.dotsMax);
}
