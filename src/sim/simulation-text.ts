// Compact one-line descriptions for the run transcript. They carry every field that decides
// what a node does next, so equal transcripts mean equal runs.
import { MessageType, type Message } from '../raft/types';
import type { Delivery } from './network/faulty-network';
import type { ClientRequest, NodeReply } from './process/kv-node';
import type { KvCommand } from './workload/kv-codec';

export function describeSimMessage(message: Message): string {
  let text = `${MessageType[message.type]} ${message.from}>${message.to} t${message.term}`;
  text += ` lt${message.logTerm} i${message.index} c${message.commit}`;
  if (message.entries.length > 0) text += ` n${message.entries.length}`;
  if (message.reject) text += ` rej${message.rejectHint}`;
  if (message.snapshot !== null) text += ` snap${message.snapshot.metadata.index}`;
  return text;
}

export function describeDelivery(delivery: Delivery): string {
  const times = delivery.deliverAtMs;
  if (times.length === 0) return `lost:${delivery.lostBecause}`;
  let text = `@${times[0]}`;
  for (let i = 1; i < times.length; i++) text += `,@${times[i]}`;
  return text;
}

export function describeCommand(command: KvCommand): string {
  switch (command.f) {
    case 'get':
      return `get ${command.key}`;
    case 'put':
      return `put ${command.key} ${command.value}`;
    case 'cas':
      return `cas ${command.key} ${command.from ?? 'nil'} ${command.to}`;
  }
}

export function describeRequest(request: ClientRequest): string {
  return `r${request.requestId} ${describeCommand(request.command)}`;
}

export function describeReply(reply: NodeReply): string {
  if (reply.kind === 'redirect') return `r${reply.requestId} redirect ${reply.leader}`;
  const result = reply.result;
  switch (result.f) {
    case 'get':
      return `r${reply.requestId} ok ${result.value ?? 'nil'}`;
    case 'put':
      return `r${reply.requestId} ok`;
    case 'cas':
      return `r${reply.requestId} ${result.swapped ? 'ok' : 'mismatch'}`;
  }
}
