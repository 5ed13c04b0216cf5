// The replicated state machine both engine hosts run: a small deterministic key-value store with
// put, get, compare-and-swap and delete per key. Commands travel in log entries as bytes, and the
// whole store serialises to bytes for snapshots. Keys are kept in a Map but always serialised and
// listed in sorted order, so two nodes that applied the same commands produce the same bytes.
//
// Command layout (big-endian): u8 op, then u32-length-prefixed UTF-8 strings:
//   put 0x01 key value | get 0x02 key | cas 0x03 key u8 hasExpected [expected] value | delete 0x04 key
// Snapshot layout: magic "RLKV", u32 version 1, u32 count, then count sorted (key, value) pairs.
import { ByteReader, decodeUtf8 } from '../storage/codec/byte-reader';
import { ByteWriter } from '../storage/codec/byte-writer';
import { DecodeError, decodeWith, type DecodeResult } from '../storage/codec/decode-error';
import { encodeUtf8 } from '../storage/codec/utf8';

/** Longest key, in UTF-8 bytes. */
export const kvKeyBytesMax = 1024;
/** Longest value, in UTF-8 bytes. */
export const kvValueBytesMax = 64 * 1024;
/** Most keys a store (and so a snapshot) may hold. */
export const kvKeysMax = 100_000;
export const kvSnapshotVersion = 1;

export type KvCommand =
  | { op: 'put'; key: string; value: string }
  | { op: 'get'; key: string }
  /** Sets `value` when the current value equals `expected` (null: the key is absent). */
  | { op: 'cas'; key: string; expected: string | null; value: string }
  | { op: 'delete'; key: string };

/**
 * What a command did. put: ok, value = the previous value; get: ok, value = the value; cas: ok =
 * swapped, value = the value before; delete: ok = the key existed, value = the previous value.
 */
export interface KvOutcome {
  ok: boolean;
  value: string | null;
}

const opCodes = { put: 1, get: 2, cas: 3, delete: 4 } as const;
const magic = encodeUtf8('RLKV');

export function encodeKvCommand(command: KvCommand): Uint8Array {
  const writer = new ByteWriter(16);
  writer.u8(opCodes[command.op]);
  writeString(writer, command.key, kvKeyBytesMax, 'key');
  if (command.op === 'put') writeString(writer, command.value, kvValueBytesMax, 'value');
  if (command.op === 'cas') {
    writer.u8(command.expected === null ? 0 : 1);
    if (command.expected !== null) writeString(writer, command.expected, kvValueBytesMax, 'expected value');
    writeString(writer, command.value, kvValueBytesMax, 'value');
  }
  return writer.finish();
}

export function decodeKvCommand(bytes: Uint8Array): DecodeResult<KvCommand> {
  return decodeWith(() => {
    const reader = new ByteReader(bytes);
    const op = reader.u8('kv op');
    const key = readString(reader, kvKeyBytesMax, 'key');
    let command: KvCommand;
    switch (op) {
      case opCodes.put:
        command = { op: 'put', key, value: readString(reader, kvValueBytesMax, 'value') };
        break;
      case opCodes.get:
        command = { op: 'get', key };
        break;
      case opCodes.cas: {
        const flagOffset = reader.offset;
        const hasExpected = reader.u8('cas expected flag');
        if (hasExpected > 1) reader.fail('invalid', flagOffset, `cas expected flag ${hasExpected} is not 0 or 1`);
        const expected = hasExpected === 1 ? readString(reader, kvValueBytesMax, 'expected value') : null;
        command = { op: 'cas', key, expected, value: readString(reader, kvValueBytesMax, 'value') };
        break;
      }
      case opCodes.delete:
        command = { op: 'delete', key };
        break;
      default:
        throw new DecodeError('invalid', 0, `unknown kv op ${op}`);
    }
    reader.expectEnd('kv command');
    return command;
  });
}

/** A one-line description for logs and transcripts. */
export function describeKvCommand(command: KvCommand): string {
  const quote = (text: string | null) => (text === null ? 'nil' : JSON.stringify(text));
  switch (command.op) {
    case 'put':
      return `put ${quote(command.key)}=${quote(command.value)}`;
    case 'get':
      return `get ${quote(command.key)}`;
    case 'cas':
      return `cas ${quote(command.key)} ${quote(command.expected)}->${quote(command.value)}`;
    case 'delete':
      return `delete ${quote(command.key)}`;
  }
}

export class KvStateMachine {
  private readonly values = new Map<string, string>();

  get size(): number {
    return this.values.size;
  }

  get(key: string): string | null {
    return this.values.get(key) ?? null;
  }

  apply(command: KvCommand): KvOutcome {
    const previous = this.get(command.key);
    switch (command.op) {
      case 'get':
        return { ok: true, value: previous };
      case 'put':
        this.set(command.key, command.value);
        return { ok: true, value: previous };
      case 'cas': {
        if (previous !== command.expected) return { ok: false, value: previous };
        this.set(command.key, command.value);
        return { ok: true, value: previous };
      }
      case 'delete':
        this.values.delete(command.key);
        return { ok: previous !== null, value: previous };
    }
  }

  /** Every key and value, sorted by key. */
  entries(): [string, string][] {
    return [...this.values.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** The store as snapshot bytes (sorted, so equal stores give equal bytes). */
  serialize(): Uint8Array {
    const writer = new ByteWriter(64);
    writer.raw(magic).u32(kvSnapshotVersion).u32(this.values.size);
    for (const [key, value] of this.entries()) {
      writeString(writer, key, kvKeyBytesMax, 'key');
      writeString(writer, value, kvValueBytesMax, 'value');
    }
    return writer.finish();
  }

  /** Replaces the content with a snapshot's; on a decode error the store is unchanged. */
  restore(bytes: Uint8Array): DecodeResult<void> {
    const decoded = decodeKvSnapshot(bytes);
    if (!decoded.ok) return decoded;
    this.values.clear();
    for (const [key, value] of decoded.value) this.values.set(key, value);
    return { ok: true, value: undefined };
  }

  private set(key: string, value: string): void {
    if (!this.values.has(key) && this.values.size >= kvKeysMax) {
      // Every node applies the same commands, so every node refuses alike: deterministic.
      throw new RangeError(`kv store is full: ${kvKeysMax} keys (kvKeysMax)`);
    }
    this.values.set(key, value);
  }
}

export function decodeKvSnapshot(bytes: Uint8Array): DecodeResult<[string, string][]> {
  return decodeWith(() => {
    const reader = new ByteReader(bytes);
    const head = reader.bytesOf(4, 'kv snapshot magic');
    if (!head.every((byte, i) => byte === magic[i])) reader.fail('invalid', 0, 'invalid kv snapshot magic');
    const version = reader.u32('kv snapshot version');
    if (version !== kvSnapshotVersion) reader.fail('invalid', 4, `unsupported kv snapshot version ${version}`);
    const count = reader.u32('kv snapshot count');
    if (count > kvKeysMax) reader.fail('too-large', 8, `kv snapshot count ${count} exceeds limit ${kvKeysMax}`);
    const pairs: [string, string][] = [];
    let previous: string | null = null;
    for (let i = 0; i < count; i++) {
      const offset = reader.offset;
      const key = readString(reader, kvKeyBytesMax, 'key');
      if (previous !== null && !(previous < key)) reader.fail('invalid', offset, 'kv snapshot keys are not sorted and unique');
      pairs.push([key, readString(reader, kvValueBytesMax, 'value')]);
      previous = key;
    }
    reader.expectEnd('kv snapshot');
    return pairs;
  });
}

function writeString(writer: ByteWriter, text: string, maxBytes: number, what: string): void {
  const bytes = encodeUtf8(text);
  if (bytes.length > maxBytes) throw new RangeError(`${what} of ${bytes.length} bytes exceeds ${maxBytes}`);
  writer.lengthPrefixedBytes(bytes);
}

function readString(reader: ByteReader, maxBytes: number, what: string): string {
  const offset = reader.offset + 4;
  return decodeUtf8(reader.lengthPrefixedBytes(what, maxBytes), what, offset);
}
