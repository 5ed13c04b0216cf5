// etcd's Inflights: the window of MsgApps sent to a follower and not yet acknowledged, limited
// both in count and in bytes.
import { RaftPanic } from '../logger';
import type { LogIndex } from '../types';

/**
 * A ring buffer of in-flight appends, each remembered by the index of its last entry and its
 * payload size. Callers check full() before add(), add indexes in increasing order, and release
 * with freeLE() when an acknowledgement arrives.
 */
export class Inflights {
  /** Position of the oldest in-flight append in the ring. */
  private start = 0;
  /** Invariant: 0 <= count <= size. */
  private inflightCount = 0;
  /** Invariant: the sum of the bytes of the appends in the window. */
  private inflightBytes = 0;
  /** The last-entry indexes; the ring grows by doubling up to `size`, as etcd's does. */
  private indexes: number[] = [];
  private sizes: number[] = [];

  /**
   * @param size the most appends in flight (etcd's MaxInflightMsgs); may be Infinity.
   * @param maxBytes the most payload bytes in flight; 0 means no byte limit. The limit is soft:
   *   one append may take the total from below the limit to above it.
   */
  constructor(
    readonly size: number,
    readonly maxBytes: number,
  ) {
    // etcd accepts any size; 0 makes a window that is always full, and a huge size (the
    // harness's math.MaxInt) simply never fills: the ring only grows as appends arrive.
    if (!(size >= 0)) throw new RaftPanic(`inflights: size must be >= 0, got ${size}`);
    if (!(maxBytes >= 0)) throw new RaftPanic(`inflights: maxBytes must be >= 0, got ${maxBytes}`);
  }

  /** A copy that shares no memory with this window. */
  clone(): Inflights {
    const copy = new Inflights(this.size, this.maxBytes);
    copy.start = this.start;
    copy.inflightCount = this.inflightCount;
    copy.inflightBytes = this.inflightBytes;
    copy.indexes = [...this.indexes];
    copy.sizes = [...this.sizes];
    return copy;
  }

  /** Records an append whose last entry is `index`, carrying `bytes` of payload. */
  add(index: LogIndex, bytes: number): void {
    if (this.full()) throw new RaftPanic('cannot add into a Full inflights');
    let next = this.start + this.inflightCount;
    if (next >= this.size) next -= this.size;
    if (next >= this.indexes.length) this.grow();
    this.indexes[next] = index;
    this.sizes[next] = bytes;
    this.inflightCount++;
    this.inflightBytes += bytes;
  }

  /** Doubles the ring (up to `size`), so idle followers cost little memory. */
  private grow(): void {
    let capacity = this.indexes.length * 2;
    if (capacity === 0) capacity = 1;
    else if (capacity > this.size) capacity = this.size;
    const indexes = new Array<number>(capacity).fill(0);
    const sizes = new Array<number>(capacity).fill(0);
    for (let i = 0; i < this.indexes.length; i++) {
      indexes[i] = this.indexes[i];
      sizes[i] = this.sizes[i];
    }
    this.indexes = indexes;
    this.sizes = sizes;
  }

  /** Frees every in-flight append whose last index is <= `to`. */
  freeLE(to: LogIndex): void {
    if (this.inflightCount === 0 || to < this.indexes[this.start]) return;
    let position = this.start;
    let freed = 0;
    let freedBytes = 0;
    for (; freed < this.inflightCount; freed++) {
      if (to < this.indexes[position]) break;
      freedBytes += this.sizes[position];
      position++;
      if (position >= this.size) position -= this.size;
    }
    this.inflightCount -= freed;
    this.inflightBytes -= freedBytes;
    this.start = position;
    // An empty window restarts at 0 so the ring does not grow needlessly.
    if (this.inflightCount === 0) this.start = 0;
  }

  /** True when no more appends may be sent: the count or the byte limit is reached. */
  full(): boolean {
    return (
      this.inflightCount === this.size ||
      (this.maxBytes !== 0 && this.inflightBytes >= this.maxBytes)
    );
  }

  /** The number of appends in flight. */
  count(): number {
    return this.inflightCount;
  }

  /** The payload bytes in flight. */
  bytes(): number {
    return this.inflightBytes;
  }

  /** The ring's current capacity (grows on demand up to `size`). */
  capacity(): number {
    return this.indexes.length;
  }

  /** The in-flight appends, oldest first, as [lastIndex, bytes] pairs (for tests and views). */
  entries(): Array<{ index: LogIndex; bytes: number }> {
    const out: Array<{ index: LogIndex; bytes: number }> = [];
    let position = this.start;
    for (let i = 0; i < this.inflightCount; i++) {
      out.push({ index: this.indexes[position], bytes: this.sizes[position] });
      position++;
      if (position >= this.size) position -= this.size;
    }
    return out;
  }

  /** Frees everything. */
  reset(): void {
    this.start = 0;
    this.inflightCount = 0;
    this.inflightBytes = 0;
  }
}
