// A bounds-checked reader of protocol-buffer wire data, with gogoproto's error messages. Every
// length is checked against the bytes that remain before anything is sliced or allocated.
import { readVarint } from './varint';

/** Malformed protocol-buffer data. */
export class ProtoDecodeError extends Error {
  override name = 'ProtoDecodeError';
}

export const errUnexpectedEof = 'unexpected EOF';
export const errIntOverflow = 'proto: integer overflow';
export const errInvalidLength = 'proto: negative length found during unmarshaling';

/** Nesting bound for skipped groups (protobuf's own recursion limit). */
const groupDepthMax = 100;

export enum WireType {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  StartGroup = 3,
  EndGroup = 4,
  Fixed32 = 5,
}

export class ProtoReader {
  offset = 0;

  constructor(readonly bytes: Uint8Array) {}

  done(): boolean {
    return this.offset >= this.bytes.length;
  }

  varint(): number {
    const read = readVarint(this.bytes, this.offset);
    if (!read.ok) {
      throw new ProtoDecodeError(
        read.error === 'unexpected EOF' ? errUnexpectedEof : errIntOverflow,
      );
    }
    this.offset = read.offset;
    return read.value;
  }

  /** Reads a field key; `message` names the message for gogoproto's error texts. */
  key(message: string): { fieldNumber: number; wireType: number } {
    const key = this.varint();
    const wireType = key % 8;
    const fieldNumber = Math.floor(key / 8);
    if (wireType === WireType.EndGroup) {
      throw new ProtoDecodeError(`proto: ${message}: wiretype end group for non-group`);
    }
    if (fieldNumber <= 0) {
      // gogoproto prints the whole key where it says "wire type".
      throw new ProtoDecodeError(
        `proto: ${message}: illegal tag ${fieldNumber} (wire type ${key})`,
      );
    }
    return { fieldNumber, wireType };
  }

  /** Reads a length-delimited field's bytes (a view into the input). */
  lengthDelimited(): Uint8Array {
    const length = this.varint();
    const end = this.offset + length;
    if (end > this.bytes.length) throw new ProtoDecodeError(errUnexpectedEof);
    const view = this.bytes.subarray(this.offset, end);
    this.offset = end;
    return view;
  }

  /** Skips one field whose key was just read (gogoproto's skipRaft). */
  skip(wireType: number): void {
    let depth = wireType === WireType.StartGroup ? 1 : 0;
    this.skipValue(wireType);
    while (depth > 0) {
      const key = this.varint();
      const innerType = key % 8;
      if (innerType === WireType.StartGroup) depth++;
      else if (innerType === WireType.EndGroup) depth--;
      else this.skipValue(innerType);
      if (depth > groupDepthMax) throw new ProtoDecodeError('proto: groups nested too deeply');
    }
  }

  private skipValue(wireType: number): void {
    switch (wireType) {
      case WireType.Varint:
        this.varint();
        return;
      case WireType.Fixed64:
        this.advance(8);
        return;
      case WireType.LengthDelimited:
        this.lengthDelimited();
        return;
      case WireType.StartGroup:
      case WireType.EndGroup:
        return;
      case WireType.Fixed32:
        this.advance(4);
        return;
      default:
        throw new ProtoDecodeError(`proto: illegal wireType ${wireType}`);
    }
  }

  private advance(count: number): void {
    if (this.offset + count > this.bytes.length) throw new ProtoDecodeError(errUnexpectedEof);
    this.offset += count;
  }
}

/** Throws gogoproto's error for a field that arrived with the wrong wire type. */
export function expectWireType(actual: number, expected: number, field: string): void {
  if (actual !== expected) {
    throw new ProtoDecodeError(`proto: wrong wireType = ${actual} for field ${field}`);
  }
}
