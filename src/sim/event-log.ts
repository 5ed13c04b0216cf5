// The simulator's event log: the engine's own log lines (etcd's wording, through a sinkLogger per
// node) and every message sent or delivered, described by describeMessage (etcd's text). It is
// bounded: past eventLogEntriesMax entries the oldest are dropped.
import { describeMessage } from '../raft/describe';
import { LogLevel, logLevelNames } from '../raft/logger';
import type { Message, NodeId } from '../raft/types';

export const eventLogEntriesMax = 2_000;

/** What happened to a message: sent by `from` (and lost, or cut by a partition), or delivered to `to`. */
export type MessageFate = 'sent' | 'dropped' | 'delivered';

interface EventLogEntryBase {
  /** 0 for the first entry ever recorded; unique within a cluster, also once dropped. */
  sequence: number;
  timeMs: number;
  /** The event that produced the entry (1 for the first); 0 while the nodes start. */
  eventCount: number;
  /** The node that logged the line, sent the message or had it delivered. */
  nodeId: NodeId;
  /** Exactly etcd's text: a log line as the engine wrote it, or describeMessage's output. */
  text: string;
}

export type EventLogEntry =
  | (EventLogEntryBase & {
      kind: 'log';
      /** 'DEBUG', 'INFO', 'WARN', 'ERROR' or 'FATAL'. */ level: string;
    })
  | (EventLogEntryBase & { kind: 'message'; fate: MessageFate });

export type EventLogKind = EventLogEntry['kind'];

/** Where an entry happens: the clock and event counter the cluster owns. */
export interface EventLogClock {
  timeMs: number;
  eventCount: number;
}

/** What readers of a cluster's log see: the recording methods stay with the cluster. */
export interface EventLogReader {
  readonly entriesMax: number;
  readonly appendedCount: number;
  entries(): EventLogEntry[];
}

/** A ring buffer of the last entriesMax entries, oldest first. entriesMax 0 records nothing. */
export class EventLog implements EventLogReader {
  private readonly ring: EventLogEntry[] = [];
  /** Where the oldest entry sits in the ring once it is full. */
  private start = 0;
  private appended = 0;

  constructor(
    readonly entriesMax: number,
    private readonly clock: () => EventLogClock,
  ) {
    if (!(Number.isSafeInteger(entriesMax) && entriesMax >= 0)) {
      throw new Error(`eventLogEntriesMax must be a non-negative integer, got ${entriesMax}`);
    }
  }

  /** Entries ever recorded, dropped ones included: changes whenever the log does. */
  get appendedCount(): number {
    return this.appended;
  }

  get enabled(): boolean {
    return this.entriesMax > 0;
  }

  logLine(nodeId: NodeId, level: LogLevel, text: string): void {
    if (!this.enabled) return;
    // A sinkLogger never passes None; name it anyway rather than trust the cast.
    const name = level === LogLevel.None ? 'NONE' : logLevelNames[level];
    this.push({ ...this.base(nodeId, text), kind: 'log', level: name });
  }

  message(nodeId: NodeId, fate: MessageFate, message: Message): void {
    if (!this.enabled) return;
    this.push({ ...this.base(nodeId, describeMessage(message)), kind: 'message', fate });
  }

  /** The kept entries, oldest first, as a new array (the entries themselves are never changed). */
  entries(): EventLogEntry[] {
    return [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
  }

  private base(nodeId: NodeId, text: string): EventLogEntryBase {
    const { timeMs, eventCount } = this.clock();
    return { sequence: this.appended, timeMs, eventCount, nodeId, text };
  }

  private push(entry: EventLogEntry): void {
    this.appended++;
    if (this.ring.length < this.entriesMax) {
      this.ring.push(entry);
      return;
    }
    this.ring[this.start] = entry;
    this.start = (this.start + 1) % this.entriesMax;
  }
}
