// The event log: etcd's own log lines and describeMessage's text for every message, exactly as
// the engine and etcd's test harness print them. Only the newest rows are in the DOM, so a long
// run stays cheap to render; the panel follows the newest row unless the user scrolls up.
import { memo, useLayoutEffect, useMemo, useRef } from 'react';
import type { EventLogEntry, EventLogKind } from '../../sim/event-log';
import { setEventLogFilter } from '../store/cluster-actions';
import { useAppStore } from './use-app-store';

/** Rows kept in the DOM: the newest matching entries. */
export const eventLogRowsShownMax = 300;
/** Within this many pixels of the bottom, the panel keeps following new rows. */
const stickToBottomPx = 8;

const kindLabels: Record<EventLogKind, string> = { log: 'log lines', message: 'messages' };
const fateLabels = { sent: 'send', dropped: 'drop', delivered: 'recv' } as const;

export function EventLogPanel() {
  const nodeIds = useAppStore((state) => state.cluster.nodes.map((node) => node.id));
  const { entries, nodeId, kind } = useAppStore((state) => ({
    entries: state.eventLog,
    nodeId: state.eventLogFilter.nodeId,
    kind: state.eventLogFilter.kind,
  }));
  const matching = useMemo(
    () =>
      entries.filter(
        (entry) =>
          (nodeId === null || entry.nodeId === nodeId) && (kind === null || entry.kind === kind),
      ),
    [entries, nodeId, kind],
  );
  const shown = matching.slice(-eventLogRowsShownMax);
  const rows = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  useLayoutEffect(() => {
    const element = rows.current;
    if (element !== null && following.current) element.scrollTop = element.scrollHeight;
  });

  return (
    <section className="event-log" data-testid="event-log" aria-label="Event log">
      <header className="event-log-header">
        <h2>Event log</h2>
        <label>
          Node
          <select
            data-testid="event-log-node"
            value={nodeId ?? ''}
            onChange={(event) =>
              setEventLogFilter({
                nodeId: event.target.value === '' ? null : Number(event.target.value),
              })
            }
          >
            <option value="">all</option>
            {nodeIds.map((id) => (
              <option key={id} value={id}>{`node ${id}`}</option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select
            data-testid="event-log-kind"
            value={kind ?? ''}
            onChange={(event) =>
              setEventLogFilter({
                kind: event.target.value === '' ? null : (event.target.value as EventLogKind),
              })
            }
          >
            <option value="">all</option>
            {(Object.keys(kindLabels) as EventLogKind[]).map((option) => (
              <option key={option} value={option}>
                {kindLabels[option]}
              </option>
            ))}
          </select>
        </label>
        <span className="event-log-count" data-testid="event-log-count">
          {shown.length < matching.length
            ? `newest ${shown.length} of ${matching.length} matching`
            : `${matching.length} matching`}{' '}
          · {entries.length} kept
        </span>
      </header>
      <div
        className="event-log-rows"
        data-testid="event-log-rows"
        ref={rows}
        onScroll={(event) => {
          const element = event.currentTarget;
          following.current =
            element.scrollHeight - element.scrollTop - element.clientHeight <= stickToBottomPx;
        }}
      >
        {shown.map((entry) => (
          <EventLogRow key={entry.sequence} entry={entry} />
        ))}
      </div>
    </section>
  );
}

/** One entry; entries never change, so a row renders once. */
const EventLogRow = memo(function EventLogRow({ entry }: { entry: EventLogEntry }) {
  const tag = entry.kind === 'log' ? entry.level : fateLabels[entry.fate];
  const tagClass =
    entry.kind === 'log' ? `level-${entry.level.toLowerCase()}` : `fate-${entry.fate}`;
  return (
    <div
      className={`event-row event-${entry.kind}`}
      data-testid="event-log-row"
      data-kind={entry.kind}
      data-node={entry.nodeId}
      title={`event ${entry.eventCount} at ${entry.timeMs} ms`}
    >
      <span className="event-time">{entry.timeMs}ms</span>
      <span className="event-node">n{entry.nodeId}</span>
      <span className={`event-tag ${tagClass}`}>{tag}</span>
      <span className="event-text" data-testid="event-log-text">
        {entry.text}
      </span>
    </div>
  );
});
