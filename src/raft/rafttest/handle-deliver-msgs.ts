// deliver-msgs: deliver (or, with drop=, discard) the in-flight messages addressed to the given
// nodes, in the order they were sent (etcd's handleDeliverMsgs).
//
//   deliver-msgs <id>... [drop=(<id>,...)] [type=MsgApp]
import { describeMessage } from '../describe';
import { RaftError } from '../errors';
import { MessageType, type Message, type NodeId } from '../types';
import { HarnessFatal, parseUintStrict, scanUint, type CommandArg } from './command-args';
import { defaultEntryFormatter } from './entry-formatter';
import type { InteractionEnv } from './interaction-env';
import { isLocalDelivery } from './local-targets';

export interface Recipient {
  id: NodeId;
  drop: boolean;
}

/** Every message type, or one type only. */
export type MessageTypeFilter = MessageType | 'all';

export function handleDeliverMsgs(env: InteractionEnv, args: CommandArg[]): void {
  let type: MessageTypeFilter = 'all';
  const recipients: Recipient[] = [];
  for (const arg of args) {
    if (arg.vals.length === 0) recipients.push({ id: parseUintStrict(arg.key), drop: false });
    for (let i = 0; i < arg.vals.length; i++) {
      if (arg.key === 'drop') {
        const id = scanUint(arg, i);
        if (recipients.some((recipient) => recipient.id === id)) {
          throw new HarnessFatal(`can't both deliver and drop msgs to ${id}`);
        }
        recipients.push({ id, drop: true });
      } else if (arg.key === 'type') {
        type = parseMessageType(arg.vals[i]);
      }
    }
  }
  if (deliverMsgs(env, type, recipients) === 0) env.output.write('no messages\n');
}

function parseMessageType(name: string): MessageType {
  const value: unknown = (MessageType as unknown as Record<string, unknown>)[name];
  if (typeof value !== 'number') throw new HarnessFatal(`unknown message type ${name}`);
  return value as MessageType;
}

/**
 * Delivers or drops the messages of the given type to each recipient in turn and removes them
 * from the network; returns how many were handled.
 */
export function deliverMsgs(
  env: InteractionEnv,
  type: MessageTypeFilter,
  recipients: Recipient[],
): number {
  let handled = 0;
  for (const recipient of recipients) {
    const { matching, remainder } = splitMsgs(env.messages, recipient.id, type, recipient.drop);
    env.messages = remainder;
    handled += matching.length;
    for (const m of matching) {
      if (recipient.drop) env.output.write('dropped: ');
      env.output.write(`${describeMessage(m, defaultEntryFormatter)}\n`);
      // Messages to nodes that do not exist yet may be dropped, but not delivered.
      if (recipient.drop) continue;
      stepMessage(env, m);
    }
  }
  return handled;
}

function stepMessage(env: InteractionEnv, m: Message): void {
  const node = env.node(m.to - 1);
  try {
    node.rawNode.step(m);
  } catch (error) {
    if (!(error instanceof RaftError)) throw error;
    env.output.write(`${error.message}\n`);
  }
}

/**
 * Splits msgs into those to the given recipient of the given type and the rest, keeping order.
 * When dropping, messages that stay inside a node are never selected: they need reliable delivery.
 */
export function splitMsgs(
  msgs: Message[],
  to: NodeId,
  type: MessageTypeFilter,
  drop: boolean,
): { matching: Message[]; remainder: Message[] } {
  const matching: Message[] = [];
  const remainder: Message[] = [];
  for (const m of msgs) {
    const selected =
      m.to === to && !(drop && isLocalDelivery(m)) && (type === 'all' || m.type === type);
    (selected ? matching : remainder).push(m);
  }
  return { matching, remainder };
}
