// The event log's etcd view: the engines' own log lines (etcd's wording) and every message sent,
// in etcd's describeMessage text (src/raft/describe.ts, the text etcd's tests print) with the
// key-value payloads decoded (`put k1=v3 (r12)` instead of the bytes), newest last, at or before
// the cursor. Rows are built for the newest matches only.
import { describeMessage } from '../../raft/describe';
import type { NodeId } from '../../raft/types';
import type { EngineLogEntry, Flight, RunTrace } from '../model/run-trace';
import { kvEntryFormatter } from '../model/kv-payload-text';

export interface EtcdLogRow {
  key: string;
  eventCount: number;
  timeMs: number;
  node: NodeId;
  /** 'log' for an engine log line, else the message type ('MsgApp'). */
  type: string;
  text: string;
}

/** Items a search looks at before giving up on finding more matches (a narrow filter). */
export const etcdRowsScanMax = 200_000;

/** The number of items whose eventCount (by `eventOf`) is at most eventCount (they are sorted). */
function countUpTo<T>(
  items: readonly T[],
  eventCount: number,
  eventOf: (item: T) => number,
): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (eventOf(items[middle]) <= eventCount) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The newest `rowsMax` rows at or before eventCount matching the filter, oldest first. */
export function etcdLogRows(
  trace: RunTrace,
  filter: { eventCount: number; nodeId: NodeId | null; type: string; rowsMax: number },
): EtcdLogRow[] {
  const { eventCount, nodeId, type, rowsMax } = filter;
  const lines = trace.engineLog;
  const flights = trace.flights;
  let line = countUpTo(lines, eventCount, (item: EngineLogEntry) => item.eventCount) - 1;
  let flight = countUpTo(flights, eventCount, (item: Flight) => item.sentEvent) - 1;
  const rows: EtcdLogRow[] = [];
  const wantLines = type === 'all' || type === 'log';
  const wantMessages = type !== 'log';
  for (let scanned = 0; rows.length < rowsMax && scanned < etcdRowsScanMax; scanned++) {
    const lineEvent = line >= 0 ? lines[line].eventCount : -1;
    const flightEvent = flight >= 0 ? flights[flight].sentEvent : -1;
    if (lineEvent < 0 && flightEvent < 0) break;
    // Within an event the engine logs first and sends after: going backwards, messages first.
    if (flightEvent >= lineEvent) {
      const item = flights[flight];
      const index = flight--;
      if (!wantMessages || (item.message === null && item.text === undefined)) continue;
      if (type !== 'all' && item.type !== type) continue;
      if (nodeId !== null && item.from !== nodeId && item.to !== nodeId) continue;
      rows.push({
        key: `m${index}`,
        eventCount: item.sentEvent,
        timeMs: item.sentMs,
        node: item.from,
        type: item.type,
        text:
          (item.message === null ? item.text! : describeMessage(item.message, kvEntryFormatter)) +
          (item.lostBecause === null ? '' : ` (lost: ${item.lostBecause})`),
      });
    } else {
      const item = lines[line];
      const index = line--;
      if (!wantLines || (nodeId !== null && item.node !== nodeId)) continue;
      rows.push({
        key: `l${index}`,
        eventCount: item.eventCount,
        timeMs: item.timeMs,
        node: item.node,
        type: 'log',
        text: `${item.level} ${item.text}`,
      });
    }
  }
  return rows.reverse();
}
