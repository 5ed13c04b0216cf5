// Layout of one engine's pane history: for each node a strip of cells, one per recorded frame up
// to the frame shown, coloured by role, with a mark where a new leader took over. A pure
// function of the frames; the view draws what it returns.
import type { FaultStep, LeaderChange, SideBySideFrame } from './side-by-side';

export type ConfigurationState = 'stable' | 'joint' | 'uncommitted';

export interface RoleStripConfig {
  frames: readonly SideBySideFrame[];
  pane: number;
  /** The last frame to draw. */
  upTo: number;
  /** Frames the strip spans (its full width), at least upTo + 1. */
  span: number;
  leaderChanges: readonly LeaderChange[];
  /** The nemesis steps, drawn as a row of marks under the nodes (none: no row). */
  faults?: readonly FaultStep[];
  /**
   * Membership scenarios: each configuration the leader held, from its time to the next one's,
   * drawn as a row of spans under the faults (none: no row). Joint and not-yet-committed ones
   * are coloured, so a change that lasts less than a frame still shows.
   */
  configurations?: readonly { atMs: number; text: string; state: ConfigurationState }[];
  frameMs: number;
  width: number;
  rowHeight: number;
  labelWidth: number;
}

export interface RoleCell {
  key: string;
  x: number;
  y: number;
  width: number;
  role: string;
}

export interface RoleStripLayout {
  height: number;
  rows: { label: string; y: number }[];
  cells: RoleCell[];
  leaderMarks: { key: string; x: number; y: number; title: string }[];
  /** The fault row's y, or null without one. */
  faultRowY: number | null;
  faultMarks: { key: string; x: number; title: string; kind: string }[];
  /** The configuration row's y, or null without one. */
  configurationRowY: number | null;
  configurationSpans: { key: string; x: number; width: number; title: string; state: ConfigurationState }[];
}

export function layoutRoleStrip(config: RoleStripConfig): RoleStripLayout {
  const { frames, pane, rowHeight, labelWidth } = config;
  const span = Math.max(1, config.span, config.upTo + 1);
  const cellWidth = (config.width - labelWidth) / span;
  const nodeIds = frames[0]?.panes[pane].nodes.map((node) => node.id) ?? [];
  const rows = nodeIds.map((id, i) => ({ label: `${id}`, y: i * rowHeight }));
  const cells: RoleCell[] = [];
  const last = Math.min(config.upTo, frames.length - 1);
  nodeIds.forEach((id, row) => {
    // Neighbouring frames of one role merge into one rectangle.
    let run: RoleCell | null = null;
    for (let index = 0; index <= last; index++) {
      const role = frames[index].panes[pane].nodes[row].role;
      if (run !== null && run.role === role) {
        run.width += cellWidth;
        continue;
      }
      run = { key: `${id}-${index}`, x: labelWidth + index * cellWidth, y: row * rowHeight, width: cellWidth, role };
      cells.push(run);
    }
  });
  const shownMs = config.upTo * config.frameMs;
  const leaderMarks = config.leaderChanges
    .filter((change) => change.timeMs <= shownMs)
    .map((change, i) => ({
      key: `${i}`,
      x: labelWidth + (change.timeMs / config.frameMs) * cellWidth,
      y: Math.max(0, nodeIds.indexOf(change.node)) * rowHeight,
      title: `${change.timeMs} ms: node ${change.node} leads term ${change.term}`,
    }));
  const faults = config.faults ?? [];
  const faultMarks = faults
    .filter((fault) => fault.atMs <= shownMs)
    .map((fault, i) => ({ key: `${i}`, x: labelWidth + (fault.atMs / config.frameMs) * cellWidth, title: `${fault.atMs} ms: ${fault.text}`, kind: fault.text.split(' ')[0] }));
  const faultRowY = config.faults === undefined ? null : nodeIds.length * rowHeight;
  const rowsBelow = nodeIds.length + (faultRowY === null ? 0 : 1);
  const configurationRowY = config.configurations === undefined ? null : rowsBelow * rowHeight;
  const xAt = (timeMs: number) => labelWidth + (timeMs / config.frameMs) * cellWidth;
  const shown = (config.configurations ?? []).filter((configuration) => configuration.atMs <= shownMs);
  const configurationSpans = shown.map((configuration, i) => {
    const endMs = i + 1 < shown.length ? shown[i + 1].atMs : shownMs;
    const until = i + 1 < shown.length ? `${endMs} ms` : 'now';
    return {
      key: `${i}`,
      x: xAt(configuration.atMs),
      width: Math.max(1, xAt(endMs) - xAt(configuration.atMs)),
      title: `${configuration.atMs} ms to ${until}: ${configuration.text}`,
      state: configuration.state,
    };
  });
  const height = (rowsBelow + (configurationRowY === null ? 0 : 1)) * rowHeight;
  return { height, rows, cells, leaderMarks, faultRowY, faultMarks, configurationRowY, configurationSpans };
}
