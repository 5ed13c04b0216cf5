// Charts over simulated time, up to the current position: each node's term, each node's commit
// index, and client operation latency. They redraw from store.subscribe at most once per frame
// (useFrameDrawing), painting into SVG with d3; React renders only the frame around them.
import { schemeTableau10, select } from 'd3';
import { useRef } from 'react';
import type { NodeId } from '../../raft/types';
import {
  layoutLatencyChart,
  layoutStepChart,
  operationLatencies,
  outcomeColors,
  seriesOfChanges,
  type ChartAxes,
  type ChartFrame,
} from '../render/chart-layout';
import { currentRun, displayTime } from '../store/run-actions';
import { appStore } from '../store/app-store';
import { useAppStore, useFrameDrawing } from './use-app-store';
import './tools.css';

const chartWidth = 540;
const chartHeight = 110;
/** Latency dots drawn at most (the newest win). */
const latencyDotsMax = 3_000;
/** Every simulated node starts from the configuration snapshot: term 0, commit index 1. */
const initialTerm = 0;
const initialCommit = 1;

export const nodeColor = (id: NodeId): string => schemeTableau10[(id - 1) % schemeTableau10.length];

export function openCharts(open: boolean): void {
  appStore.setState({ chartsOpen: open });
}

function frameAt(cursorMs: number): ChartFrame {
  return {
    width: chartWidth,
    height: chartHeight,
    marginLeft: 34,
    marginBottom: 16,
    startMs: 0,
    endMs: Math.max(1, cursorMs),
    cursorMs,
  };
}

function drawAxes(svg: SVGSVGElement, axes: ChartAxes): void {
  const root = select(svg);
  root
    .selectAll<SVGTextElement, (typeof axes.xTicks)[number]>('text.x-tick')
    .data(axes.xTicks)
    .join('text')
    .attr('class', 'x-tick')
    .attr('x', (tick) => tick.position)
    .attr('y', chartHeight - 3)
    .attr('text-anchor', 'middle')
    .text((tick) => tick.label);
  root
    .selectAll<SVGTextElement, (typeof axes.yTicks)[number]>('text.y-tick')
    .data(axes.yTicks)
    .join('text')
    .attr('class', 'y-tick')
    .attr('x', 30)
    .attr('y', (tick) => tick.position + 3)
    .attr('text-anchor', 'end')
    .text((tick) => tick.label);
  root
    .selectAll<SVGLineElement, number>('line.cursor')
    .data([axes.cursorX])
    .join('line')
    .attr('class', 'cursor')
    .attr('x1', (x) => x)
    .attr('x2', (x) => x)
    .attr('y1', 4)
    .attr('y2', chartHeight - 16);
}

function drawStepChart(svg: SVGSVGElement, layout: ReturnType<typeof layoutStepChart>): void {
  select(svg)
    .selectAll<SVGPathElement, (typeof layout.paths)[number]>('path.series')
    .data(layout.paths, (path) => path.key)
    .join('path')
    .attr('class', 'series')
    .attr('data-series', (path) => path.key)
    .attr('stroke', (path) => path.color)
    .attr('d', (path) => path.d);
  drawAxes(svg, layout);
}

function drawLatencyChart(svg: SVGSVGElement, layout: ReturnType<typeof layoutLatencyChart>): void {
  select(svg)
    .selectAll<SVGCircleElement, (typeof layout.dots)[number]>('circle.operation')
    .data(layout.dots)
    .join('circle')
    .attr('class', 'operation')
    .attr('r', 2)
    .attr('cx', (dot) => dot.x)
    .attr('cy', (dot) => dot.y)
    .attr('fill', (dot) => dot.color);
  drawAxes(svg, layout);
}

export function ChartsPanel() {
  const { open, nodeIds } = useAppStore((state) => ({
    open: state.chartsOpen,
    nodeIds: state.nodes.map((node) => node.id).join(','),
  }));
  const termSvg = useRef<SVGSVGElement>(null);
  const commitSvg = useRef<SVGSVGElement>(null);
  const latencySvg = useRef<SVGSVGElement>(null);
  useFrameDrawing((state) => {
    if (termSvg.current === null || commitSvg.current === null || latencySvg.current === null)
      return;
    const run = currentRun();
    const cursorMs = Math.min(displayTime(), state.nowMs);
    const frame = frameAt(cursorMs);
    const ids = state.nodes.map((node) => node.id);
    const common = { nodeIds: ids, colorOf: nodeColor, untilMs: cursorMs };
    const terms = seriesOfChanges({
      ...common,
      changes: run.trace.roleChanges,
      valueOf: (change) => change.term,
      initial: initialTerm,
    });
    const commits = seriesOfChanges({
      ...common,
      changes: run.trace.commitChanges,
      valueOf: (change) => change.commit,
      initial: initialCommit,
    });
    drawStepChart(termSvg.current, layoutStepChart({ ...frame, series: terms }));
    drawStepChart(commitSvg.current, layoutStepChart({ ...frame, series: commits }));
    const operations = operationLatencies(run.history());
    drawLatencyChart(
      latencySvg.current,
      layoutLatencyChart({ ...frame, operations, dotsMax: latencyDotsMax }),
    );
  }, true);
  if (!open) return null;
  return (
    <section className="panel charts-panel" aria-label="Charts" data-testid="charts">
      <h2>
        Charts <span className="hint">up to the current position</span>
        <button className="close" onClick={() => openCharts(false)} aria-label="Close charts">
          ✕
        </button>
      </h2>
      <ul className="legend">
        {nodeIds
          .split(',')
          .filter(Boolean)
          .map((id) => (
            <li key={id}>
              <span className="swatch" style={{ background: nodeColor(Number(id)) }} />n{id}
            </li>
          ))}
      </ul>
      <h3 className="hint">Term per node</h3>
      <svg
        ref={termSvg}
        className="chart"
        width={chartWidth}
        height={chartHeight}
        data-testid="chart-term"
      />
      <h3 className="hint">Commit index per node</h3>
      <svg
        ref={commitSvg}
        className="chart"
        width={chartWidth}
        height={chartHeight}
        data-testid="chart-commit"
      />
      <h3 className="hint">
        Client operation latency (ms) at completion:{' '}
        {Object.entries(outcomeColors).map(([outcome, color]) => (
          <span key={outcome} style={{ color }}>
            ● {outcome}{' '}
          </span>
        ))}
      </h3>
      <svg
        ref={latencySvg}
        className="chart"
        width={chartWidth}
        height={chartHeight}
        data-testid="chart-latency"
      />
    </section>
  );
}
