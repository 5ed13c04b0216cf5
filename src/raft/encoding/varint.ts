// Protocol-buffer varints, as etcd's gogoproto code writes them. The engine needs exact encoded
// sizes (flow control counts bytes as etcd does) and the conf-change payloads as etcd encodes them.

/** Largest value a varint may carry here: every engine number stays a safe integer. */
export const varintValueMax = Number.MAX_SAFE_INTEGER;
/** A safe integer never needs more than 8 varint bytes; 10 is protobuf's own bound. */
export const varintBytesMax = 10;

/** The number of bytes the varint encoding of `value` takes (gogoproto's sovRaft). */
export function varintSize(value: number): number {
  if (!(Number.isSafeInteger(value) && value >= 0)) {
    throw new Error(`varintSize: ${value} is not a non-negative safe integer`);
  }
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size += 1;
  }
  return size;
}

/** Appends the varint encoding of `value` to `bytes`. */
export function writeVarint(bytes: number[], value: number): void {
  if (!(Number.isSafeInteger(value) && value >= 0)) {
    throw new Error(`writeVarint: ${value} is not a non-negative safe integer`);
  }
  while (value >= 0x80) {
    bytes.push((value % 128) | 0x80);
    value = Math.floor(value / 128);
  }
  bytes.push(value);
}

export type VarintRead = { ok: true; value: number; offset: number } | { ok: false; error: string };

/** Reads a varint at `offset`; a truncated or oversized varint is an error, never a guess. */
export function readVarint(bytes: Uint8Array, offset: number): VarintRead {
  let value = 0;
  let scale = 1;
  for (let count = 0; count < varintBytesMax; count++) {
    const position = offset + count;
    if (position >= bytes.length) return { ok: false, error: 'unexpected EOF' };
    const byte = bytes[position];
    value += (byte & 0x7f) * scale;
    if (value > varintValueMax) return { ok: false, error: 'integer overflow' };
    if (byte < 0x80) return { ok: true, value, offset: position + 1 };
    scale *= 128;
  }
  return { ok: false, error: 'integer overflow' };
}
