// The timeline's geometry: a message sequence (Lamport) diagram over a window of simulated time.
// One lane per node; each message a line from its sender's lane at the sending time to its
// receiver's lane at the arrival time (a lost one stops short with a cross); leader terms as
// bands along the leader's lane; down spans greyed; faults as markers. The canvas view paints
// what this returns; events past the cursor (known from an earlier pass) come back faded.
import { scaleLinear, scalePoint } from 'd3';
import type { NodeId } from '../../raft/types';
import type { FaultMarker, Flight, RoleChange } from '../model/run-trace';
import type { UiRole } from '../model/node-state';
import { lostColor, messageColor, termColor } from './colors';
import { firstSentFrom } from './flight-search';

export interface TimelineConfig {
  nodeIds: readonly NodeId[];
  flights: readonly Flight[];
  /** The longest flight, so the search for the window's first line can start late. */
  flightMsMax: number;
  roleChanges: readonly RoleChange[];
  faults: readonly FaultMarker[];
  width: number;
  height: number;
  /** Left margin for lane labels. */
  labelWidth: number;
  startMs: number;
  endMs: number;
  /** The current position; later things are drawn faded. */
  cursorMs: number;
  /** Where the trace ends (nothing is known beyond it). */
  traceEndMs: number;
  /** Heartbeats are most of the traffic; hiding them keeps the diagram readable. */
  showHeartbeats: boolean;
  /** Upper bound on message lines returned (the earliest in the window win). */
  linesMax: number;
}

export interface TimelineLine {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  color: string;
  lost: boolean;
  future: boolean;
}

export interface TimelineBand {
  node: NodeId;
  x: number;
  width: number;
  y: number;
  height: number;
  color: string;
  role: UiRole;
  term: number;
  future: boolean;
}

export interface TimelineMarker {
  x: number;
  y: number;
  text: string;
  kind: FaultMarker['kind'];
  injected: boolean;
  future: boolean;
}

export interface TimelineLayout {
  lanes: { id: NodeId; y: number }[];
  lines: TimelineLine[];
  bands: TimelineBand[];
  markers: TimelineMarker[];
  cursorX: number;
  ticks: { x: number; label: string }[];
  /** Lines dropped by linesMax. */
  linesOmitted: number;
}

const bandRoles: ReadonlySet<UiRole> = new Set(['leader', 'candidate', 'pre-candidate', 'down']);

function layoutBands(
  config: TimelineConfig,
  x: (ms: number) => number,
  laneY: (id: NodeId) => number,
  bandHeight: number,
): TimelineBand[] {
  const bands: TimelineBand[] = [];
  const changes = config.roleChanges;
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i];
    if (!bandRoles.has(change.role)) continue;
    let endMs = config.traceEndMs;
    for (let j = i + 1; j < changes.length; j++) {
      if (changes[j].node === change.node) {
        endMs = changes[j].timeMs;
        break;
      }
    }
    if (endMs < config.startMs || change.timeMs > config.endMs) continue;
    const left = x(Math.max(change.timeMs, config.startMs));
    const right = x(Math.min(endMs, config.endMs));
    const tall = change.role === 'leader' || change.role === 'down';
    bands.push({
      node: change.node,
      x: left,
      width: Math.max(1, right - left),
      y: laneY(change.node) - (tall ? bandHeight : bandHeight / 2) / 2,
      height: tall ? bandHeight : bandHeight / 2,
      color:
        change.role === 'down'
          ? '#ced4da'
          : change.role === 'leader'
            ? termColor(change.term, 0.8)
            : '#ffd8a8',
      role: change.role,
      term: change.term,
      future: change.timeMs > config.cursorMs,
    });
  }
  return bands;
}

export function layoutTimeline(config: TimelineConfig): TimelineLayout {
  const { nodeIds, width, height, labelWidth, startMs, endMs, cursorMs } = config;
  const x = scaleLinear()
    .domain([startMs, endMs])
    .range([labelWidth, width - 8]);
  const lane = scalePoint<NodeId>()
    .domain(nodeIds)
    .range([14, height - 22])
    .padding(0.5);
  const laneY = (id: NodeId): number => lane(id) ?? 0;
  const bandHeight = Math.max(6, Math.min(18, lane.step() * 0.6));
  const lines: TimelineLine[] = [];
  let linesOmitted = 0;
  const lostShownMs = (endMs - startMs) / 60;
  const first = firstSentFrom(config.flights, startMs - Math.max(config.flightMsMax, lostShownMs));
  for (let i = first; i < config.flights.length; i++) {
    const flight = config.flights[i];
    if (flight.sentMs > endMs) break;
    const arriveMs = flight.arriveMs ?? flight.sentMs + lostShownMs;
    if (arriveMs < startMs) continue;
    if (!config.showHeartbeats && flight.type.startsWith('MsgHeartbeat')) continue;
    if (lines.length >= config.linesMax) {
      linesOmitted++;
      continue;
    }
    const lost = flight.arriveMs === null;
    const y1 = laneY(flight.from);
    const y2 = lost ? y1 + (laneY(flight.to) - y1) * 0.4 : laneY(flight.to);
    lines.push({
      x1: x(flight.sentMs),
      y1,
      x2: x(arriveMs),
      y2,
      color: lost ? lostColor : messageColor(flight.type),
      lost,
      future: flight.sentMs > cursorMs,
    });
  }
  const markers = config.faults
    .filter((fault) => fault.timeMs >= startMs && fault.timeMs <= endMs)
    .map((fault) => ({
      x: x(fault.timeMs),
      y: fault.node === null ? 8 : laneY(fault.node),
      text: fault.text,
      kind: fault.kind,
      injected: fault.injected,
      future: fault.timeMs > cursorMs,
    }));
  return {
    lanes: nodeIds.map((id) => ({ id, y: laneY(id) })),
    lines,
    bands: layoutBands(config, x, laneY, bandHeight),
    markers,
    cursorX: x(cursorMs),
    ticks: x.ticks(Math.max(2, Math.floor((width - labelWidth) / 110))).map((ms) => ({
      x: x(ms),
      label: `${ms} ms`,
    })),
    linesOmitted,
  };
}
