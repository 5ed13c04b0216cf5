// A bounded big-endian reader. Every length is checked against its named maximum and against the
// bytes left BEFORE anything is allocated, so a hostile length costs nothing; failures throw
// DecodeError (with the offset of the field) for decodeWith to turn into a result.
import { DecodeError } from './decode-error';

const maxSafeBigInt = BigInt(Number.MAX_SAFE_INTEGER);

export class ByteReader {
  private position = 0;
  private readonly view: DataView;

  /** `baseOffset` is added to reported offsets when `bytes` is a slice of a larger file. */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly baseOffset = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The offset of the next byte, counted like reported offsets. */
  get offset(): number {
    return this.baseOffset + this.position;
  }

  get remaining(): number {
    return this.bytes.length - this.position;
  }

  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.position++];
  }

  u16(what: string): number {
    this.need(2, what);
    const value = this.view.getUint16(this.position);
    this.position += 2;
    return value;
  }

  u32(what: string): number {
    this.need(4, what);
    const value = this.view.getUint32(this.position);
    this.position += 4;
    return value;
  }

  u64(what: string): bigint {
    this.need(8, what);
    const value = this.view.getBigUint64(this.position);
    this.position += 8;
    return value;
  }

  /** A u64 that must fit a JavaScript number exactly (terms, indexes, node ids). */
  u64Number(what: string): number {
    const start = this.offset;
    const value = this.u64(what);
    if (value > maxSafeBigInt) {
      throw new DecodeError('too-large', start, `${what} ${value} exceeds ${Number.MAX_SAFE_INTEGER}`);
    }
    return Number(value);
  }

  /** A u32 length and then that many bytes, at most `maxBytes`. */
  lengthPrefixedBytes(what: string, maxBytes: number): Uint8Array {
    const start = this.offset;
    const length = this.u32(`${what} length`);
    if (length > maxBytes) {
      throw new DecodeError('too-large', start, `${what} size ${length} exceeds limit ${maxBytes}`);
    }
    return this.bytesOf(length, what);
  }

  /** Exactly `length` bytes (a copy). The caller has checked `length` against its maximum. */
  bytesOf(length: number, what: string): Uint8Array {
    this.need(length, what);
    const value = this.bytes.slice(this.position, this.position + length);
    this.position += length;
    return value;
  }

  /** Throws a 'trailing' DecodeError when bytes are left. */
  expectEnd(what: string): void {
    if (this.remaining > 0) {
      throw new DecodeError('trailing', this.offset, `${this.remaining} trailing bytes after ${what}`);
    }
  }

  fail(kind: 'invalid' | 'checksum' | 'too-large', offset: number, detail: string): never {
    throw new DecodeError(kind, offset, detail);
  }

  private need(length: number, what: string): void {
    if (length > this.remaining) {
      throw new DecodeError(
        'truncated',
        this.offset,
        `${what} needs ${length} bytes but ${this.remaining} remain`,
      );
    }
  }
}

/** Decodes UTF-8 strictly (invalid sequences are a DecodeError at `offset`). */
export function decodeUtf8(bytes: Uint8Array, what: string, offset: number): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DecodeError('invalid', offset, `${what} is not valid UTF-8`);
  }
}
