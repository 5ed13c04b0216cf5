// Reads the simulator's transcript lines back into data the views draw: what happened, where,
// which messages it sent (and when each copy arrives, or why it was lost) and which faults it
// injected. The grammar is simulation.ts's and simulation-text.ts's; a line that does not parse
// is a programmer error (the two drifted apart), so it throws with the line.
import type { NodeId } from '../../raft/types';

export type TraceEventKind =
  'tick' | 'deliver' | 'request' | 'reply' | 'wake' | 'nemesis' | 'liveness' | 'inject';

/** A message as the transcript names it: enough to colour and route it. */
export interface MessageText {
  type: string;
  from: NodeId;
  to: NodeId;
  term: number;
}

/** One message sent by an event, and the fate of each of its copies. */
export interface SentMessage extends MessageText {
  /** Arrival times, one per copy (two or more: duplicated); empty when lost. */
  deliverAtMs: number[];
  /** Why it was lost ("partition", "loss", ...); null when delivered. */
  lostBecause: string | null;
}

export type FaultKind =
  | 'crash'
  | 'restart'
  | 'partition'
  | 'heal'
  | 'pause'
  | 'heal-all'
  // A person's interventions (src/sim/interventions.ts), as the `inject` line names them.
  | 'campaign'
  | 'transfer-leadership'
  | 'membership'
  | 'drop-message'
  | 'duplicate-message'
  | 'cut-link'
  | 'restore-link'
  | 'link-faults'
  | 'client'
  | 'fork-workload';

export interface FaultText {
  kind: FaultKind;
  /** The node it hit; null for network-wide faults. */
  node: NodeId | null;
  text: string;
}

export interface ParsedLine {
  timeMs: number;
  kind: TraceEventKind;
  /** The node the event ran at (null for client-side and cluster-wide events). */
  node: NodeId | null;
  /** For deliveries: the message delivered. */
  delivered: MessageText | null;
  /** For deliveries: why the node did not take it ("down", "paused"), else null. */
  notTaken: string | null;
  sent: SentMessage[];
  fault: FaultText | null;
}

const messagePattern = /^(Msg\w+) (\d+)>(\d+) t(\d+)/;
const deliveryPattern = / (lost:\S+|@[\d,@]+)$/;

function parseMessage(text: string, line: string): MessageText {
  const match = messagePattern.exec(text);
  if (match === null) throw new Error(`transcript: no message in "${text}" of line: ${line}`);
  return { type: match[1], from: Number(match[2]), to: Number(match[3]), term: Number(match[4]) };
}

function parseSent(fragment: string, line: string): SentMessage | null {
  if (!fragment.startsWith('Msg')) return null;
  const delivery = deliveryPattern.exec(fragment);
  if (delivery === null)
    throw new Error(`transcript: no delivery in "${fragment}" of line: ${line}`);
  const fate = delivery[1];
  const lost = fate.startsWith('lost:');
  return {
    ...parseMessage(fragment, line),
    deliverAtMs: lost ? [] : fate.slice(1).split(',@').map(Number),
    lostBecause: lost ? fate.slice('lost:'.length) : null,
  };
}

function parseFault(action: string): FaultText | null {
  const [word, node] = action.split(' ');
  switch (word) {
    case 'crash':
    case 'restart':
    case 'pause':
      return { kind: word, node: Number(node), text: action };
    case 'partition':
    case 'heal':
    case 'drop-message':
    case 'duplicate-message':
    case 'client':
    case 'fork-workload':
      return { kind: word, node: null, text: action };
    case 'campaign':
      return { kind: word, node: Number(node), text: action };
    case 'membership':
      return { kind: word, node: Number(action.split(' ')[2]), text: action };
    case 'transfer-leadership':
      return { kind: word, node: Number(action.split(' ')[2]), text: action };
    case 'cut-link':
    case 'restore-link':
    case 'link-faults':
      return { kind: word, node: Number(node.split('->')[0]), text: action };
    default:
      return null;
  }
}

/** The flight id a `duplicate-message` line gave the copy (`... as f123`), else null. */
export function duplicateFlightId(faultText: string): number | null {
  const match = / as f(\d+)$/.exec(faultText);
  return match === null ? null : Number(match[1]);
}

/** Parses one event line (`<ms> <kind> ...`) of the transcript. */
export function parseTranscriptLine(line: string): ParsedLine {
  const [head, ...fragments] = line.split(' | ');
  const space = head.indexOf(' ');
  const timeMs = Number(head.slice(0, space));
  const rest = head.slice(space + 1);
  const word = rest.slice(0, rest.indexOf(' ') < 0 ? undefined : rest.indexOf(' '));
  const body = rest.slice(word.length + 1);
  if (!Number.isSafeInteger(timeMs)) throw new Error(`transcript: no time in line: ${line}`);
  const parsed: ParsedLine = {
    timeMs,
    kind: 'tick',
    node: null,
    delivered: null,
    notTaken: null,
    sent: fragments.map((fragment) => parseSent(fragment, line)).filter((sent) => sent !== null),
    fault: null,
  };
  switch (word) {
    case 'tick':
      return { ...parsed, node: Number(body.split(' ')[0]) };
    case 'deliver': {
      const delivered = parseMessage(body, line);
      return {
        ...parsed,
        kind: 'deliver',
        node: delivered.to,
        delivered,
        notTaken: notTakenOf(body),
      };
    }
    case 'request':
      return { ...parsed, kind: 'request', node: Number(/^c\d+>(\d+)/.exec(body)?.[1]) };
    case 'reply':
    case 'wake':
      return { ...parsed, kind: word };
    case 'nemesis':
    case 'inject':
      return { ...parsed, kind: word, fault: parseFault(body) };
    case 'liveness':
      return { ...parsed, kind: 'liveness', fault: { kind: 'heal-all', node: null, text: body } };
    default:
      throw new Error(`transcript: unknown event "${word}" in line: ${line}`);
  }
}

/**
 * Why a delivery or request line's event did not run at its node: 'down' (lost) or 'paused'
 * (deferred until the pause ends); null when it ran.
 */
export function notTakenOf(text: string): string | null {
  const match = / (lost:down|deferred:paused)$/.exec(text);
  return match === null ? null : match[1].split(':')[1];
}
