// The logs view's geometry: one row per node, entries aligned by index in columns across rows,
// coloured by term, with the commit, applied, snapshot and durable boundaries, and the cells
// that disagree with the reference log (the leader's, else the most up-to-date one) marked.
import { scaleBand } from 'd3';
import type { NodeId } from '../../raft/types';
import type { NodeState } from '../model/node-state';
import { termColor } from './colors';

export interface LogLayoutConfig {
  nodes: readonly NodeState[];
  width: number;
  /** Left margin for the row labels. */
  labelWidth: number;
  rowHeight: number;
  /** Columns shown at most (the newest indexes). */
  columnsMax: number;
}

export interface LogCellShape {
  index: number;
  term: number;
  x: number;
  width: number;
  color: string;
  committed: boolean;
  applied: boolean;
  /** Not yet durable on this node. */
  unstable: boolean;
  confChange: boolean;
  /** The payload decoded (node-state.ts LogCell.text). */
  text: string;
  /** Differs from the reference log at this index. */
  divergent: boolean;
}

export interface LogRowShape {
  id: NodeId;
  y: number;
  cells: LogCellShape[];
  /** x of the boundary just after the index, or null when it lies left of the window. */
  commitX: number | null;
  appliedX: number | null;
  snapshotX: number | null;
  /** Entries at or below this index were compacted into the snapshot. */
  snapshotIndex: number;
  down: boolean;
}

export interface LogLayout {
  rows: LogRowShape[];
  /** The indexes shown, oldest first. */
  columns: number[];
  columnWidth: number;
  referenceId: NodeId | null;
}

/** The log others are compared with: the leader's, else the one with the highest last entry. */
export function referenceLog(nodes: readonly NodeState[]): NodeState | null {
  const leader = nodes.find((node) => node.role === 'leader');
  if (leader !== undefined) return leader;
  let best: NodeState | null = null;
  const lastTerm = (node: NodeState): number => node.log[node.log.length - 1]?.term ?? 0;
  for (const node of nodes) {
    if (
      best === null ||
      lastTerm(node) > lastTerm(best) ||
      (lastTerm(node) === lastTerm(best) && node.lastIndex > best.lastIndex)
    )
      best = node;
  }
  return best;
}

export function layoutLogs(config: LogLayoutConfig): LogLayout {
  const { nodes, width, labelWidth, rowHeight, columnsMax } = config;
  const lastIndex = Math.max(0, ...nodes.map((node) => node.lastIndex));
  const firstIndex = Math.max(1, lastIndex - columnsMax + 1);
  const columns = Array.from({ length: lastIndex - firstIndex + 1 }, (_, i) => firstIndex + i);
  const x = scaleBand<number>()
    .domain(columns)
    .range([labelWidth, labelWidth + Math.min(width - labelWidth, columnsMax * 28)])
    .paddingInner(0.12);
  const reference = referenceLog(nodes);
  const referenceTerms = new Map(reference?.log.map((cell) => [cell.index, cell.term]) ?? []);
  const boundary = (index: number): number | null => {
    if (index < firstIndex - 1 || columns.length === 0) return null;
    if (index === firstIndex - 1) return labelWidth - 1;
    const left = x(Math.min(index, lastIndex))!;
    return left + x.bandwidth() + (x.step() - x.bandwidth()) / 2;
  };
  const rows = nodes.map((node, position) => ({
    id: node.id,
    y: position * rowHeight,
    snapshotIndex: node.snapshotIndex,
    down: node.role === 'down',
    commitX: boundary(node.commit),
    appliedX: boundary(node.applied),
    snapshotX: node.snapshotIndex >= firstIndex ? boundary(node.snapshotIndex) : null,
    cells: node.log
      .filter((cell) => cell.index >= firstIndex)
      .map((cell) => {
        const referenceTerm = referenceTerms.get(cell.index);
        return {
          index: cell.index,
          term: cell.term,
          x: x(cell.index)!,
          width: x.bandwidth(),
          color: termColor(cell.term),
          committed: cell.index <= node.commit,
          applied: cell.index <= node.applied,
          unstable: cell.index > node.stableIndex,
          confChange: cell.confChange,
          text: cell.text,
          divergent:
            node.id !== reference?.id && referenceTerm !== undefined && referenceTerm !== cell.term,
        };
      }),
  }));
  return {
    rows,
    columns,
    columnWidth: x.bandwidth(),
    referenceId: reference?.id ?? null,
  };
}
