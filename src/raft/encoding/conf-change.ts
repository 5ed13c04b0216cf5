// raftpb's confchange.go and the ConfChange/ConfChangeV2 codecs, byte for byte as gogoproto
// writes them: etcd's conf-change entries carry these bytes, and their sizes count in flow control.
import { RaftPanic } from '../logger';
import {
  ConfChangeTransition,
  ConfChangeType,
  EntryType,
  type ConfChange,
  type ConfChangeSingle,
  type ConfChangeV2,
} from '../types';
import { expectWireType, ProtoReader, WireType } from './proto-reader';
import { varintSize, writeVarint } from './varint';

export { ProtoDecodeError } from './proto-reader';

/** Either kind of configuration change (raftpb's ConfChangeI). */
export type ConfChangeI = ConfChange | ConfChangeV2;

export function isConfChangeV2(cc: ConfChangeI): cc is ConfChangeV2 {
  return 'changes' in cc;
}

/** The V2 change carrying out the same operation (a V2 change is returned as is). */
export function asV2(cc: ConfChangeI): ConfChangeV2 {
  if (isConfChangeV2(cc)) return cc;
  return {
    transition: ConfChangeTransition.ConfChangeTransitionAuto,
    changes: [{ type: cc.type, nodeId: cc.nodeId }],
    context: cc.context,
  };
}

/** The legacy change, or null for a V2 change. */
export function asV1(cc: ConfChangeI): ConfChange | null {
  return isConfChangeV2(cc) ? null : cc;
}

/**
 * Whether the V2 change uses joint consensus (`ok`): it has more than one change or asks for a
 * joint transition explicitly. `autoLeave` says whether Raft leaves the joint state by itself.
 */
export function enterJoint(cc: ConfChangeV2): { autoLeave: boolean; ok: boolean } {
  // More changes could qualify for the simple protocol depending on the config they apply to;
  // etcd keeps it simple and uses joint consensus for every multi-change.
  if (cc.transition === ConfChangeTransition.ConfChangeTransitionAuto && cc.changes.length <= 1) {
    return { autoLeave: false, ok: false };
  }
  switch (cc.transition) {
    case ConfChangeTransition.ConfChangeTransitionAuto:
    case ConfChangeTransition.ConfChangeTransitionJointImplicit:
      return { autoLeave: true, ok: true };
    case ConfChangeTransition.ConfChangeTransitionJointExplicit:
      return { autoLeave: false, ok: true };
    default:
      throw new RaftPanic(`unknown transition: ${describeConfChangeV2(cc)}`);
  }
}

/** Whether the V2 change leaves a joint config: it is empty apart from its context. */
export function leaveJoint(cc: ConfChangeV2): boolean {
  return cc.transition === ConfChangeTransition.ConfChangeTransitionAuto && cc.changes.length === 0;
}

/** Go's proto enum String: the name, or the number for a value outside the enum. */
export function confChangeTypeString(type: ConfChangeType): string {
  return ConfChangeType[type] ?? String(type);
}

export function confChangeTransitionString(transition: ConfChangeTransition): string {
  return ConfChangeTransition[transition] ?? String(transition);
}

/** Go's %+v of a ConfChangeV2 pointer, for panic messages. */
function describeConfChangeV2(cc: ConfChangeV2): string {
  const changes = cc.changes
    .map((change) => `{Type:${confChangeTypeString(change.type)} NodeID:${change.nodeId}}`)
    .join(' ');
  const context = cc.context === null ? '' : Array.from(cc.context).join(' ');
  return `&{Transition:${confChangeTransitionString(cc.transition)} Changes:[${changes}] Context:[${context}]}`;
}

/**
 * Parses etcd's space-separated change syntax: `vN` makes N a voter, `lN` a learner, `rN`
 * removes N and `uN` updates N. Throws an Error with Go's message on bad input.
 */
export function confChangesFromString(text: string): ConfChangeSingle[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const changes: ConfChangeSingle[] = [];
  for (const token of trimmed.split(' ')) {
    if (token.length < 2) throw new Error(`unknown token ${token}`);
    let type: ConfChangeType;
    switch (token[0]) {
      case 'v':
        type = ConfChangeType.ConfChangeAddNode;
        break;
      case 'l':
        type = ConfChangeType.ConfChangeAddLearnerNode;
        break;
      case 'r':
        type = ConfChangeType.ConfChangeRemoveNode;
        break;
      case 'u':
        type = ConfChangeType.ConfChangeUpdateNode;
        break;
      default:
        throw new Error(`unknown input: ${token}`);
    }
    changes.push({ type, nodeId: parseUint64(token.slice(1)) });
  }
  return changes;
}

/** The inverse of confChangesFromString. */
export function confChangesToString(changes: readonly ConfChangeSingle[]): string {
  return changes.map((change) => `${changeLetter(change.type)}${change.nodeId}`).join(' ');
}

function changeLetter(type: ConfChangeType): string {
  switch (type) {
    case ConfChangeType.ConfChangeAddNode:
      return 'v';
    case ConfChangeType.ConfChangeAddLearnerNode:
      return 'l';
    case ConfChangeType.ConfChangeRemoveNode:
      return 'r';
    case ConfChangeType.ConfChangeUpdateNode:
      return 'u';
    default:
      return 'unknown';
  }
}

/**
 * Go's strconv.ParseUint(text, 10, 64), with its error texts. Values beyond 2^53-1 (which a
 * Number cannot hold exactly) are reported as out of range, like values beyond 2^64-1 in Go.
 */
export function parseUint64(text: string): number {
  if (!/^[0-9]+$/.test(text)) {
    throw new Error(`strconv.ParseUint: parsing ${goQuote(text)}: invalid syntax`);
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new Error(`strconv.ParseUint: parsing ${goQuote(text)}: value out of range`);
  }
  return value;
}

/** Go's %q of a string (strconv.Quote) for the characters a test file may contain. */
export function goQuote(text: string): string {
  let quoted = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '"' || char === '\\') quoted += `\\${char}`;
    else if (char === '\n') quoted += '\\n';
    else if (char === '\t') quoted += '\\t';
    else if (char === '\r') quoted += '\\r';
    else if (code < 0x20 || code === 0x7f) quoted += `\\x${code.toString(16).padStart(2, '0')}`;
    else quoted += char;
  }
  return quoted + '"';
}

// ---- Encoding. Non-nullable fields are always written, even when zero; bytes fields only when
// not null (Go's nil). Fields appear in field-number order.

function writeBytesField(out: number[], key: number, bytes: Uint8Array): void {
  out.push(key);
  writeVarint(out, bytes.length);
  for (const byte of bytes) out.push(byte);
}

function writeEnum(out: number[], key: number, value: number, field: string): void {
  if (!(Number.isSafeInteger(value) && value >= 0)) {
    throw new RaftPanic(`marshal: ${field} must be a non-negative integer, got ${value}`);
  }
  out.push(key);
  writeVarint(out, value);
}

/**
 * raftpb.ConfChange.Marshal: id (field 1), type (2), node_id (3), context (4, only when not
 * null).
 */
export function marshalConfChange(cc: ConfChange): Uint8Array {
  const out: number[] = [];
  writeEnum(out, 0x08, cc.id, 'ConfChange.ID');
  writeEnum(out, 0x10, cc.type, 'ConfChange.Type');
  writeEnum(out, 0x18, cc.nodeId, 'ConfChange.NodeID');
  if (cc.context !== null) writeBytesField(out, 0x22, cc.context);
  return Uint8Array.from(out);
}

function marshalConfChangeSingle(out: number[], change: ConfChangeSingle): void {
  writeEnum(out, 0x08, change.type, 'ConfChangeSingle.Type');
  writeEnum(out, 0x10, change.nodeId, 'ConfChangeSingle.NodeID');
}

/** raftpb.ConfChangeV2.Marshal: transition (1), changes (2, each a message), context (3). */
export function marshalConfChangeV2(cc: ConfChangeV2): Uint8Array {
  const out: number[] = [];
  writeEnum(out, 0x08, cc.transition, 'ConfChangeV2.Transition');
  for (const change of cc.changes) {
    const single: number[] = [];
    marshalConfChangeSingle(single, change);
    writeBytesField(out, 0x12, Uint8Array.from(single));
  }
  if (cc.context !== null) writeBytesField(out, 0x1a, cc.context);
  return Uint8Array.from(out);
}

/** The encoded size of a ConfChange, without encoding it. */
export function confChangeSize(cc: ConfChange): number {
  let size = 3 + varintSize(cc.id) + varintSize(cc.type) + varintSize(cc.nodeId);
  if (cc.context !== null) size += 1 + varintSize(cc.context.length) + cc.context.length;
  return size;
}

/**
 * raftpb's MarshalConfChange: the entry type and data for a conf-change entry. A null change
 * stands for Go's nil: an EntryConfChangeV2 with no data (an empty V2 change, which leaves a
 * joint config).
 */
export function marshalConfChangeI(cc: ConfChangeI): { type: EntryType; data: Uint8Array };
export function marshalConfChangeI(cc: ConfChangeI | null): {
  type: EntryType;
  data: Uint8Array | null;
};
export function marshalConfChangeI(cc: ConfChangeI | null): {
  type: EntryType;
  data: Uint8Array | null;
} {
  if (cc === null) return { type: EntryType.EntryConfChangeV2, data: null };
  if (isConfChangeV2(cc))
    return { type: EntryType.EntryConfChangeV2, data: marshalConfChangeV2(cc) };
  return { type: EntryType.EntryConfChange, data: marshalConfChange(cc) };
}

// ---- Decoding (gogoproto's Unmarshal): unknown fields are skipped, repeated scalar fields keep
// the last value, a present bytes field is never null (even when empty).

/** raftpb.ConfChange.Unmarshal; throws ProtoDecodeError on malformed data. */
export function unmarshalConfChange(data: Uint8Array): ConfChange {
  const cc: ConfChange = { type: 0, nodeId: 0, context: null, id: 0 };
  const reader = new ProtoReader(data);
  while (!reader.done()) {
    const { fieldNumber, wireType } = reader.key('ConfChange');
    switch (fieldNumber) {
      case 1:
        expectWireType(wireType, WireType.Varint, 'ID');
        cc.id = reader.varint();
        break;
      case 2:
        expectWireType(wireType, WireType.Varint, 'Type');
        cc.type = reader.varint();
        break;
      case 3:
        expectWireType(wireType, WireType.Varint, 'NodeID');
        cc.nodeId = reader.varint();
        break;
      case 4:
        expectWireType(wireType, WireType.LengthDelimited, 'Context');
        cc.context = reader.lengthDelimited().slice();
        break;
      default:
        reader.skip(wireType);
    }
  }
  return cc;
}

function unmarshalConfChangeSingle(data: Uint8Array): ConfChangeSingle {
  const change: ConfChangeSingle = { type: 0, nodeId: 0 };
  const reader = new ProtoReader(data);
  while (!reader.done()) {
    const { fieldNumber, wireType } = reader.key('ConfChangeSingle');
    if (fieldNumber === 1) {
      expectWireType(wireType, WireType.Varint, 'Type');
      change.type = reader.varint();
    } else if (fieldNumber === 2) {
      expectWireType(wireType, WireType.Varint, 'NodeID');
      change.nodeId = reader.varint();
    } else {
      reader.skip(wireType);
    }
  }
  return change;
}

/** raftpb.ConfChangeV2.Unmarshal; throws ProtoDecodeError on malformed data. */
export function unmarshalConfChangeV2(data: Uint8Array): ConfChangeV2 {
  const cc: ConfChangeV2 = { transition: 0, changes: [], context: null };
  const reader = new ProtoReader(data);
  while (!reader.done()) {
    const { fieldNumber, wireType } = reader.key('ConfChangeV2');
    switch (fieldNumber) {
      case 1:
        expectWireType(wireType, WireType.Varint, 'Transition');
        cc.transition = reader.varint();
        break;
      case 2:
        expectWireType(wireType, WireType.LengthDelimited, 'Changes');
        cc.changes.push(unmarshalConfChangeSingle(reader.lengthDelimited()));
        break;
      case 3:
        expectWireType(wireType, WireType.LengthDelimited, 'Context');
        cc.context = reader.lengthDelimited().slice();
        break;
      default:
        reader.skip(wireType);
    }
  }
  return cc;
}
