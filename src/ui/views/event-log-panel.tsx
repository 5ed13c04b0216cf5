// The event log, from one of two sources: etcd's (the engines' own log lines and each message in
// etcd's describeMessage text, filterable by node and by log line or message type), or the
// simulator's transcript line for every event up to the cursor (exactly what `npx raftlab run
// --trace` records) with derived notes (role changes), filterable by node and kind. Only the
// newest rows are in the DOM; clicking a row seeks to its event.
import { memo, useMemo } from 'react';
import { MessageType } from '../../raft/types';
import { rpcTypeNames } from '../../engines/hashicorp/types';
import { etcdLogRows } from './etcd-log-rows';
import type { TraceEvent, TraceNote } from '../model/run-trace';
import type { EventLogKind, EventLogSource } from '../store/app-store';
import { currentTrace, seek } from '../store/run-source';
import { selectEvent, setEventLogFilter } from '../store/view-actions';
import { useThrottledAppStore } from './use-app-store';

export const eventLogRowsShownMax = 200;

const kindLabels: Record<EventLogKind, string> = {
  all: 'everything',
  messages: 'deliveries',
  ticks: 'ticks',
  clients: 'client requests',
  faults: 'faults',
  roles: 'role changes',
};

type Row = { key: string; eventCount: number; timeMs: number; text: string; tag: string };

const sourceLabels: Record<EventLogSource, string> = {
  etcd: 'etcd: log lines + messages',
  simulator: 'simulator transcript',
};

/** Every message type's name, for the engine view's type filter (rpcTypeNames on HashiCorp). */
const messageTypeNames = Object.keys(MessageType).filter((name) => name.startsWith('Msg'));

function eventMatches(event: TraceEvent, kind: EventLogKind): boolean {
  switch (kind) {
    case 'all':
      return true;
    case 'messages':
      return event.kind === 'deliver';
    case 'ticks':
      return event.kind === 'tick';
    case 'clients':
      return event.kind === 'request' || event.kind === 'reply' || event.kind === 'wake';
    case 'faults':
      return event.kind === 'nemesis' || event.kind === 'liveness' || event.kind === 'inject';
    case 'roles':
      return false;
  }
}

/** The newest matching rows at or before eventCount, oldest first. */
function rowsUpTo(eventCount: number, nodeId: number | null, kind: EventLogKind): Row[] {
  const { events, notes } = currentTrace();
  const rows: Row[] = [];
  let note = notes.length - 1;
  const takeNotes = (after: number): void => {
    for (; note >= 0 && notes[note].eventCount > after; note--) {
      const item: TraceNote = notes[note];
      if (item.eventCount > eventCount) continue;
      if (nodeId !== null && item.node !== nodeId) continue;
      if (kind !== 'all' && kind !== 'roles') continue;
      rows.push({
        key: `n${note}`,
        eventCount: item.eventCount,
        timeMs: item.timeMs,
        text: item.text,
        tag: 'note',
      });
    }
  };
  for (
    let i = Math.min(eventCount, events.length) - 1;
    i >= 0 && rows.length < eventLogRowsShownMax;
    i--
  ) {
    takeNotes(i + 1);
    const event = events[i];
    if (nodeId !== null && event.node !== nodeId) continue;
    if (!eventMatches(event, kind)) continue;
    const text = event.line.slice(event.line.indexOf(' ') + 1);
    rows.push({
      key: `e${i}`,
      eventCount: event.eventCount,
      timeMs: event.timeMs,
      text,
      tag: event.kind,
    });
  }
  takeNotes(0);
  return rows.slice(0, eventLogRowsShownMax).reverse();
}

export function EventLogPanel() {
  const { eventCount, nodeIds, nodeId, kind, source, etcdType, selected } = useThrottledAppStore(
    (state) => ({
      eventCount: state.eventCount,
      nodeIds: state.nodes.map((node) => node.id).join(','),
      nodeId: state.eventLogFilter.nodeId,
      kind: state.eventLogFilter.kind,
      source: state.eventLogFilter.source,
      etcdType: state.eventLogFilter.etcdType,
      selected: state.selectedEvent,
    }),
  );
  const knownEventCount = useThrottledAppStore((state) => state.knownEventCount);
  // Durable mode on the HashiCorp engine: the engine's own lines are hashicorp's, not etcd's.
  const hashicorp = useThrottledAppStore((state) => state.durable?.engine === 'hashicorp');
  // The trace only grows at the frontier (knownEventCount) or forks (interventionCount).
  const forks = useThrottledAppStore((state) => state.interventionCount);
  const rows = useMemo(
    () =>
      source === 'simulator'
        ? rowsUpTo(eventCount, nodeId, kind)
        : etcdLogRows(currentTrace(), {
            eventCount,
            nodeId,
            type: etcdType,
            rowsMax: eventLogRowsShownMax,
          }).map((row) => ({ ...row, tag: row.type === 'log' ? 'etcd-log' : 'etcd-message' })),
    [eventCount, nodeId, kind, source, etcdType, knownEventCount, forks],
  );
  return (
    <section className="panel event-log" data-testid="event-log" aria-label="Event log">
      <h2>Event log</h2>
      <div className="event-log-filters">
        <select
          data-testid="event-log-source"
          aria-label="Source"
          value={source}
          onChange={(event) => setEventLogFilter({ source: event.target.value as EventLogSource })}
        >
          {(Object.keys(sourceLabels) as EventLogSource[]).map((option) => (
            <option key={option} value={option}>
              {hashicorp && option === 'etcd'
                ? 'HashiCorp engine: log lines + RPCs'
                : sourceLabels[option]}
            </option>
          ))}
        </select>
        <select
          data-testid="event-log-node"
          aria-label="Node"
          value={nodeId ?? ''}
          onChange={(event) =>
            setEventLogFilter({
              nodeId: event.target.value === '' ? null : Number(event.target.value),
            })
          }
        >
          <option value="">all nodes</option>
          {nodeIds
            .split(',')
            .filter(Boolean)
            .map((id) => (
              <option key={id} value={id}>{`node ${id}`}</option>
            ))}
        </select>
        {source === 'simulator' ? (
          <select
            data-testid="event-log-kind"
            aria-label="Kind"
            value={kind}
            onChange={(event) => setEventLogFilter({ kind: event.target.value as EventLogKind })}
          >
            {(Object.keys(kindLabels) as EventLogKind[]).map((option) => (
              <option key={option} value={option}>
                {kindLabels[option]}
              </option>
            ))}
          </select>
        ) : (
          <select
            data-testid="event-log-type"
            aria-label="Type"
            value={etcdType}
            onChange={(event) => setEventLogFilter({ etcdType: event.target.value })}
          >
            <option value="all">log lines + messages</option>
            <option value="log">log lines only</option>
            {(hashicorp ? rpcTypeNames : messageTypeNames).map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        )}
      </div>
      {/* column-reverse keeps the scroll pinned to the newest row without reading heights */}
      <div className="event-log-rows">
        <div>
          {rows.map((row) => (
            <EventRow key={row.key} row={row} selected={row.eventCount === selected} />
          ))}
        </div>
      </div>
    </section>
  );
}

const EventRow = memo(function EventRow({ row, selected }: { row: Row; selected: boolean }) {
  return (
    <div
      className={`event-row tag-${row.tag}${selected ? ' selected' : ''}`}
      data-testid="event-log-row"
      data-event={row.eventCount}
      data-tag={row.tag}
      title={`event ${row.eventCount} at ${row.timeMs} ms — click to go there`}
      onClick={() => {
        selectEvent(row.eventCount);
        seek(row.eventCount);
      }}
    >
      <span className="event-count">#{row.eventCount}</span>
      <span className="event-time">{row.timeMs}</span>
      <span className="event-text">{row.text}</span>
    </div>
  );
});
