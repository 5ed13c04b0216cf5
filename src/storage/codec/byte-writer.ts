// A growable big-endian writer, the counterpart of ByteReader.

export class ByteWriter {
  private bytes: Uint8Array;
  private view: DataView;
  private length = 0;

  constructor(initialCapacity = 64) {
    this.bytes = new Uint8Array(Math.max(1, initialCapacity));
    this.view = new DataView(this.bytes.buffer);
  }

  get size(): number {
    return this.length;
  }

  u8(value: number): this {
    this.reserve(1);
    assertRange(value, 0xff, 'u8');
    this.bytes[this.length++] = value;
    return this;
  }

  u16(value: number): this {
    assertRange(value, 0xffff, 'u16');
    this.reserve(2);
    this.view.setUint16(this.length, value);
    this.length += 2;
    return this;
  }

  u32(value: number): this {
    assertRange(value, 0xffffffff, 'u32');
    this.reserve(4);
    this.view.setUint32(this.length, value);
    this.length += 4;
    return this;
  }

  /** A u64 from a bigint, or from a non-negative safe integer. */
  u64(value: bigint | number): this {
    if (typeof value === 'number') assertRange(value, Number.MAX_SAFE_INTEGER, 'u64');
    const big = BigInt(value);
    if (big < 0n || big > 0xffffffffffffffffn) throw new RangeError(`u64 out of range: ${value}`);
    this.reserve(8);
    this.view.setBigUint64(this.length, big);
    this.length += 8;
    return this;
  }

  raw(data: Uint8Array): this {
    this.reserve(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** A u32 length and the bytes. */
  lengthPrefixedBytes(data: Uint8Array): this {
    return this.u32(data.length).raw(data);
  }

  /** Overwrites a u32 written earlier (for lengths and checksums known only later). */
  patchU32(offset: number, value: number): this {
    assertRange(value, 0xffffffff, 'u32');
    if (offset < 0 || offset + 4 > this.length) throw new RangeError(`patchU32 at ${offset}`);
    this.view.setUint32(offset, value);
    return this;
  }

  /** The bytes written so far (a view; copy it before writing more if you keep it). */
  written(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  /** A copy of the bytes written so far. */
  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }
}

function assertRange(value: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${what} out of range: ${value}`);
  }
}
