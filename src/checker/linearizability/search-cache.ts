// The memo of the Wing–Gong–Lowe search: every (set of linearized operations, model state) pair
// already explored. Reaching a pair again cannot lead anywhere new, so the search backtracks.
import { mix32 } from './model';

/** A fixed-size set of small integers, one bit each. */
export class Bitset {
  readonly words: Uint32Array;
  /** XOR of `mix32(member + 1)` over the members: a hash kept up to date in O(1) per change. */
  hash = 0;

  constructor(size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  has(member: number): boolean {
    return (this.words[member >>> 5] & (1 << (member & 31))) !== 0;
  }

  add(member: number): void {
    if (this.has(member)) throw new Error(`bitset already holds ${member}`);
    this.words[member >>> 5] |= 1 << (member & 31);
    this.hash = (this.hash ^ mix32(member + 1)) >>> 0;
  }

  delete(member: number): void {
    if (!this.has(member)) throw new Error(`bitset does not hold ${member}`);
    this.words[member >>> 5] &= ~(1 << (member & 31));
    this.hash = (this.hash ^ mix32(member + 1)) >>> 0;
  }

  equalWords(other: Uint32Array): boolean {
    const words = this.words;
    for (let i = 0; i < words.length; i++) if (words[i] !== other[i]) return false;
    return true;
  }
}

interface CacheEntry<State> {
  words: Uint32Array;
  state: State;
}

/** Rough bytes per cache entry beyond its words: the object, the state reference, the array. */
const cacheEntryOverheadBytes = 96;

export class SearchCache<State> {
  private readonly entries = new Map<number, CacheEntry<State>[]>();
  /** An estimate of the memory the cache holds, for the caller's limit. */
  bytes = 0;

  constructor(
    private readonly equal: (a: State, b: State) => boolean,
    private readonly hashState: (state: State) => number,
  ) {}

  /** Records (bits, state); false when it was already there. */
  add(bits: Bitset, state: State): boolean {
    const key = mix32((bits.hash ^ Math.imul(this.hashState(state) | 0, 0x9e3779b1)) | 0);
    const bucket = this.entries.get(key);
    if (bucket !== undefined) {
      for (const entry of bucket) {
        if (bits.equalWords(entry.words) && this.equal(entry.state, state)) return false;
      }
    }
    const entry = { words: bits.words.slice(), state };
    if (bucket === undefined) this.entries.set(key, [entry]);
    else bucket.push(entry);
    this.bytes += bits.words.byteLength + cacheEntryOverheadBytes;
    return true;
  }
}
