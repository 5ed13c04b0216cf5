// How client commands travel in Raft entries. Like elastickv's proposal context, an entry's data
// is 0x01, a big-endian u64 request id, then the payload; a ReadIndex context is 0x02 + request
// id. The payload is one operation byte and length-prefixed ASCII strings. Decoding checks every
// length against a named maximum before reading, and returns a typed error rather than throwing.

export type KvCommand =
  | { f: 'get'; key: string }
  | { f: 'put'; key: string; value: string }
  /** Sets `to` when the key holds `from` (null: the key is absent). */
  | { f: 'cas'; key: string; from: string | null; to: string };

export type KvResult =
  { f: 'get'; value: string | null } | { f: 'put' } | { f: 'cas'; swapped: boolean };

export const proposalTag = 0x01;
export const readIndexTag = 0x02;
export const keyBytesMax = 256;
export const valueBytesMax = 4096;
/** Request ids are counters; keeping them below 2^53 keeps them exact as JS numbers. */
export const requestIdMax = Number.MAX_SAFE_INTEGER;

const opCodes = { get: 1, put: 2, cas: 3 } as const;
const absentMarker = 0xffff;

export interface Proposal {
  requestId: number;
  command: KvCommand;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

class Writer {
  private readonly bytes: number[] = [];
  byte(value: number): void {
    this.bytes.push(value & 0xff);
  }
  u16(value: number): void {
    this.byte(value >> 8);
    this.byte(value);
  }
  u64(value: number): void {
    if (!(Number.isSafeInteger(value) && value >= 0 && value <= requestIdMax)) {
      throw new Error(`request id must be an integer in [0, 2^53), got ${value}`);
    }
    const high = Math.floor(value / 2 ** 32);
    for (const word of [high, value >>> 0]) for (let s = 24; s >= 0; s -= 8) this.byte(word >>> s);
  }
  text(value: string | null, bytesMax: number): void {
    if (value === null) return this.u16(absentMarker);
    if (value.length > bytesMax)
      throw new Error(`string of ${value.length} bytes exceeds ${bytesMax}`);
    this.u16(value.length);
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80)
        throw new Error(`only ASCII strings are encoded, got ${JSON.stringify(value)}`);
      this.byte(code);
    }
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

class Reader {
  private offset = 0;
  constructor(private readonly data: Uint8Array) {}
  need(count: number, what: string): void {
    if (this.offset + count > this.data.length) {
      throw new DecodeError(`truncated ${what}: need ${count} bytes at offset ${this.offset}`);
    }
  }
  byte(what: string): number {
    this.need(1, what);
    return this.data[this.offset++];
  }
  u16(what: string, suffix = ''): number {
    // The description is only built for the error: this runs for every applied entry.
    if (this.offset + 2 > this.data.length) {
      const described = what + suffix;
      return (this.byte(described) << 8) | this.byte(described);
    }
    return (this.data[this.offset++] << 8) | this.data[this.offset++];
  }
  u64(what: string): number {
    this.need(8, what);
    let value = 0;
    for (let i = 0; i < 8; i++) value = value * 256 + this.data[this.offset++];
    if (value > requestIdMax) throw new DecodeError(`${what} ${value} is beyond 2^53`);
    return value;
  }
  text(what: string, bytesMax: number, absentAllowed: boolean): string | null {
    const length = this.u16(what, ' length');
    if (length === absentMarker && absentAllowed) return null;
    if (length > bytesMax) throw new DecodeError(`${what} length ${length} exceeds ${bytesMax}`);
    this.need(length, what);
    // Keys and values are a few bytes: one character at a time beats spreading a subarray.
    let text = '';
    const end = this.offset + length;
    for (let i = this.offset; i < end; i++) text += String.fromCharCode(this.data[i]);
    this.offset = end;
    return text;
  }
  end(): void {
    if (this.offset !== this.data.length) {
      throw new DecodeError(`${this.data.length - this.offset} trailing bytes`);
    }
  }
}

class DecodeError extends Error {}

export function encodeProposal(proposal: Proposal): Uint8Array {
  const writer = new Writer();
  const { command } = proposal;
  writer.byte(proposalTag);
  writer.u64(proposal.requestId);
  writer.byte(opCodes[command.f]);
  writer.text(command.key, keyBytesMax);
  if (command.f === 'put') writer.text(command.value, valueBytesMax);
  if (command.f === 'cas') {
    writer.text(command.from, valueBytesMax);
    writer.text(command.to, valueBytesMax);
  }
  return writer.done();
}

export function decodeProposal(data: Uint8Array): Decoded<Proposal> {
  return decoding(() => {
    const reader = new Reader(data);
    const tag = reader.byte('tag');
    if (tag !== proposalTag) throw new DecodeError(`tag 0x${tag.toString(16)} is not a proposal`);
    const requestId = reader.u64('request id');
    const op = reader.byte('operation');
    const key = reader.text('key', keyBytesMax, false)!;
    let command: KvCommand;
    if (op === opCodes.get) command = { f: 'get', key };
    else if (op === opCodes.put)
      command = { f: 'put', key, value: reader.text('value', valueBytesMax, false)! };
    else if (op === opCodes.cas) {
      const from = reader.text('cas from', valueBytesMax, true);
      command = { f: 'cas', key, from, to: reader.text('cas to', valueBytesMax, false)! };
    } else throw new DecodeError(`unknown operation ${op}`);
    reader.end();
    return { requestId, command };
  });
}

export function encodeReadIndexContext(requestId: number): Uint8Array {
  const writer = new Writer();
  writer.byte(readIndexTag);
  writer.u64(requestId);
  return writer.done();
}

export function decodeReadIndexContext(data: Uint8Array): Decoded<number> {
  return decoding(() => {
    const reader = new Reader(data);
    const tag = reader.byte('tag');
    if (tag !== readIndexTag)
      throw new DecodeError(`tag 0x${tag.toString(16)} is not a read index`);
    const requestId = reader.u64('request id');
    reader.end();
    return requestId;
  });
}

function decoding<T>(decode: () => T): Decoded<T> {
  try {
    return { ok: true, value: decode() };
  } catch (error) {
    if (error instanceof DecodeError) return { ok: false, error: error.message };
    throw error;
  }
}

/** The replicated state machine: a map from keys to values, applied in log order. */
export class KvStore {
  private readonly values = new Map<string, string>();

  apply(command: KvCommand): KvResult {
    switch (command.f) {
      case 'get':
        return { f: 'get', value: this.get(command.key) };
      case 'put':
        this.values.set(command.key, command.value);
        return { f: 'put' };
      case 'cas': {
        const swapped = this.get(command.key) === command.from;
        if (swapped) this.values.set(command.key, command.to);
        return { f: 'cas', swapped };
      }
    }
  }

  get(key: string): string | null {
    return this.values.get(key) ?? null;
  }

  get size(): number {
    return this.values.size;
  }
}
