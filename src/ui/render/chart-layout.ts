// The charts' geometry: values per node over simulated time (term, commit index) as step lines,
// and client operation latency as dots at each operation's completion. Pure: the view passes the
// trace's changes and the history up to the cursor and draws what comes back. Long runs are
// thinned to one point per pixel column per series, so a path never grows past the chart's width.
import { curveStepAfter, line, scaleLinear } from 'd3';
import type { NodeId } from '../../raft/types';
import type { HistoryEvent } from '../../sim/workload/history';

export interface TimedValue {
  timeMs: number;
  value: number;
}

export interface Series {
  key: string;
  color: string;
  points: TimedValue[];
}

export interface ChartFrame {
  width: number;
  height: number;
  /** Room on the left for the value labels, at the bottom for the time labels. */
  marginLeft: number;
  marginBottom: number;
  startMs: number;
  endMs: number;
  /** The position drawn as a vertical line. */
  cursorMs: number;
}

export interface Tick {
  position: number;
  label: string;
}

export interface ChartAxes {
  xTicks: Tick[];
  yTicks: Tick[];
  cursorX: number;
}

export interface StepChartLayout extends ChartAxes {
  paths: { key: string; color: string; d: string }[];
}

/** Per-node step series from changes (sorted by time), each starting at `initial` at time 0. */
export function seriesOfChanges<T extends { timeMs: number; node: NodeId }>(config: {
  changes: readonly T[];
  nodeIds: readonly NodeId[];
  valueOf: (change: T) => number;
  initial: number;
  colorOf: (node: NodeId) => string;
  /** Changes after this moment are left out (the chart shows the run up to the cursor). */
  untilMs: number;
}): Series[] {
  const byNode = new Map<NodeId, TimedValue[]>(
    config.nodeIds.map((id) => [id, [{ timeMs: 0, value: config.initial }]]),
  );
  for (const change of config.changes) {
    if (change.timeMs > config.untilMs) break;
    byNode.get(change.node)?.push({ timeMs: change.timeMs, value: config.valueOf(change) });
  }
  return config.nodeIds.map((id) => ({
    key: `n${id}`,
    color: config.colorOf(id),
    points: byNode.get(id)!,
  }));
}

/** Keeps the last point in each pixel column (and the first point overall). */
export function thinToColumns(
  points: readonly TimedValue[],
  x: (ms: number) => number,
): TimedValue[] {
  const kept: TimedValue[] = [];
  let lastColumn = Number.NEGATIVE_INFINITY;
  for (const point of points) {
    const column = Math.floor(x(point.timeMs));
    if (column === lastColumn && kept.length > 1) kept[kept.length - 1] = point;
    else kept.push(point);
    lastColumn = column;
  }
  return kept;
}

function axes(frame: ChartFrame, y: ReturnType<typeof scaleLinear<number, number>>): ChartAxes {
  const x = scaleLinear()
    .domain([frame.startMs, Math.max(frame.endMs, frame.startMs + 1)])
    .range([frame.marginLeft, frame.width - 6]);
  const xTickCount = Math.max(2, Math.floor((frame.width - frame.marginLeft) / 90));
  return {
    xTicks: x.ticks(xTickCount).map((ms) => ({ position: x(ms), label: `${ms} ms` })),
    yTicks: y
      .ticks(Math.max(2, Math.floor(frame.height / 30)))
      .filter((value) => Number.isInteger(value))
      .map((value) => ({ position: y(value), label: String(value) })),
    cursorX: x(Math.max(frame.startMs, Math.min(frame.cursorMs, frame.endMs))),
  };
}

function timeScale(frame: ChartFrame) {
  return scaleLinear()
    .domain([frame.startMs, Math.max(frame.endMs, frame.startMs + 1)])
    .range([frame.marginLeft, frame.width - 6]);
}

/** Step lines: each series holds its value until its next point, and to the cursor after the last. */
export function layoutStepChart(
  frame: ChartFrame & { series: readonly Series[] },
): StepChartLayout {
  const x = timeScale(frame);
  let high = 1;
  let low = Number.POSITIVE_INFINITY;
  for (const series of frame.series)
    for (const point of series.points) {
      high = Math.max(high, point.value);
      low = Math.min(low, point.value);
    }
  if (!Number.isFinite(low)) low = 0;
  const y = scaleLinear()
    .domain([Math.min(low, high - 1), high])
    .nice()
    .range([frame.height - frame.marginBottom, 6]);
  const path = line<TimedValue>()
    .x((point) => x(point.timeMs))
    .y((point) => y(point.value))
    .curve(curveStepAfter);
  const paths = frame.series.map((series) => {
    const thinned = thinToColumns(series.points, x);
    const last = thinned[thinned.length - 1];
    if (last !== undefined && last.timeMs < frame.cursorMs)
      thinned.push({ timeMs: Math.min(frame.cursorMs, frame.endMs), value: last.value });
    return { key: series.key, color: series.color, d: path(thinned) ?? '' };
  });
  return { paths, ...axes(frame, y) };
}

export type OperationOutcome = 'ok' | 'fail' | 'info';

export interface OperationLatency {
  process: number;
  f: HistoryEvent['f'];
  invokeMs: number;
  completeMs: number;
  latencyMs: number;
  outcome: OperationOutcome;
}

/** Pairs each completion with its process's invocation; operations still open are left out. */
export function operationLatencies(history: readonly HistoryEvent[]): OperationLatency[] {
  const open = new Map<number, HistoryEvent>();
  const latencies: OperationLatency[] = [];
  for (const event of history) {
    if (event.type === 'invoke') {
      open.set(event.process, event);
      continue;
    }
    const invoke = open.get(event.process);
    if (invoke === undefined) continue;
    open.delete(event.process);
    latencies.push({
      process: event.process,
      f: invoke.f,
      invokeMs: invoke.timeMs,
      completeMs: event.timeMs,
      latencyMs: event.timeMs - invoke.timeMs,
      outcome: event.type,
    });
  }
  return latencies;
}

export const outcomeColors: Record<OperationOutcome, string> = {
  ok: '#2b8a3e',
  fail: '#e03131',
  info: '#f59f00',
};

export interface LatencyChartLayout extends ChartAxes {
  dots: { x: number; y: number; color: string; outcome: OperationOutcome }[];
  /** Operations left out by dotsMax (the newest are kept). */
  dotsOmitted: number;
}

/** Latency dots at each completion time; the value axis starts at 0 ms. */
export function layoutLatencyChart(
  frame: ChartFrame & { operations: readonly OperationLatency[]; dotsMax: number },
): LatencyChartLayout {
  const x = timeScale(frame);
  const shown = frame.operations.filter(
    (operation) => operation.completeMs >= frame.startMs && operation.completeMs <= frame.endMs,
  );
  const kept = shown.slice(-frame.dotsMax);
  const high = Math.max(1, ...kept.map((operation) => operation.latencyMs));
  const y = scaleLinear()
    .domain([0, high])
    .nice()
    .range([frame.height - frame.marginBottom, 6]);
  return {
    dots: kept.map((operation) => ({
      x: x(operation.completeMs),
      y: y(operation.latencyMs),
      color: outcomeColors[operation.outcome],
      outcome: operation.outcome,
    })),
    dotsOmitted: shown.length - kept.length,
    ...axes(frame, y),
  };
}
