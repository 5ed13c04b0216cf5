// The linearizability timeline's geometry: one lane per client, each operation a bar from its
// invocation to its completion (an open one runs to the history's end), the longest linearizable
// prefix as a band, and the first operation that cannot be placed picked out. Pure: the view
// passes the checker's view (model/linearizability-view.ts) and a frame, and draws what returns.
import { scaleLinear } from 'd3';
import type {
  LinearizabilityView,
  OperationStatus,
  TimelineOperation,
} from '../model/linearizability-view';
import type { Completion } from '../../checker/linearizability/history';

export interface LinTimelineFrame {
  widthPx: number;
  /** Room on the left for the lane labels. */
  marginLeftPx: number;
  lanePx: number;
  /** Room at the bottom for the time labels. */
  axisPx: number;
  /** The simulated time drawn, [startMs, endMs]. */
  startMs: number;
  endMs: number;
}

export interface LinTimelineBar {
  id: number;
  x: number;
  y: number;
  width: number;
  height: number;
  completion: Completion;
  status: OperationStatus;
  /** Still open when the history was checked: drawn to the end, dashed. */
  open: boolean;
  /** On another key than the failing one (drawn faded). */
  otherKey: boolean;
  text: string;
  invokeMs: number;
}

export interface LinTimelineLayout {
  heightPx: number;
  lanes: { process: number; label: string; y: number }[];
  bars: LinTimelineBar[];
  /** The longest linearizable prefix of the failing key, up to the first impossible completion. */
  prefix: { x: number; width: number } | null;
  /** The first operation that cannot be placed, when it lies in the frame. */
  firstImpossible: LinTimelineBar | null;
  ticks: { x: number; label: string }[];
  /** Operations outside the frame (not drawn). */
  hiddenCount: number;
}

/** Bars narrower than this are widened so a click can find them. */
export const barWidthMinPx = 3;
/** Time before the first impossible operation a focused frame shows. */
export const focusBeforeMs = 1_500;
export const focusAfterMs = 500;

/** Operations a frame of the whole history shows at most: beyond, it shows the latest ones. */
export const framedOperationsMax = 1_500;

/**
 * The time frame to show: around the first impossible operation, or the whole history (its
 * latest framedOperationsMax operations when longer, so the drawing stays small).
 */
export function timelineWindow(
  view: Pick<LinearizabilityView, 'operations' | 'firstImpossibleId' | 'endMs'>,
  focus: boolean,
): { startMs: number; endMs: number } {
  const operations = view.operations;
  const first = operations[Math.max(0, operations.length - framedOperationsMax)]?.invokeMs ?? 0;
  const end = Math.max(view.endMs, first + 1);
  const impossible = operations.find((op) => op.id === view.firstImpossibleId);
  if (!focus || impossible === undefined) return { startMs: first, endMs: end };
  return {
    startMs: Math.max(first, impossible.invokeMs - focusBeforeMs),
    endMs: Math.min(end, (impossible.completeMs ?? end) + focusAfterMs),
  };
}

function laneLabel(process: number): string {
  return `c${process}`;
}

export function linTimelineLayout(
  view: Pick<
    LinearizabilityView,
    'operations' | 'firstImpossibleId' | 'failingKey' | 'prefixEndMs' | 'endMs'
  >,
  frame: LinTimelineFrame,
): LinTimelineLayout {
  if (!(frame.endMs > frame.startMs)) throw new Error('the timeline needs endMs > startMs');
  const processes = [...new Set(view.operations.map((op) => op.process))].sort((a, b) => a - b);
  const laneOf = new Map(processes.map((process, index) => [process, index]));
  const x = scaleLinear()
    .domain([frame.startMs, frame.endMs])
    .range([frame.marginLeftPx, Math.max(frame.marginLeftPx + 1, frame.widthPx - 4)])
    .clamp(true);
  const barHeight = Math.max(4, frame.lanePx - 4);
  const bars: LinTimelineBar[] = [];
  let hiddenCount = 0;
  for (const op of view.operations) {
    const endMs = op.completeMs ?? view.endMs;
    if (endMs < frame.startMs || op.invokeMs > frame.endMs) {
      hiddenCount++;
      continue;
    }
    bars.push(barOf(op, endMs));
  }
  function barOf(op: TimelineOperation, endMs: number): LinTimelineBar {
    const left = x(op.invokeMs);
    return {
      id: op.id,
      x: left,
      y: laneOf.get(op.process)! * frame.lanePx + (frame.lanePx - barHeight) / 2,
      width: Math.max(barWidthMinPx, x(endMs) - left),
      height: barHeight,
      completion: op.completion,
      status: op.status,
      open: op.completeMs === null,
      otherKey: view.failingKey !== null && op.key !== view.failingKey,
      text: op.text,
      invokeMs: op.invokeMs,
    };
  }
  const lanesPx = processes.length * frame.lanePx;
  const prefix =
    view.prefixEndMs === null || view.prefixEndMs < frame.startMs
      ? null
      : { x: frame.marginLeftPx, width: x(view.prefixEndMs) - frame.marginLeftPx };
  return {
    heightPx: lanesPx + frame.axisPx,
    lanes: processes.map((process, index) => ({
      process,
      label: laneLabel(process),
      y: index * frame.lanePx + frame.lanePx / 2,
    })),
    bars,
    prefix,
    firstImpossible: bars.find((bar) => bar.id === view.firstImpossibleId) ?? null,
    ticks: x.ticks(4).map((ms) => ({ x: x(ms), label: `${ms} ms` })),
    hiddenCount,
  };
}
