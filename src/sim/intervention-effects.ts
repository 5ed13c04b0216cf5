// How each intervention (interventions.ts) changes a running simulation. Each returns the
// messages it made a node send (the simulation routes them like any others) and a note for the
// transcript when it could not do what it says (no leader, a message no longer in flight, ...).
import { ConfChangeType, type Message, type NodeId } from '../raft/types';
import {
  duplicateDelayMsMax,
  extraLatencyMsMax,
  type InterventionAction,
  type MembershipChange,
} from './interventions';
import type { NemesisAction } from './nemesis/plan';
import type { FaultyNetwork } from './network/faulty-network';
import type { KvNode } from './process/kv-node';
import type { Scheduled } from './event-queue';
import type { Workload } from './workload/clients';
import { createRandomStreams } from './random-streams';
import { keyBytesMax, valueBytesMax, type KvCommand } from './workload/kv-codec';

export interface InterventionContext {
  nowMs: number;
  nodeIds: readonly NodeId[];
  node(id: NodeId): KvNode;
  /** The up leader of the highest term, if any. */
  leader(): KvNode | null;
  network: FaultyNetwork;
  queue: {
    scheduled(): readonly Scheduled<{ kind: string; message?: Message }>[];
    remove(sequence: number): unknown;
    push(atMs: number, event: { kind: 'deliver'; message: Message }): Scheduled<unknown>;
  };
  workload: Workload;
}

export interface InterventionOutcome {
  /** Appended to the transcript line: empty when it did what it says, else " (why not)". */
  note: string;
  messages: Message[];
}

const done = (messages: Message[] = []): InterventionOutcome => ({ note: '', messages });
const refused = (why: string): InterventionOutcome => ({ note: ` (${why})`, messages: [] });

export function applyIntervention(
  context: InterventionContext,
  action: Exclude<InterventionAction, NemesisAction>,
): InterventionOutcome {
  switch (action.kind) {
    case 'campaign': {
      const node = context.node(action.node);
      return node.up ? done(node.campaign()) : refused('down');
    }
    case 'transfer-leadership': {
      assertNode(context, action.to);
      const leader = context.leader();
      if (leader === null) return refused('no leader');
      return done(leader.transferLeader(action.to));
    }
    case 'membership':
      return changeMembership(context, action.node, action.change);
    case 'drop-message':
      return context.queue.remove(deliveryOf(context, action.flightId)?.sequence ?? -1) ===
        undefined
        ? refused('not in flight')
        : done();
    case 'duplicate-message':
      return duplicate(context, action.flightId, action.delayMs);
    case 'cut-link':
    case 'restore-link':
      context.network.setLinkOverride(action.from, action.to, { cut: action.kind === 'cut-link' });
      return done();
    case 'link-faults':
      if (!(
        Number.isSafeInteger(action.extraLatencyMs) &&
        action.extraLatencyMs >= 0 &&
        action.extraLatencyMs <= extraLatencyMsMax
      ))
        throw new Error(`extraLatencyMs must be an integer in 0..${extraLatencyMsMax}`);
      context.network.setLinkOverride(action.from, action.to, {
        extraLatencyMs: action.extraLatencyMs,
        lossRatio: action.lossRatio,
      });
      return done();
    case 'client':
      assertCommand(action.command);
      return context.workload.invokeByHand(action.command) === null
        ? refused('every hand client is busy')
        : done();
    case 'fork-workload':
      if (!(Number.isSafeInteger(action.salt) && action.salt >= 0))
        throw new Error(`salt must be a non-negative integer, got ${action.salt}`);
      context.workload.reseed(createRandomStreams(action.salt).stream('fork/workload'));
      return done();
  }
}

function changeMembership(
  context: InterventionContext,
  node: NodeId,
  change: MembershipChange,
): InterventionOutcome {
  assertNode(context, node);
  const leader = context.leader();
  if (leader === null) return refused('no leader');
  const type = {
    'add-voter': ConfChangeType.ConfChangeAddNode,
    remove: ConfChangeType.ConfChangeRemoveNode,
    'add-learner': ConfChangeType.ConfChangeAddLearnerNode,
  }[change];
  const proposed = leader.proposeConfChange({ type, nodeId: node, context: null, id: 0 });
  return proposed.dropped
    ? { note: ' (dropped by the leader)', messages: proposed.messages }
    : done(proposed.messages);
}

function duplicate(
  context: InterventionContext,
  flightId: number,
  delayMs: number,
): InterventionOutcome {
  if (!(Number.isSafeInteger(delayMs) && delayMs >= 0 && delayMs <= duplicateDelayMsMax))
    throw new Error(`delayMs must be an integer in 0..${duplicateDelayMsMax}, got ${delayMs}`);
  const flight = deliveryOf(context, flightId);
  if (flight === undefined) return refused('not in flight');
  const message = flight.event.message!;
  const copy = { ...message, entries: message.entries.map((entry) => ({ ...entry })) };
  const queued = context.queue.push(flight.timeMs + delayMs, { kind: 'deliver', message: copy });
  return { note: ` as f${queued.sequence}`, messages: [] };
}

function deliveryOf(
  context: InterventionContext,
  flightId: number,
): Scheduled<{ kind: string; message?: Message }> | undefined {
  return context.queue
    .scheduled()
    .find((item) => item.sequence === flightId && item.event.kind === 'deliver');
}

function assertNode(context: InterventionContext, id: NodeId): void {
  if (!context.nodeIds.includes(id)) throw new Error(`no node ${id} in this cluster`);
}

function assertCommand(command: KvCommand): void {
  const texts = [command.key];
  if (command.f === 'put') texts.push(command.value);
  if (command.f === 'cas') texts.push(command.to, ...(command.from === null ? [] : [command.from]));
  if (command.key.length === 0) throw new Error('a client operation needs a key');
  for (const text of texts) {
    if (!/^[\x20-\x7e]*$/.test(text))
      throw new Error(`only printable ASCII, got ${JSON.stringify(text)}`);
    const max = text === command.key ? keyBytesMax : valueBytesMax;
    if (text.length > max) throw new Error(`"${text.slice(0, 20)}..." is longer than ${max} bytes`);
  }
}
