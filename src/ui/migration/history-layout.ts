// Layout of the client history across the migration: one row per node, one mark per operation
// at its simulated time (ok or failed), the downtime as a band, and the cursor at the frame
// shown. A pure function of the recording and the step; the view draws what it returns.
import type { ClientOp } from './migration-recorder';

export interface HistoryLayoutConfig {
  history: readonly ClientOp[];
  /** Operations that have happened by the frame shown (a prefix of history). */
  shownCount: number;
  nodeIds: readonly string[];
  endMs: number;
  cursorMs: number;
  downtime: { fromMs: number; toMs: number } | null;
  width: number;
  rowHeight: number;
  labelWidth: number;
}

export interface HistoryMark {
  id: number;
  x: number;
  y: number;
  ok: boolean;
  source: ClientOp['source'];
  title: string;
}

export interface HistoryLayout {
  height: number;
  rows: { label: string; y: number }[];
  marks: HistoryMark[];
  cursorX: number;
  band: { x: number; width: number } | null;
  ticks: { x: number; label: string }[];
}

export function layoutHistory(config: HistoryLayoutConfig): HistoryLayout {
  const { nodeIds, rowHeight, labelWidth, width } = config;
  const spanMs = Math.max(1, config.endMs);
  const plotWidth = Math.max(1, width - labelWidth - 8);
  const x = (ms: number) => labelWidth + (Math.min(Math.max(ms, 0), spanMs) / spanMs) * plotWidth;
  const rowOf = new Map(nodeIds.map((id, i) => [id, i]));
  const rows = nodeIds.map((label, i) => ({ label, y: (i + 0.5) * rowHeight }));
  const marks = config.history.slice(0, config.shownCount).map((op) => ({
    id: op.id,
    x: x(op.endMs),
    y: ((rowOf.get(op.node) ?? 0) + 0.5) * rowHeight,
    ok: op.ok,
    source: op.source,
    title: `${op.endMs} ms ${op.source} ${op.op} ${op.key} on ${op.node}: ${op.detail}`,
  }));
  const band = config.downtime === null ? null : { x: x(config.downtime.fromMs), width: Math.max(1, x(config.downtime.toMs) - x(config.downtime.fromMs)) };
  const tickStepMs = spanMs > 4000 ? 1000 : 500;
  const ticks: { x: number; label: string }[] = [];
  for (let ms = 0; ms <= spanMs; ms += tickStepMs) ticks.push({ x: x(ms), label: `${ms} ms` });
  return { height: nodeIds.length * rowHeight + 16, rows, marks, cursorX: x(config.cursorMs), band, ticks };
}
