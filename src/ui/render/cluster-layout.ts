// The cluster view's geometry: nodes on a circle, the links between them (cut ones marked),
// each node's election timer as an arc, and the messages in the air at a moment. Pure: the
// view passes the trace and the moment, and draws what comes back.
import { arc, scaleLinear } from 'd3';
import type { NodeId } from '../../raft/types';
import type { Flight } from '../model/run-trace';
import { lostColor, messageColor } from './colors';
import { firstSentFrom } from './flight-search';

/** Room under each node for its one line of facts. */
const factsHeight = 24;

export interface ClusterLayoutConfig {
  nodeIds: readonly NodeId[];
  width: number;
  height: number;
  /** Directed links the partition cuts. */
  cutLinks: readonly (readonly [NodeId, NodeId])[];
}

export interface NodePlace {
  id: NodeId;
  x: number;
  y: number;
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
}

export function layoutCluster(config: ClusterLayoutConfig): ClusterLayout {
  const { nodeIds, width, height } = config;
  if (nodeIds.length === 0) return { nodes: [], links: [], nodeRadius: 0, factsShown: false };
  const outerRadius = Math.max(0, Math.min(width - 60, height - factsHeight) / 2 - 10);
  // Neighbours on the ring sit 2·r·sin(π/n) apart; nodes take about half of that.
  const spacing =
    nodeIds.length === 1 ? outerRadius : 2 * outerRadius * Math.sin(Math.PI / nodeIds.length);
  const nodeRadius = Math.max(14, Math.min(38, spacing * 0.3, outerRadius / 2.5));
  const ringRadius = Math.max(0, outerRadius - nodeRadius);
  const angle = scaleLinear()
    .domain([0, nodeIds.length])
    .range([-Math.PI / 2, (3 * Math.PI) / 2]);
  const nodes = nodeIds.map((id, position) => ({
    id,
    x: width / 2 + ringRadius * Math.cos(angle(position)),
    // The facts line sits under each node, so the ring is shifted up by half of its height.
    y: height / 2 - factsHeight / 2 + ringRadius * Math.sin(angle(position)),
  }));
  const cut = new Set(config.cutLinks.map(([from, to]) => `${from}>${to}`));
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
  return { nodes, links, nodeRadius, factsShown: spacing >= 110 };
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
  const lookBackMs = Math.max(config.flightMsMax, config.lostShownMs);
  const dots: MessageDot[] = [];
  for (let i = firstSentFrom(flights, atMs - lookBackMs); i < flights.length; i++) {
    const flight = flights[i];
    if (flight.sentEvent > eventCount || flight.sentMs > atMs) break;
    const lost = flight.arriveMs === null;
    const endMs = lost ? flight.sentMs + config.lostShownMs : flight.arriveMs!;
    if (atMs >= endMs) continue;
    const from = places.get(flight.from);
    const to = places.get(flight.to);
    if (from === undefined || to === undefined) continue;
    // A lost message stalls a third of the way; a delivered one moves from rim to rim.
    const progress = lost ? 0.33 : (atMs - flight.sentMs) / Math.max(1, endMs - flight.sentMs);
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
    });
  }
  return dots.slice(-config.dotsMax);
}
