// The client history across the downtime: writes failing while the nodes are stopped, and
// succeeding after the restart. Layout from history-layout.ts; this only draws it.
import { layoutHistory } from './history-layout';
import type { MigrationFrame } from './migration-recorder';
import type { MigrationRecording } from './migration-scenarios';

const width = 560;

export function ClientHistory({ recording, frame }: { recording: MigrationRecording; frame: MigrationFrame }) {
  const from = recording.drainedAtMs;
  const downtime = from === null ? null : { fromMs: from, toMs: recording.downtimeMs === null ? recording.endMs : from + recording.downtimeMs };
  const layout = layoutHistory({
    history: recording.history,
    shownCount: frame.historyLength,
    nodeIds: frame.nodes.map((node) => node.id),
    endMs: recording.endMs,
    cursorMs: frame.timeMs,
    downtime,
    width,
    rowHeight: 22,
    labelWidth: 28,
  });
  const shown = recording.history.slice(0, frame.historyLength);
  const okCount = shown.filter((op) => op.ok).length;
  return (
    <section className="panel migration-history" data-testid="client-history" data-ops={shown.length} data-failed={shown.length - okCount}>
      <h2>Client history</h2>
      <svg className="history-svg" viewBox={`0 0 ${width} ${layout.height}`} role="img" aria-label="client operations over simulated time">
        {layout.band !== null && <rect className="downtime-band" x={layout.band.x} y={0} width={layout.band.width} height={layout.height - 16} />}
        {layout.rows.map((row) => (
          <text key={row.label} x={2} y={row.y + 4} className="history-label">
            {row.label}
          </text>
        ))}
        {layout.marks.map((mark) => (
          <circle key={mark.id} cx={mark.x} cy={mark.y} r={mark.source === 'validate' ? 6 : 4} className={mark.ok ? 'op-ok' : 'op-fail'}>
            <title>{mark.title}</title>
          </circle>
        ))}
        {layout.ticks.map((tick) => (
          <text key={tick.label} x={tick.x} y={layout.height - 3} className="history-tick">
            {tick.label}
          </text>
        ))}
        <line className="history-cursor" x1={layout.cursorX} x2={layout.cursorX} y1={0} y2={layout.height - 16} />
      </svg>
      <ol className="history-list">
        {shown.slice(-6).map((op) => (
          <li key={op.id} className={op.ok ? 'op-ok' : 'op-fail'}>
            {op.endMs} ms · {op.source === 'validate' ? 'validate' : 'client'} {op.op} {op.key} on {op.node}: {op.detail}
          </li>
        ))}
      </ol>
    </section>
  );
}
