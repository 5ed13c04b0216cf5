// Datadriven playback: paste or load an interaction file (etcd's rafttest format), then step
// through its commands. Each command is shown with the harness's output (the text the CLI
// writes) and the harness's nodes after it, drawn by the same layouts as the simulator's views.
import { useEffect, useState } from 'react';
import type { NodeState } from '../model/node-state';
import { layoutCluster } from '../render/cluster-layout';
import { roleColors } from '../render/colors';
import { layoutLogs } from '../render/log-layout';
import {
  datadrivenGoTo,
  datadrivenNext,
  datadrivenPrevious,
  datadrivenRunAll,
  loadDatadriven,
  openDatadrivenPanel,
} from '../store/datadriven-actions';
import { datadrivenScenarioById } from '../scenarios/datadriven-scenarios';
import { useAppStore } from './use-app-store';
import { useElementSize } from './use-element-size';
import './tools.css';

const sample = `add-nodes 3 voters=(1,2,3) index=2
----
ok

campaign 1
----
ok

stabilize
----
ok
`;

export function DatadrivenPanel() {
  const open = useAppStore((state) => state.datadriven.panelOpen);
  if (!open) return null;
  return (
    <section
      className="panel datadriven-panel"
      aria-label="Datadriven playback"
      data-testid="datadriven-panel"
    >
      <h2>
        Datadriven playback{' '}
        <span className="hint">etcd interaction files (rafttest) run command by command</span>
        <button className="close" onClick={() => openDatadrivenPanel(false)} aria-label="Close">
          ✕
        </button>
      </h2>
      <DatadrivenCaption />
      <div className="datadriven-grid">
        <DatadrivenSource />
        <DatadrivenNodes />
        <DatadrivenOutput />
      </div>
    </section>
  );
}

/** The caption of the built-in datadriven scenario playing, if one is. */
function DatadrivenCaption() {
  const scenarioId = useAppStore((state) => state.datadriven.scenarioId);
  const scenario = scenarioId === null ? undefined : datadrivenScenarioById(scenarioId);
  if (scenario === undefined) return null;
  return (
    <section className="caption-bar" data-testid="datadriven-caption" data-scenario={scenario.id}>
      <span className="caption-title">{scenario.title}</span>
      <span className="caption-text">
        {scenario.caption} <span className="hint">({scenario.fileName}: Next or Run all)</span>
      </span>
    </section>
  );
}

function DatadrivenSource() {
  const [text, setText] = useState(sample);
  // A built-in scenario's file shows in the text box (its text is already loaded by then).
  const scenarioId = useAppStore((state) => state.datadriven.scenarioId);
  useEffect(() => {
    const scenario = scenarioId === null ? undefined : datadrivenScenarioById(scenarioId);
    let current = true;
    void scenario?.load().then((loaded) => current && setText(loaded));
    return () => {
      current = false;
    };
  }, [scenarioId]);
  const { fileName, commands, results, position, loadError } = useAppStore((state) => ({
    fileName: state.datadriven.fileName,
    commands: state.datadriven.commands,
    results: state.datadriven.results,
    position: state.datadriven.position,
    loadError: state.datadriven.loadError,
  }));
  const stoppedAt = results.findIndex((result) => result.error !== null);
  return (
    <div className="datadriven-source">
      <label className="file-pick">
        Load file{' '}
        <input
          type="file"
          accept=".txt,text/plain"
          data-testid="datadriven-file"
          onChange={async (event) => {
            const file = event.target.files?.[0];
            if (file === undefined) return;
            const content = await file.text();
            setText(content);
            loadDatadriven(content, file.name);
            event.target.value = '';
          }}
        />
      </label>
      <textarea
        data-testid="datadriven-text"
        value={text}
        spellCheck={false}
        aria-label="Datadriven file text"
        onChange={(event) => setText(event.target.value)}
      />
      <button data-testid="datadriven-load" onClick={() => loadDatadriven(text, 'pasted.txt')}>
        Play pasted text
      </button>
      {loadError !== null && (
        <p className="load-error" role="alert" data-testid="datadriven-error">
          {loadError}
        </p>
      )}
      {fileName !== null && (
        <>
          <div className="datadriven-controls">
            <button
              data-testid="datadriven-prev"
              onClick={datadrivenPrevious}
              disabled={position < 0}
            >
              ◀ Prev
            </button>
            <button
              data-testid="datadriven-next"
              onClick={datadrivenNext}
              disabled={
                position >= commands.length - 1 || (stoppedAt >= 0 && position >= stoppedAt)
              }
            >
              Next ▶
            </button>
            <button data-testid="datadriven-run-all" onClick={datadrivenRunAll}>
              Run all
            </button>
            <span className="hint" data-testid="datadriven-position">
              {position + 1} / {commands.length}
            </span>
          </div>
          <ol className="datadriven-commands" aria-label={`Commands of ${fileName}`}>
            {commands.map((command, index) => {
              const result = results[index];
              const status =
                result === undefined
                  ? 'pending'
                  : result.error !== null
                    ? 'error'
                    : result.matchesFile
                      ? 'match'
                      : 'differs';
              return (
                <li
                  key={command.pos}
                  data-testid="datadriven-command"
                  data-status={status}
                  className={`${status}${index === position ? ' current' : ''}`}
                  onClick={() => datadrivenGoTo(index)}
                  title={`line ${command.line}`}
                >
                  <span className="line-number">{command.line}</span> {command.directive}
                  {command.input !== '' && (
                    <span className="hint"> +{command.input.split('\n').length}</span>
                  )}
                </li>
              );
            })}
          </ol>
        </>
      )}
    </div>
  );
}

function DatadrivenOutput() {
  const { command, result } = useAppStore((state) => ({
    command: state.datadriven.commands[state.datadriven.position],
    result: state.datadriven.results[state.datadriven.position],
  }));
  if (command === undefined || result === undefined)
    return <div className="datadriven-output hint">Load a file, then press Next.</div>;
  return (
    <div className="datadriven-output">
      <div className="command-line">
        <code data-testid="datadriven-directive">{command.directive}</code>{' '}
        <span className="hint">line {command.line}</span>{' '}
        {result.error === null && (
          <span className={result.matchesFile ? 'ok' : 'differs'} data-testid="datadriven-match">
            {result.matchesFile ? 'matches the file' : 'differs from the file'}
          </span>
        )}
      </div>
      {command.input !== '' && <pre className="command-input">{command.input}</pre>}
      {result.error !== null && (
        <p className="load-error" role="alert" data-testid="datadriven-command-error">
          {result.error}
        </p>
      )}
      <pre data-testid="datadriven-output">{result.output}</pre>
    </div>
  );
}

function DatadrivenNodes() {
  const [box, size] = useElementSize<HTMLDivElement>();
  const nodes = useAppStore(
    (state) => state.datadriven.results[state.datadriven.position]?.nodes ?? noNodes,
  );
  const clusterHeight = Math.max(0, Math.round(size.height * 0.55));
  const cluster = layoutCluster({
    nodeIds: nodes.map((node) => node.id),
    width: size.width,
    height: clusterHeight,
    cutLinks: [],
  });
  return (
    <div className="datadriven-nodes" ref={box}>
      <svg width={size.width} height={clusterHeight} data-testid="datadriven-cluster">
        {cluster.links.map((link) => (
          <g className="link" key={`${link.a}-${link.b}`}>
            <line x1={link.x1} y1={link.y1} x2={link.x2} y2={link.y2} />
          </g>
        ))}
        {cluster.nodes.map((place, position) => (
          <NodeGlyph
            key={place.id}
            node={nodes[position]}
            x={place.x}
            y={place.y}
            radius={cluster.nodeRadius}
          />
        ))}
      </svg>
      <LogRows nodes={nodes} width={size.width} />
    </div>
  );
}

const noNodes: NodeState[] = [];

function NodeGlyph({
  node,
  x,
  y,
  radius,
}: {
  node: NodeState;
  x: number;
  y: number;
  radius: number;
}) {
  return (
    <g
      data-testid="datadriven-node"
      data-node-id={node.id}
      data-role={node.role}
      data-term={node.term}
      data-commit={node.commit}
      className={`node role-${node.role}`}
      transform={`translate(${x},${y})`}
    >
      <circle className="body" r={radius} style={{ stroke: roleColors[node.role] }} />
      <text className="node-id" y={-radius * 0.18} textAnchor="middle">
        {node.id}
      </text>
      <text className="node-role" y={radius * 0.38} textAnchor="middle">
        {node.role === 'pre-candidate' ? 'pre-cand.' : node.role}
      </text>
      <text className="node-facts" y={radius + 16} textAnchor="middle">
        {`t${node.term} v${node.vote || '–'} c${node.commit} a${node.applied}`}
      </text>
    </g>
  );
}

function LogRows({ nodes, width }: { nodes: NodeState[]; width: number }) {
  const rowHeight = 24;
  const layout = layoutLogs({ nodes, width, labelWidth: 40, rowHeight, columnsMax: 30 });
  const cellHeight = rowHeight - 8;
  return (
    <svg width={width} height={nodes.length * rowHeight + 4} data-testid="datadriven-logs">
      {layout.rows.map((row) => (
        <g key={row.id} transform={`translate(0,${row.y})`} className="log-row">
          <text className="row-label" x={4} y={cellHeight / 2 + 4}>{`n${row.id}`}</text>
          {row.cells.map((cell) => (
            <g key={cell.index} transform={`translate(${cell.x},0)`}>
              <rect
                className={`log-cell ${cell.committed ? 'committed' : 'uncommitted'}${cell.unstable ? ' unstable' : ''}${cell.divergent ? ' divergent' : ''}`}
                width={cell.width}
                height={cellHeight}
                rx={2}
                style={{ fill: cell.color }}
              >
                <title>{`index ${cell.index}, term ${cell.term}`}</title>
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
          {row.commitX !== null && (
            <line
              className="boundary commit"
              x1={row.commitX}
              x2={row.commitX}
              y1={-3}
              y2={cellHeight + 3}
            />
          )}
        </g>
      ))}
    </svg>
  );
}
