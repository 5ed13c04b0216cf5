// The logs: one row per node, entries aligned by index and coloured by term. Solid cells are
// committed on that node, pale ones not yet; the dark line is the commit index, the dashed one
// the applied index, the purple one the snapshot; red outlines mark entries that disagree with
// the reference log; dashed outlines the unstable (not yet durable) tail; ◆ a conf change.
// Hovering an entry reads its payload, decoded (`put k1=v3 (r12)`, model/kv-payload-text.ts).
import { useState } from 'react';
import { layoutLogs } from '../render/log-layout';
import { useThrottledAppStore } from './use-app-store';
import { useElementSize } from './use-element-size';

const labelWidth = 92;
const columnsMax = 40;

export function LogsView() {
  const [box, size] = useElementSize<HTMLDivElement>();
  const nodes = useThrottledAppStore((state) => state.nodes);
  const rowHeight = Math.max(22, Math.min(34, (size.height - 24) / Math.max(1, nodes.length)));
  const layout = layoutLogs({ nodes, width: size.width, labelWidth, rowHeight, columnsMax });
  const cellHeight = rowHeight - 8;
  // The entry under the pointer, decoded (`n2 [7] t2: put k1=3-4 (r12)`).
  const [hovered, setHovered] = useState<string | null>(null);
  return (
    <section className="panel logs-panel" aria-label="Logs">
      <h2>
        Logs{' '}
        <span className="hint">by index · colour = term · pale = not committed on that node</span>
      </h2>
      <div className="logs-box" ref={box}>
        {nodes.every((node) => node.log.length === 0) && (
          <p className="hint empty-logs">
            No entries yet: each log starts after the configuration snapshot at index 1. A leader
            appends an empty entry of its term as soon as it is elected.
          </p>
        )}
        <svg width={size.width} height={nodes.length * rowHeight + 20} data-testid="logs">
          <g transform="translate(0,16)">
            {layout.columns
              .filter((index) => index % 5 === 0)
              .map((index) => {
                const cell = layout.rows
                  .flatMap((row) => row.cells)
                  .find((item) => item.index === index);
                return cell === undefined ? null : (
                  <text
                    key={index}
                    className="column-label"
                    x={cell.x + cell.width / 2}
                    y={-4}
                    textAnchor="middle"
                  >
                    {index}
                  </text>
                );
              })}
            {layout.rows.map((row, position) => (
              <g
                key={row.id}
                transform={`translate(0,${row.y})`}
                data-testid="log-row"
                data-node-id={row.id}
                className={row.down ? 'log-row down' : 'log-row'}
              >
                <text className="row-label" x={4} y={cellHeight / 2 + 4}>
                  {`n${row.id} ${nodes[position].role === 'leader' ? '★' : ''}`}
                  <tspan className="row-sub">{` ${nodes[position].role === 'down' ? 'down' : ''}`}</tspan>
                </text>
                {row.cells.map((cell) => (
                  <g
                    key={cell.index}
                    transform={`translate(${cell.x},0)`}
                    data-testid="log-cell"
                    data-index={cell.index}
                    data-text={cell.text}
                    onMouseEnter={() =>
                      setHovered(`n${row.id} [${cell.index}] t${cell.term}: ${cell.text}`)
                    }
                  >
                    <rect
                      className={[
                        'log-cell',
                        cell.committed ? 'committed' : 'uncommitted',
                        cell.unstable ? 'unstable' : '',
                        cell.divergent ? 'divergent' : '',
                      ].join(' ')}
                      width={cell.width}
                      height={cellHeight}
                      rx={2}
                      style={{ fill: cell.color }}
                    >
                      <title>{`index ${cell.index}, term ${cell.term}: ${cell.text}${cell.confChange ? ', conf change' : ''}${cell.committed ? '' : ', not committed here'}${cell.divergent ? ', differs from the reference log' : ''}`}</title>
                    </rect>
                    {cell.width >= 14 && (
                      <text
                        className="cell-term"
                        x={cell.width / 2}
                        y={cellHeight / 2 + 4}
                        textAnchor="middle"
                      >
                        {cell.confChange ? '◆' : cell.term}
                      </text>
                    )}
                  </g>
                ))}
                {row.snapshotX !== null && (
                  <Boundary x={row.snapshotX} height={cellHeight} kind="snapshot" />
                )}
                {row.appliedX !== null && (
                  <Boundary x={row.appliedX} height={cellHeight} kind="applied" />
                )}
                {row.commitX !== null && (
                  <Boundary x={row.commitX} height={cellHeight} kind="commit" />
                )}
              </g>
            ))}
          </g>
        </svg>
      </div>
      <ul className="legend">
        <li>
          <span className="boundary-swatch commit" /> commit
        </li>
        <li>
          <span className="boundary-swatch applied" /> applied
        </li>
        <li>
          <span className="boundary-swatch snapshot" /> snapshot
        </li>
        <li>
          <span className="swatch divergent" /> differs from{' '}
          {layout.referenceId === null ? 'reference' : `n${layout.referenceId}`}
        </li>
        <li>◆ conf change</li>
        <li className="log-cell-text" data-testid="log-cell-text">
          {hovered ?? 'hover an entry to read it'}
        </li>
      </ul>
    </section>
  );
}

function Boundary({ x, height, kind }: { x: number; height: number; kind: string }) {
  return <line className={`boundary ${kind}`} x1={x} x2={x} y1={-3} y2={height + 3} />;
}
