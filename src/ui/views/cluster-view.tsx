// The cluster: nodes on a circle (roles, terms, election timers), the links between them (cut
// ones marked, slowed or lossy ones dashed), and the messages in the air. Clicking a node, a
// link or a message opens its menu of interventions. Nodes re-render through React when their state
// changes; the messages move every frame, drawn straight into an SVG layer by d3.
import { select } from 'd3';
import { useMemo, useRef } from 'react';
import type { NodeId } from '../../raft/types';
import {
  layoutCluster,
  messagesInAir,
  timerArcPath,
  type LinkShape,
  type NodePlace,
} from '../render/cluster-layout';
import { messageLegend, roleColors, lostColor } from '../render/colors';
import { currentRun, displayTime } from '../store/run-actions';
import { openLinkMenu, openMessageMenu, openNodeMenu } from '../store/view-actions';
import { LinkMenu } from './link-menu';
import { MessageMenu } from './message-menu';
import { NodeMenu } from './node-menu';
import type { MenuAnchor } from './use-menu-placement';
import { useAppStore, useFrameDrawing } from './use-app-store';
import { useElementSize } from './use-element-size';

/** A lost message stays on screen this long (simulated ms), stalled where it was lost. */
const lostShownMs = 4;
const dotsMax = 600;
/** Space between a menu and what it belongs to. */
const menuGapPx = 8;

function parseLink(text: string): [NodeId, NodeId] {
  const [from, to] = text.split('>').map(Number);
  return [from, to];
}

export function ClusterView() {
  const [box, size] = useElementSize<HTMLDivElement>();
  const { nodeKey, cutKey, menuNodeId, menuLink, menuFlightId, slowKey } = useAppStore((state) => ({
    nodeKey: state.nodes.map((node) => node.id).join(','),
    cutKey: state.cutLinks.map(([from, to]) => `${from}>${to}`).join(','),
    menuNodeId: state.menuNodeId,
    menuLink: state.menuLink === null ? null : `${state.menuLink.a}-${state.menuLink.b}`,
    menuFlightId: state.menuFlightId,
    slowKey: state.linkFaults.map((link) => `${link.from}-${link.to}`).join(','),
  }));
  const slow = new Set(slowKey.split(','));
  const layout = useMemo(
    () =>
      layoutCluster({
        nodeIds: nodeKey === '' ? [] : nodeKey.split(',').map(Number),
        width: size.width,
        height: size.height,
        cutLinks: cutKey === '' ? [] : cutKey.split(',').map(parseLink),
      }),
    [nodeKey, size.width, size.height, cutKey],
  );
  const dotsLayer = useRef<SVGGElement>(null);
  useFrameDrawing((state) => {
    const layer = dotsLayer.current;
    if (layer === null) return;
    const run = currentRun();
    const dots = messagesInAir({
      flights: run.trace.flights,
      eventCount: state.eventCount,
      atMs: displayTime(),
      flightMsMax: run.trace.flightMsMax,
      lostShownMs,
      places: new Map(layout.nodes.map((node) => [node.id, node])),
      nodeRadius: layout.nodeRadius,
      dotsMax,
    });
    select(layer)
      .selectAll<SVGCircleElement, (typeof dots)[number]>('circle')
      .data(dots, (dot) => dot.key)
      .join('circle')
      .attr('r', (dot) => (dot.lost ? 4 : 5))
      .attr('cx', (dot) => dot.x)
      .attr('cy', (dot) => dot.y)
      .attr('fill', (dot) => (dot.lost ? 'white' : dot.color))
      .attr('stroke', (dot) => (dot.lost ? lostColor : dot.duplicate ? '#000' : 'white'))
      .attr('stroke-width', (dot) => (dot.lost || dot.duplicate ? 2 : 1))
      .attr('data-type', (dot) => dot.type)
      .attr('data-flight-id', (dot) => dot.flightId ?? '')
      .attr('data-testid', 'message')
      .attr('class', (dot) => (dot.flightId === null ? 'message-dot' : 'message-dot live'))
      .on('click', (event: MouseEvent, dot) => {
        event.stopPropagation();
        if (dot.flightId !== null) openMessageMenu(dot.flightId);
      });
  });
  const menuNode = layout.nodes.find((node) => node.id === menuNodeId);
  // A menu opens beside what was clicked (flipping to its other side near the right edge), kept
  // inside the panel (use-menu-placement.ts).
  const menuAt = (x: number, y: number, halfWidth: number): MenuAnchor => ({
    x: x + halfWidth + menuGapPx,
    y,
    flipRightEdgeX: x - halfWidth - menuGapPx,
    bounds: size,
  });
  const linkMenu =
    menuLink === null ? undefined : layout.links.find((link) => `${link.a}-${link.b}` === menuLink);
  const flightMenu =
    menuFlightId === null
      ? undefined
      : (() => {
          const trace = currentRun().trace;
          const flight = trace.flights[trace.flightIndexOf(menuFlightId)];
          const from = layout.nodes.find((node) => node.id === flight?.from);
          const to = layout.nodes.find((node) => node.id === flight?.to);
          return from && to ? { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 } : undefined;
        })();

  return (
    <section className="panel cluster-panel" aria-label="Cluster">
      <h2>Cluster</h2>
      <div className="cluster-box" ref={box} onClick={() => openNodeMenu(null)}>
        <svg width={size.width} height={size.height} data-testid="cluster">
          <g className="links">
            {layout.links.map((link) => (
              <Link
                key={`${link.a}-${link.b}`}
                link={link}
                slow={slow.has(`${link.a}-${link.b}`) || slow.has(`${link.b}-${link.a}`)}
              />
            ))}
          </g>
          <g className="messages" ref={dotsLayer} />
          <g className="nodes">
            {layout.nodes.map((node) => (
              <NodeGlyph
                key={node.id}
                place={node}
                radius={layout.nodeRadius}
                factsOffsetY={layout.factsShown ? layout.factsOffsetY : null}
              />
            ))}
          </g>
        </svg>
        {menuNode !== undefined && (
          <NodeMenu
            id={menuNode.id}
            anchor={menuAt(menuNode.x, menuNode.y - layout.nodeRadius, layout.nodeRadius)}
          />
        )}
        {linkMenu !== undefined && (
          <LinkMenu
            a={linkMenu.a}
            b={linkMenu.b}
            anchor={menuAt((linkMenu.x1 + linkMenu.x2) / 2, (linkMenu.y1 + linkMenu.y2) / 2, 0)}
          />
        )}
        {menuFlightId !== null && flightMenu !== undefined && (
          <MessageMenu flightId={menuFlightId} anchor={menuAt(flightMenu.x, flightMenu.y, 0)} />
        )}
      </div>
      <ul className="legend">
        {messageLegend.map((item) => (
          <li key={item.label}>
            <span className="swatch round" style={{ background: item.color }} />
            {item.label}
          </li>
        ))}
        <li>
          <span className="swatch round lost" />
          lost
        </li>
      </ul>
    </section>
  );
}

function Link({ link, slow }: { link: LinkShape; slow: boolean }) {
  const cut = link.cutAtoB || link.cutBtoA;
  const mark = (fromA: boolean) => {
    // The cross sits near the receiving end of the cut direction.
    const t = fromA ? 0.72 : 0.28;
    return { x: link.x1 + (link.x2 - link.x1) * t, y: link.y1 + (link.y2 - link.y1) * t };
  };
  return (
    <g
      className={`link${cut ? ' cut' : ''}${slow ? ' slow' : ''}`}
      data-testid={cut ? 'cut-link' : 'link'}
      data-link={`${link.a}-${link.b}`}
      onClick={(event) => {
        event.stopPropagation();
        openLinkMenu(link.a, link.b);
      }}
    >
      <line x1={link.x1} y1={link.y1} x2={link.x2} y2={link.y2} />
      {/* A wide transparent line makes the thin link easy to click. */}
      <line className="link-hit" x1={link.x1} y1={link.y1} x2={link.x2} y2={link.y2} />
      {[link.cutAtoB && mark(true), link.cutBtoA && mark(false)].map(
        (point, position) =>
          point && (
            <text
              key={position}
              x={point.x}
              y={point.y}
              className="cut-mark"
              textAnchor="middle"
              dominantBaseline="central"
            >
              ✕
            </text>
          ),
      )}
    </g>
  );
}

function NodeGlyph({
  place,
  radius,
  factsOffsetY,
}: {
  place: NodePlace;
  radius: number;
  /** Where the facts line sits under the node; null: not shown (no room). */
  factsOffsetY: number | null;
}) {
  const { id, x, y } = place;
  const node = useAppStore((state) => state.nodes.find((candidate) => candidate.id === id)!);
  const selected = useAppStore((state) => state.menuNodeId === id);
  const timer = timerArcPath({
    elapsed: node.electionElapsed,
    timeout: node.role === 'leader' || node.role === 'down' ? 0 : node.electionTimeout,
    innerRadius: radius + 3,
    outerRadius: radius + 8,
  });
  return (
    <g
      data-testid="node"
      data-node-id={id}
      data-role={node.role}
      data-term={node.term}
      data-commit={node.commit}
      className={`node role-${node.role}${node.paused ? ' paused' : ''}${selected ? ' selected' : ''}`}
      transform={`translate(${x},${y})`}
      onClick={(event) => {
        event.stopPropagation();
        openNodeMenu(selected ? null : id);
      }}
      role="button"
      aria-label={`node ${id}, ${node.role}, term ${node.term}`}
    >
      <circle className="timer-track" r={radius + 5.5} />
      {timer !== '' && <path className="timer" d={timer} />}
      <circle className="body" r={radius} style={{ stroke: roleColors[node.role] }} />
      <text className="node-id" y={-radius * 0.18} textAnchor="middle">
        {id}
      </text>
      <text className="node-role" y={radius * 0.38} textAnchor="middle">
        {node.role === 'pre-candidate' ? 'pre-cand.' : node.role}
      </text>
      <title>{`node ${id}: ${node.role}, term ${node.term}, vote ${node.vote || 'none'}, commit ${node.commit}, applied ${node.applied}, last index ${node.lastIndex}`}</title>
      {factsOffsetY !== null && (
        <text className="node-facts" y={factsOffsetY} textAnchor="middle">
          {`t${node.term} v${node.vote || '–'} c${node.commit} a${node.applied}`}
        </text>
      )}
    </g>
  );
}
