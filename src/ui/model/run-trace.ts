// Everything the run has shown so far, indexed by event: the transcript lines, each message's
// flight, each role change and each fault. A run is deterministic, so after a rewind the trace
// still describes the events ahead (the timeline draws them faded) until a new intervention
// forks the run, which truncates the trace at that point.
import type { NodeId } from '../../raft/types';
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
  /** 0 for the original, 1.. for duplicates made by the network. */
  copy: number;
}

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
