// Everything the run has shown so far, indexed by event: the transcript lines, each message's
// flight, each role change and each fault. A run is deterministic, so after a rewind the trace
// still describes the events ahead (the timeline draws them faded) until a new intervention
// forks the run, which truncates the trace at that point.
import type { Message, NodeId } from '../../raft/types';
import type { EngineLogLevel } from '../../sim/engine-log';
import type { FaultText, MessageText, TraceEventKind } from './transcript-events';
import type { UiRole } from './node-state';

export interface TraceEvent {
  /** 1 for the first event. */
  eventCount: number;
  timeMs: number;
  kind: TraceEventKind;
  node: NodeId | null;
  /** The transcript line, exactly as the simulator wrote it (`npx raftlab run --trace`). */
  line: string;
}

/** One copy of a message between its sending event and its arrival (or loss). */
export interface Flight extends MessageText {
  sentEvent: number;
  sentMs: number;
  /** When it arrives; null when the network lost it. */
  arriveMs: number | null;
  lostBecause: string | null;
  /** 0 for the original, 1.. for duplicates (made by the network or by hand). */
  copy: number;
  /** The simulation's in-flight id (for drop/duplicate by hand); null when lost at sending. */
  flightId: number | null;
  /** The message itself, on the original copy only (the event log describes it as etcd does). */
  message: Message | null;
  /** Another engine's message as its own text (a HashiCorp RPC in durable mode), original copy only. */
  text?: string;
  /** Set when a person dropped it in flight: it never arrives. */
  droppedAt: { eventCount: number; timeMs: number } | null;
}

/** A line the engine (etcd's raft) logged, at the event (or intervention) that caused it. */
export interface EngineLogEntry {
  eventCount: number;
  timeMs: number;
  node: NodeId;
  level: EngineLogLevel;
  text: string;
}

/** Engine log lines a trace keeps; past this it stops recording them (and says so). */
export const traceEngineLogLinesMax = 500_000;

export interface RoleChange {
  eventCount: number;
  timeMs: number;
  node: NodeId;
  role: UiRole;
  term: number;
}

export interface FaultMarker extends FaultText {
  eventCount: number;
  timeMs: number;
  /** True when the user injected it (an intervention), false when the nemesis plan did. */
  injected: boolean;
}

/** A node's commit index changed (it rose, or fell back to the durable one in a crash). */
export interface CommitChange {
  eventCount: number;
  timeMs: number;
  node: NodeId;
  commit: number;
}

/** A note the trace keeps beside the events: a derived line for the event log. */
export interface TraceNote {
  eventCount: number;
  timeMs: number;
  node: NodeId | null;
  text: string;
}

export class RunTrace {
  readonly events: TraceEvent[] = [];
  readonly flights: Flight[] = [];
  readonly roleChanges: RoleChange[] = [];
  readonly faults: FaultMarker[] = [];
  readonly notes: TraceNote[] = [];
  readonly commitChanges: CommitChange[] = [];
  readonly engineLog: EngineLogEntry[] = [];
  /** Flights dropped by hand, by index into flights, so a fork can undo the later drops. */
  readonly drops: { eventCount: number; flightIndex: number }[] = [];
  /** The longest flight seen, so a query for flights in the air can stop looking back. */
  flightMsMax = 0;

  get eventCount(): number {
    return this.events.length;
  }

  get endMs(): number {
    return this.events.length === 0 ? 0 : this.events[this.events.length - 1].timeMs;
  }

  addFlight(flight: Flight): void {
    this.flights.push(flight);
    if (flight.arriveMs !== null)
      this.flightMsMax = Math.max(this.flightMsMax, flight.arriveMs - flight.sentMs);
  }

  /** Forgets everything after event `eventCount` (a fork of the run). */
  truncate(eventCount: number): void {
    this.events.length = Math.min(this.events.length, eventCount);
    const keep = <T extends { eventCount: number }>(items: T[]): void => {
      while (items.length > 0 && items[items.length - 1].eventCount > eventCount) items.pop();
    };
    while (this.flights.length > 0 && this.flights[this.flights.length - 1].sentEvent > eventCount)
      this.flights.pop();
    keep(this.roleChanges);
    keep(this.faults);
    keep(this.notes);
    keep(this.commitChanges);
    keep(this.engineLog);
    while (this.drops.length > 0 && this.drops[this.drops.length - 1].eventCount > eventCount) {
      const flight = this.flights[this.drops.pop()!.flightIndex];
      if (flight !== undefined) flight.droppedAt = null;
    }
  }

  /** The index of the flight with this in-flight id, searching from the newest; -1 if none. */
  flightIndexOf(flightId: number): number {
    for (let i = this.flights.length - 1; i >= 0; i--)
      if (this.flights[i].flightId === flightId) return i;
    return -1;
  }

  /** The time of event `eventCount` (0 before the first). */
  timeAt(eventCount: number): number {
    return eventCount === 0 ? 0 : this.events[eventCount - 1].timeMs;
  }

  /** The last event at or before timeMs (0 when none). */
  eventAtTime(timeMs: number): number {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.events[middle].timeMs <= timeMs) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
