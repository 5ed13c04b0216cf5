// A durable run's trace, in the same RunTrace the in-memory app records, so the timeline, the
// event log and the checkers draw it with the same code. It is built from the simulator's
// transcript lines (DurableSimulation.onLine) and from the batches the nodes answered while each
// line's event ran (their messages, the engine's own message objects, and their log lines). Lines
// the in-memory grammar lacks are read here: `boot <node>` (a node's first start), `disk full|freed
// <node>` (a disk filling up), the `converged` note, and the HashiCorp-style engine's RPCs
// (`3->1 #251 AppendEntriesRequest term=10 ...`, as describeRpc writes them) where etcd's
// messages would stand.
import type { LogLine } from '../../engines/etcd/batch';
import type { NodeId } from '../../raft/types';
import { describeRpc } from '../../engines/hashicorp/types';
import { isRpcMessage, type WireMessage } from '../../sim/durable/node-driver';
import type { EngineLogLevel } from '../../sim/engine-log';
import { traceEngineLogLinesMax, type FaultMarker, type RunTrace } from '../model/run-trace';
import {
  notTakenOf,
  parseTranscriptLine,
  type MessageText,
  type ParsedLine,
  type SentMessage,
} from '../model/transcript-events';
import type { NodeState } from '../model/node-state';

/** One batch a node answered: what it sent and logged. */
export interface AnsweredBatch {
  node: NodeId;
  messages: readonly WireMessage[];
  logLines: readonly LogLine[];
}

export type DurableLineKind = 'event' | 'inject' | 'note';

const engineLevels: ReadonlySet<string> = new Set(['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']);

/** The second word of a transcript line (`<ms> <word> ...`). */
function wordOf(line: string): string {
  const rest = line.slice(line.indexOf(' ') + 1);
  const space = rest.indexOf(' ');
  return space < 0 ? rest : rest.slice(0, space);
}

/** Whether a line is an event, a person's injection, or a note beside the events. */
export function durableLineKind(line: string): DurableLineKind {
  const word = wordOf(line);
  if (word === 'inject') return 'inject';
  return word === 'converged' ? 'note' : 'event';
}

const rpcPattern = /^(\d+)->(\d+) #\d+ (\w+)(?: term=(\d+))?/;
const rpcFatePattern = / (lost:\S+|@[\d,@]+)$/;

/** An RPC as describeRpc writes it; null when the text is not one. */
function parseRpc(text: string): MessageText | null {
  const match = rpcPattern.exec(text);
  if (match === null) return null;
  const [, from, to, type, term] = match;
  return { type, from: Number(from), to: Number(to), term: Number(term ?? 0) };
}

function parseSentRpc(fragment: string, line: string): SentMessage | null {
  const rpc = parseRpc(fragment);
  if (rpc === null) return null;
  const fate = rpcFatePattern.exec(fragment)?.[1];
  if (fate === undefined)
    throw new Error(`transcript: no delivery in "${fragment}" of line: ${line}`);
  const lost = fate.startsWith('lost:');
  return {
    ...rpc,
    deliverAtMs: lost ? [] : fate.slice(1).split(',@').map(Number),
    lostBecause: lost ? fate.slice('lost:'.length) : null,
  };
}

/**
 * Parses a durable transcript line: the in-memory grammar plus `boot` and `disk` events and the
 * HashiCorp-style engine's RPCs (read here; the rest of the line goes to the shared grammar).
 */
export function parseDurableLine(line: string): ParsedLine {
  const [head, ...fragments] = line.split(' | ');
  const rpcs = fragments.map((fragment) => parseSentRpc(fragment, line));
  const delivered =
    wordOf(head) === 'deliver' ? parseRpc(head.split(' ').slice(2).join(' ')) : null;
  if (delivered === null && rpcs.every((rpc) => rpc === null)) return parseEtcdLine(line);
  // The rest in the shared grammar: a delivery read as a tick at its node, the RPCs left out.
  const shared = [
    delivered === null ? head : `${head.split(' ')[0]} tick ${delivered.to}`,
    ...fragments.filter((_, i) => rpcs[i] === null),
  ].join(' | ');
  const parsed = parseEtcdLine(shared);
  const sent = rpcs.filter((rpc) => rpc !== null);
  if (delivered === null) return { ...parsed, sent };
  return {
    ...parsed,
    kind: 'deliver',
    node: delivered.to,
    delivered,
    notTaken: notTakenOf(head),
    sent,
  };
}

/** The in-memory grammar plus `boot` and `disk` events. */
function parseEtcdLine(line: string): ParsedLine {
  const word = wordOf(line);
  if (word !== 'boot' && word !== 'disk') return parseTranscriptLine(line);
  // Read the messages and fates with the shared grammar, as if the line were a tick.
  const [head] = line.split(' | ');
  const fields = head.split(' ');
  const parsed = parseTranscriptLine(line.replace(` ${word} `, ' tick '));
  if (word === 'boot') return { ...parsed, kind: 'nemesis', node: Number(fields[2]), fault: null };
  const node = Number(fields[3]);
  const text = `disk ${fields.slice(2).join(' ')}`;
  // A full disk stops its node like a crash; a freed one lets it restart.
  return {
    ...parsed,
    kind: 'nemesis',
    node,
    fault: { kind: fields[2] === 'full' ? 'crash' : 'restart', node, text },
  };
}

/** Adds a line's event (or injection) to the trace: the messages it sent, its faults, the engines' lines. */
export function recordLine(
  trace: RunTrace,
  line: string,
  eventCount: number,
  batches: readonly AnsweredBatch[],
  kind: Exclude<DurableLineKind, 'note'>,
): void {
  const parsed = parseDurableLine(line);
  const { timeMs } = parsed;
  if (kind === 'event')
    trace.events.push({ eventCount, timeMs, kind: parsed.kind, node: parsed.node, line });
  if (parsed.fault !== null) {
    const marker: FaultMarker = {
      ...parsed.fault,
      eventCount,
      timeMs,
      injected: kind === 'inject',
    };
    trace.faults.push(marker);
  }
  const messages = batches.flatMap((batch) => batch.messages);
  // The line lists each message the batches sent, in order; pair them when the counts agree.
  const paired = messages.length === parsed.sent.length;
  parsed.sent.forEach((sent, i) => {
    const base = {
      type: sent.type,
      from: sent.from,
      to: sent.to,
      term: sent.term,
      sentEvent: eventCount,
      sentMs: timeMs,
    };
    // The event log describes etcd's messages; an RPC is described by its transcript text.
    const wire = paired ? messages[i] : null;
    const message = wire === null || isRpcMessage(wire) ? null : wire;
    const rpcText = wire !== null && isRpcMessage(wire) ? { text: describeRpc(wire) } : {};
    if (sent.lostBecause !== null) {
      trace.addFlight({
        ...base,
        arriveMs: null,
        lostBecause: sent.lostBecause,
        copy: 0,
        flightId: null,
        message,
        ...rpcText,
        droppedAt: null,
      });
      return;
    }
    sent.deliverAtMs.forEach((arriveMs, copy) =>
      trace.addFlight({
        ...base,
        arriveMs,
        lostBecause: null,
        copy,
        flightId: null,
        message: copy === 0 ? message : null,
        ...(copy === 0 ? rpcText : {}),
        droppedAt: null,
      }),
    );
  });
  for (const batch of batches) {
    for (const logLine of batch.logLines) {
      // Past the bound the trace stops keeping engine lines, as the in-memory app's does.
      if (trace.engineLog.length >= traceEngineLogLinesMax) return;
      const level = (engineLevels.has(logLine.level) ? logLine.level : 'INFO') as EngineLogLevel;
      trace.engineLog.push({ eventCount, timeMs, node: batch.node, level, text: logLine.text });
    }
  }
}

/** Roles, terms and commit indexes as last recorded, to add only their changes to the trace. */
export class RoleFollower {
  private roles = new Map<NodeId, { role: NodeState['role']; term: number }>();
  private commits = new Map<NodeId, number>();

  /** Forgets what it saw (a fresh run from event 0). */
  reset(nodes: readonly NodeState[]): void {
    this.roles = new Map(nodes.map((node) => [node.id, { role: node.role, term: node.term }]));
    this.commits = new Map(nodes.map((node) => [node.id, node.commit]));
  }

  /** Notes the changes since the last call; `trace` (when given) records them at eventCount. */
  follow(
    nodes: readonly NodeState[],
    at: { eventCount: number; timeMs: number },
    trace: RunTrace | null,
  ): void {
    for (const node of nodes) {
      if (this.commits.get(node.id) !== node.commit) {
        this.commits.set(node.id, node.commit);
        trace?.commitChanges.push({ ...at, node: node.id, commit: node.commit });
      }
      const before = this.roles.get(node.id);
      if (before !== undefined && before.role === node.role && before.term === node.term) continue;
      this.roles.set(node.id, { role: node.role, term: node.term });
      if (trace === null) continue;
      trace.roleChanges.push({ ...at, node: node.id, role: node.role, term: node.term });
      if (before?.role !== node.role) {
        const text =
          node.role === 'down'
            ? `${node.id} is down`
            : `${node.id} became ${node.role} at term ${node.term}`;
        trace.notes.push({ ...at, node: node.id, text });
      }
    }
  }
}
