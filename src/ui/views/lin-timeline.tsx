// The client history as a linearizability timeline, under the checker's verdict: one lane per
// client, each operation a bar from invocation to completion coloured by how it ended (ok, fail,
// unknown), the longest linearizable prefix shaded and the first operation that cannot be placed
// marked. It changes only when the history is checked, so React draws it (not the frame loop).
// Clicking an operation seeks to its invocation.
import { useMemo, useState } from 'react';
import {
  linTimelineLayout,
  timelineWindow,
  type LinTimelineBar,
} from '../render/lin-timeline-layout';
import type { CheckedLinearizabilityView } from '../store/app-store';
import { seekToTime } from '../store/run-actions';
import { useElementSize } from './use-element-size';

const frameBase = { marginLeftPx: 26, lanePx: 12, axisPx: 14 };

function barClass(bar: LinTimelineBar): string {
  return [
    'lin-op',
    `lin-${bar.completion}`,
    `lin-status-${bar.status}`,
    bar.open ? 'lin-open' : '',
    bar.otherKey ? 'lin-other-key' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function barTitle(bar: LinTimelineBar): string {
  const status = {
    impossible: 'the first operation that cannot be placed',
    unplaceable: 'its result contradicts the state reached',
    linearized: 'placed in the linearization',
    open: 'not placed',
  }[bar.status];
  return `${bar.text} (${bar.completion}${bar.open ? ', still open' : ''}) at ${bar.invokeMs} ms: ${status}`;
}

export function LinTimeline({ view }: { view: CheckedLinearizabilityView }) {
  const [box, size] = useElementSize<HTMLDivElement>();
  const failing = view.firstImpossibleId !== null;
  const [focus, setFocus] = useState(true);
  const layout = useMemo(() => {
    if (size.width === 0 || view.operations.length === 0) return null;
    const span = timelineWindow(view, focus && failing);
    return linTimelineLayout(view, { ...frameBase, widthPx: size.width, ...span });
  }, [view, size.width, focus, failing]);
  return (
    <div className="lin-timeline" data-testid="lin-timeline" data-result={view.verdict} ref={box}>
      <div className="lin-timeline-head">
        <span>
          Client history as of event {view.checkedAtEvent}: {view.operations.length} operations
          {view.failingKey !== null && `, key ${view.failingKey} fails`}
          {layout !== null &&
            layout.hiddenCount > 0 &&
            ` (${layout.hiddenCount} outside the frame)`}
        </span>
        {failing && (
          <button data-testid="lin-zoom" onClick={() => setFocus(!focus)}>
            {focus ? 'whole history' : 'zoom to failure'}
          </button>
        )}
      </div>
      {layout !== null && (
        <svg width={size.width} height={layout.heightPx} role="img" aria-label="Client history">
          {layout.prefix !== null && (
            <rect
              className="lin-prefix"
              data-testid="lin-prefix"
              x={layout.prefix.x}
              y={0}
              width={layout.prefix.width}
              height={layout.heightPx - frameBase.axisPx}
            >
              <title>the longest linearizable prefix of key {view.failingKey}</title>
            </rect>
          )}
          {layout.lanes.map((lane) => (
            <text key={lane.process} className="lin-lane" x={2} y={lane.y + 4}>
              {lane.label}
            </text>
          ))}
          {layout.bars.map((bar) => (
            <rect
              key={bar.id}
              className={barClass(bar)}
              data-testid="lin-op"
              data-op-id={bar.id}
              data-status={bar.status}
              data-completion={bar.completion}
              x={bar.x}
              y={bar.y}
              width={bar.width}
              height={bar.height}
              onClick={() => seekToTime(bar.invokeMs)}
            >
              <title>{barTitle(bar)}</title>
            </rect>
          ))}
          {layout.firstImpossible !== null && (
            <rect
              className="lin-first-impossible"
              data-testid="lin-first-impossible"
              data-op-id={layout.firstImpossible.id}
              x={layout.firstImpossible.x - 2}
              y={layout.firstImpossible.y - 2}
              width={layout.firstImpossible.width + 4}
              height={layout.firstImpossible.height + 4}
              onClick={() => seekToTime(layout.firstImpossible!.invokeMs)}
            >
              <title>{barTitle(layout.firstImpossible)}</title>
            </rect>
          )}
          {layout.ticks.map((tick) => (
            <text
              key={tick.x}
              className="lin-tick"
              x={tick.x}
              y={layout.heightPx - 2}
              textAnchor="middle"
            >
              {tick.label}
            </text>
          ))}
        </svg>
      )}
      {failing && (
        <div className="hint" data-testid="lin-first-impossible-text">
          First impossible:{' '}
          {view.operations.find((op) => op.id === view.firstImpossibleId)?.text ?? '?'} (client c
          {view.operations.find((op) => op.id === view.firstImpossibleId)?.process})
        </div>
      )}
    </div>
  );
}
