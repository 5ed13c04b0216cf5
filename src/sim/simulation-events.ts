// What a Simulation tells its observers (Simulation.onEvent): one record per processed event and
// per injection, carrying exactly the transcript lines it wrote, plus the structured facts the
// app draws (messages sent and their fate, the message delivered, the engines' log lines).
import type { Message, NodeId } from '../raft/types';
import type { EngineLogLine } from './engine-log';
import type { Delivery } from './network/faulty-network';

export type SimEventKind =
  | 'tick'
  | 'deliver'
  | 'request'
  | 'reply'
  | 'wake'
  | 'nemesis'
  | 'liveness'
  /** An intervention (Simulation.inject): it follows the event count, it is not an event. */
  | 'inject';

/** A message put on the network, and its fate. */
export interface SentMessage {
  message: Message;
  /** Arrival times: none when lost, two when duplicated. */
  deliverAtMs: number[];
  lostBecause: Exclude<Delivery['lostBecause'], undefined> | null;
  /** The in-flight ids of the copies, in deliverAtMs order (for drop/duplicate by hand). */
  flightIds: number[];
}

export interface SimEventRecord {
  /** Events processed so far, this one included (an injection: the events it follows). */
  eventCount: number;
  timeMs: number;
  kind: SimEventKind;
  /** The node the event happened at (ticks, deliveries, requests, replies), else null. */
  node: NodeId | null;
  /**
   * The transcript lines the event wrote, its own first (a convergence note may follow).
   * Concatenated over all records they are exactly the transcript.
   */
  lines: string[];
  sent: SentMessage[];
  /** For a delivery: the message and its in-flight id. */
  delivered: { flightId: number; message: Message } | null;
  /** The engines' log lines written while the event was processed. */
  engineLog: EngineLogLine[];
}

export type SimEventListener = (record: SimEventRecord) => void;

/** A message on its way (queued for delivery). */
export interface InFlightMessage {
  flightId: number;
  message: Message;
  deliverAtMs: number;
}

/** The whole cut state of the network: partition links and links cut by hand. */
export interface CutLink {
  from: NodeId;
  to: NodeId;
  because: 'partition' | 'cut';
}
