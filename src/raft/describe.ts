// Human-readable descriptions of the engine's data, byte for byte as etcd's util.go prints them:
// the golden transcripts, the CLI and the app's event log all use these.
import { localAppendThread, localApplyThread } from './config';
import {
  asV2,
  confChangesToString,
  unmarshalConfChange,
  unmarshalConfChangeV2,
} from './encoding/conf-change';
import { goQuote } from './go-quote';
import { stateTypeString, type ReadState, type Ready, type SoftState } from './ready';
import {
  EntryType,
  MessageType,
  NONE,
  isEmptyHardState,
  isEmptySnapshot,
  type ConfState,
  type Entry,
  type HardState,
  type Message,
  type NodeId,
  type Snapshot,
} from './types';

export { goQuote };

/** Formats an entry's payload; the default is Go's %q of the bytes. */
export type EntryFormatter = (data: Uint8Array) => string;

const emptyBytes = new Uint8Array(0);

/** The protobuf name of a message type ("MsgApp"), or its number if unknown, as Go prints it. */
export function messageTypeString(type: MessageType): string {
  return MessageType[type] ?? String(type);
}

/** The protobuf name of an entry type ("EntryNormal"), or its number if unknown. */
export function entryTypeString(type: EntryType): string {
  return EntryType[type] ?? String(type);
}

/** Go's %v of a []uint64: `[1 2 3]`. */
function formatIds(ids: readonly number[]): string {
  return `[${ids.join(' ')}]`;
}

/** Go's %v of a []byte: the decimal bytes, `[104 105]`. */
function formatBytesDecimal(bytes: Uint8Array | null): string {
  return `[${bytes === null ? '' : Array.from(bytes).join(' ')}]`;
}

export function describeHardState(state: HardState): string {
  let text = `Term:${state.term}`;
  if (state.vote !== 0) text += ` Vote:${state.vote}`;
  return `${text} Commit:${state.commit}`;
}

export function describeSoftState(state: SoftState): string {
  return `Lead:${state.lead} State:${stateTypeString(state.raftState)}`;
}

export function describeConfState(state: ConfState): string {
  return (
    `Voters:${formatIds(state.voters)} VotersOutgoing:${formatIds(state.votersOutgoing)} ` +
    `Learners:${formatIds(state.learners)} LearnersNext:${formatIds(state.learnersNext)} ` +
    `AutoLeave:${state.autoLeave}`
  );
}

export function describeSnapshot(snapshot: Snapshot): string {
  const metadata = snapshot.metadata;
  return `Index:${metadata.index} Term:${metadata.term} ConfState:${describeConfState(metadata.confState)}`;
}

/** Go's %v of []ReadState: `[{5 [104 105]} ...]`. */
function formatReadStates(states: readonly ReadState[]): string {
  return `[${states.map((state) => `{${state.index} ${formatBytesDecimal(state.requestCtx)}}`).join(' ')}]`;
}

/** A multi-line description of a Ready, or `<empty Ready>` when it holds nothing. */
export function describeReady(ready: Ready, formatter?: EntryFormatter): string {
  let text = '';
  if (ready.softState !== null) text += `${describeSoftState(ready.softState)}\n`;
  if (!isEmptyHardState(ready.hardState)) {
    text += `HardState ${describeHardState(ready.hardState)}\n`;
  }
  if (ready.readStates.length > 0) text += `ReadStates ${formatReadStates(ready.readStates)}\n`;
  if (ready.entries.length > 0) {
    text += 'Entries:\n';
    text += describeEntries(ready.entries, formatter);
  }
  if (!isEmptySnapshot(ready.snapshot)) text += `Snapshot ${describeSnapshot(ready.snapshot)}\n`;
  if (ready.committedEntries.length > 0) {
    text += 'CommittedEntries:\n';
    text += describeEntries(ready.committedEntries, formatter);
  }
  if (ready.messages.length > 0) {
    text += 'Messages:\n';
    for (const message of ready.messages) text += `${describeMessage(message, formatter)}\n`;
  }
  if (text.length > 0) return `Ready MustSync=${ready.mustSync}:\n${text}`;
  return '<empty Ready>';
}

/** A concise description of a message, e.g. `1->2 MsgApp Term:1 Log:1/2 Commit:2 Entries:[...]`. */
export function describeMessage(message: Message, formatter?: EntryFormatter): string {
  return describeMessageWithIndent('', message, formatter);
}

function describeMessageEntries(
  indent: string,
  entries: readonly Entry[],
  formatter?: EntryFormatter,
): string {
  if (entries.length === 1) return ` Entries:[${describeEntry(entries[0], formatter)}]`;
  if (entries.length === 0) return '';
  let text = ' Entries:[';
  for (const entry of entries) text += `\n${indent}  ${describeEntry(entry, formatter)}`;
  return `${text}\n${indent}]`;
}

function describeMessageWithIndent(
  indent: string,
  message: Message,
  formatter?: EntryFormatter,
): string {
  let text =
    `${indent}${describeTarget(message.from)}->${describeTarget(message.to)} ` +
    `${messageTypeString(message.type)} Term:${message.term} Log:${message.logTerm}/${message.index}`;
  if (message.reject) text += ` Rejected (Hint: ${message.rejectHint})`;
  if (message.commit !== 0) text += ` Commit:${message.commit}`;
  if (message.vote !== 0) text += ` Vote:${message.vote}`;
  text += describeMessageEntries(indent, message.entries, formatter);
  if (message.snapshot !== null && !isEmptySnapshot(message.snapshot)) {
    text += `\n${indent}  Snapshot: ${describeSnapshot(message.snapshot)}`;
  }
  if (message.responses.length > 0) {
    text += ' Responses:[';
    for (const response of message.responses) {
      text += `\n${describeMessageWithIndent(`${indent}  `, response, formatter)}`;
    }
    text += `\n${indent}]`;
  }
  return text;
}

/** A message endpoint: `None`, the local storage threads by name, any other id in hex. */
export function describeTarget(id: NodeId): string {
  switch (id) {
    case NONE:
      return 'None';
    case localAppendThread:
      return 'AppendThread';
    case localApplyThread:
      return 'ApplyThread';
    default:
      return id.toString(16);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function formatEntryPayload(entry: Entry, formatter: EntryFormatter): string {
  const data = entry.data ?? emptyBytes;
  switch (entry.type) {
    case EntryType.EntryNormal:
      return formatter(data);
    case EntryType.EntryConfChange:
      try {
        return confChangesToString(asV2(unmarshalConfChange(data)).changes);
      } catch (error) {
        return errorText(error);
      }
    case EntryType.EntryConfChangeV2:
      try {
        return confChangesToString(asV2(unmarshalConfChangeV2(data)).changes);
      } catch (error) {
        return errorText(error);
      }
    default:
      return '';
  }
}

/** A concise description of an entry: `term/index Type payload`, e.g. `1/3 EntryNormal ""`. */
export function describeEntry(entry: Entry, formatter: EntryFormatter = goQuote): string {
  const formatted = formatEntryPayload(entry, formatter);
  const suffix = formatted === '' ? '' : ` ${formatted}`;
  return `${entry.term}/${entry.index} ${entryTypeString(entry.type)}${suffix}`;
}

/** Every entry's description, each followed by a newline. */
export function describeEntries(entries: readonly Entry[], formatter?: EntryFormatter): string {
  let text = '';
  for (const entry of entries) text += `${describeEntry(entry, formatter)}\n`;
  return text;
}
