// Compact one-line descriptions for the run transcript. They carry every field that decides
// what a node does next, so equal transcripts mean equal runs. Each is written piece by piece
// into a TextSink (the transcript's bytes, without building strings: this runs for every
// message) and has a string form built from the same code, so the two cannot differ.
import { MessageType, type Message } from '../raft/types';
import type { Delivery } from './network/faulty-network';
import type { ClientRequest, NodeReply } from './process/kv-node';
import { TextBuilder, type TextSink } from './transcript';
import type { KvCommand } from './workload/kv-codec';

function built(write: (sink: TextSink) => void): string {
  const builder = new TextBuilder();
  write(builder);
  return builder.value;
}

/** The message types' names, by value (the enum's reverse mapping, looked up once). */
const messageTypeNames: string[] = [];
for (const [name, value] of Object.entries(MessageType))
  if (typeof value === 'number') messageTypeNames[value] = name;

export function writeSimMessage(sink: TextSink, message: Message): void {
  sink.text(messageTypeNames[message.type] ?? String(message.type));
  sink.text(' ');
  sink.int(message.from);
  sink.text('>');
  sink.int(message.to);
  sink.text(' t');
  sink.int(message.term);
  sink.text(' lt');
  sink.int(message.logTerm);
  sink.text(' i');
  sink.int(message.index);
  sink.text(' c');
  sink.int(message.commit);
  if (message.entries.length > 0) {
    sink.text(' n');
    sink.int(message.entries.length);
  }
  if (message.reject) {
    sink.text(' rej');
    sink.int(message.rejectHint);
  }
  if (message.snapshot !== null) {
    sink.text(' snap');
    sink.int(message.snapshot.metadata.index);
  }
}

export function describeSimMessage(message: Message): string {
  return built((sink) => writeSimMessage(sink, message));
}

export function writeDelivery(sink: TextSink, delivery: Delivery): void {
  const times = delivery.deliverAtMs;
  if (times.length === 0) {
    sink.text('lost:');
    sink.text(String(delivery.lostBecause));
    return;
  }
  sink.text('@');
  sink.int(times[0]);
  for (let i = 1; i < times.length; i++) {
    sink.text(',@');
    sink.int(times[i]);
  }
}

export function describeDelivery(delivery: Delivery): string {
  return built((sink) => writeDelivery(sink, delivery));
}

export function writeCommand(sink: TextSink, command: KvCommand): void {
  switch (command.f) {
    case 'get':
      sink.text('get ');
      sink.text(command.key);
      return;
    case 'put':
      sink.text('put ');
      sink.text(command.key);
      sink.text(' ');
      sink.text(command.value);
      return;
    case 'cas':
      sink.text('cas ');
      sink.text(command.key);
      sink.text(' ');
      sink.text(command.from ?? 'nil');
      sink.text(' ');
      sink.text(command.to);
      return;
  }
}

export function describeCommand(command: KvCommand): string {
  return built((sink) => writeCommand(sink, command));
}

export function writeRequest(sink: TextSink, request: ClientRequest): void {
  sink.text('r');
  sink.int(request.requestId);
  sink.text(' ');
  writeCommand(sink, request.command);
}

export function describeRequest(request: ClientRequest): string {
  return built((sink) => writeRequest(sink, request));
}

export function writeReply(sink: TextSink, reply: NodeReply): void {
  sink.text('r');
  sink.int(reply.requestId);
  if (reply.kind === 'redirect') {
    sink.text(' redirect ');
    sink.int(reply.leader);
    return;
  }
  const result = reply.result;
  switch (result.f) {
    case 'get':
      sink.text(' ok ');
      sink.text(result.value ?? 'nil');
      return;
    case 'put':
      sink.text(' ok');
      return;
    case 'cas':
      sink.text(result.swapped ? ' ok' : ' mismatch');
      return;
  }
}

export function describeReply(reply: NodeReply): string {
  return built((sink) => writeReply(sink, reply));
}
