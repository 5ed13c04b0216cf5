// SHA-256 (FIPS 180-4) in plain TypeScript: the simulator hashes its transcript without Node's
// crypto or the browser's SubtleCrypto (src/sim compiles against plain ES2022 and must give the
// same hash in Node, in a Worker and in a page). Incremental, so a long transcript is hashed as
// it is written and never held whole in memory.
import { cloneSelf, type SelfCloning } from '../deep-clone';

const roundConstants = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const initialState = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

const blockBytes = 64;

export class Sha256 implements SelfCloning {
  private readonly state = Uint32Array.from(initialState);
  private readonly block = new Uint8Array(blockBytes);
  private readonly schedule = new Int32Array(64);
  private blockLength = 0;
  /** Bytes hashed so far; a JS number is exact up to 2^53 bytes, far beyond any transcript. */
  private byteCount = 0;
  private finished = false;

  /** A copy in the same state (Simulation.clone shares byte arrays, so this one copies its own). */
  [cloneSelf](): Sha256 {
    return this.copy();
  }

  /** An independent copy in the same state. */
  copy(): Sha256 {
    const copy = new Sha256();
    copy.state.set(this.state);
    copy.block.set(this.block);
    copy.blockLength = this.blockLength;
    copy.byteCount = this.byteCount;
    copy.finished = this.finished;
    return copy;
  }

  update(bytes: Uint8Array): this {
    return this.updateRange(bytes, 0, bytes.length);
  }

  /**
   * Hashes bytes[start, end). Whole blocks are compressed straight from `bytes` without a copy
   * (the transcript hands over tens of kilobytes at a time).
   */
  updateRange(bytes: Uint8Array, start: number, end: number): this {
    if (this.finished) throw new Error('Sha256: update after digest');
    if (!(Number.isSafeInteger(start) && start >= 0 && start <= end && end <= bytes.length))
      throw new Error(`Sha256: bad range [${start}, ${end}) of ${bytes.length} bytes`);
    this.byteCount += end - start;
    let i = start;
    if (this.blockLength > 0) {
      while (i < end && this.blockLength < blockBytes) this.block[this.blockLength++] = bytes[i++];
      if (this.blockLength < blockBytes) return this;
      this.compress(this.block, 0);
    }
    for (; i + blockBytes <= end; i += blockBytes) this.compress(bytes, i);
    while (i < end) this.block[this.blockLength++] = bytes[i++];
    return this;
  }

  /** Hashes a string as UTF-8; ASCII goes straight into the block without a copy. */
  updateText(text: string): this {
    if (this.finished) throw new Error('Sha256: update after digest');
    // Hot (every transcript line): the block position lives in a local between compressions.
    const block = this.block;
    let length = this.blockLength;
    let i = 0;
    for (; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) break;
      block[length++] = code;
      if (length === blockBytes) {
        this.compress(block, 0);
        length = 0;
      }
    }
    this.blockLength = length;
    this.byteCount += i;
    // Non-ASCII: encode the rest of the string the slow way (a surrogate pair stays whole).
    if (i < text.length) this.update(utf8Bytes(text.slice(i)));
    return this;
  }

  /** Hashes one byte (the transcript's line ends, without building `line + "\n"`). */
  updateByte(byte: number): this {
    if (this.finished) throw new Error('Sha256: update after digest');
    this.block[this.blockLength++] = byte;
    if (this.blockLength === blockBytes) this.compress(this.block, 0);
    this.byteCount++;
    return this;
  }

  digest(): Uint8Array {
    if (this.finished) throw new Error('Sha256: digest called twice');
    const bitCount = this.byteCount * 8;
    this.block[this.blockLength++] = 0x80;
    if (this.blockLength > blockBytes - 8) {
      this.block.fill(0, this.blockLength);
      this.compress(this.block, 0);
    }
    this.block.fill(0, this.blockLength, blockBytes - 8);
    // The message length in bits, big-endian in the last 8 bytes.
    const high = Math.floor(bitCount / 2 ** 32);
    const view = new DataView(this.block.buffer);
    view.setUint32(blockBytes - 8, high);
    view.setUint32(blockBytes - 4, bitCount >>> 0);
    this.compress(this.block, 0);
    this.finished = true;
    const out = new Uint8Array(32);
    const outView = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) outView.setUint32(i * 4, this.state[i]);
    return out;
  }

  digestHex(): string {
    let hex = '';
    for (const byte of this.digest()) hex += byte.toString(16).padStart(2, '0');
    return hex;
  }

  /** Compresses the 64 bytes of `block` from `offset` into the state; empties the block. */
  private compress(block: Uint8Array, offset: number): void {
    const w = this.schedule;
    for (let i = 0, j = offset; i < 16; i++, j += 4)
      w[i] = (block[j] << 24) | (block[j + 1] << 16) | (block[j + 2] << 8) | block[j + 3];
    // Hot: the transcript hashes ~100 KB per simulated second. Plain int32 arithmetic on locals
    // with the rotations written out keeps V8 on its fast path.
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15];
      const y = w[i - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    const s = this.state;
    let a = s[0] | 0;
    let b = s[1] | 0;
    let c = s[2] | 0;
    let d = s[3] | 0;
    let e = s[4] | 0;
    let f = s[5] | 0;
    let g = s[6] | 0;
    let h = s[7] | 0;
    for (let i = 0; i < 64; i++) {
      const sum1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const choose = (e & f) ^ (~e & g);
      const t1 = (h + sum1 + choose + roundConstants[i] + w[i]) | 0;
      const sum0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const majority = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (sum0 + majority) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    s[0] = (s[0] + a) | 0;
    s[1] = (s[1] + b) | 0;
    s[2] = (s[2] + c) | 0;
    s[3] = (s[3] + d) | 0;
    s[4] = (s[4] + e) | 0;
    s[5] = (s[5] + f) | 0;
    s[6] = (s[6] + g) | 0;
    s[7] = (s[7] + h) | 0;
    this.blockLength = 0;
  }
}

/** The SHA-256 of a string's UTF-8 bytes, as 64 lowercase hex digits. */
export function sha256Hex(text: string): string {
  return new Sha256().updateText(text).digestHex();
}

/** UTF-8 without TextEncoder (not in plain ES2022). Lone surrogates become U+FFFD. */
export function utf8Bytes(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      out.push(code);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) {
      out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    } else {
      out.push(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 0x3f),
        0x80 | ((code >> 6) & 0x3f),
        0x80 | (code & 0x3f),
      );
    }
  }
  return Uint8Array.from(out);
}
