// Counter-based randomness keyed on simulated time. A draw is a hash of (seed, stream name, the
// simulated millisecond, the draw's number within that millisecond), not the next value of a
// sequence. So a change early in a run (a fault removed by the shrinker) moves only the draws of
// the streams it actually touches at the moments it touches them: a link that carries a message
// at the same millisecond in both runs gives it the same latency and fate, a node that resets
// its election timer at the same millisecond draws the same timeout. With one sequential stream
// per concern, every later draw of that concern shifted instead, and no later event survived.
import { DoubleStream, type RandomStream } from './random-streams';

/** What a clocked stream reads the time from (the Simulation). */
export interface SimulatedClock {
  readonly now: number;
}

/** Draws one stream may make within one simulated millisecond: a bound against a runaway loop. */
export const drawsPerMillisecondMax = 1_000_000;

/** The hash-based generator behind clocked streams (and usable alone with explicit keys). */
export function keyOf(seed: number, name: string): [number, number] {
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be a safe integer, got ${seed}`);
  const text = `raftlab/${seed}/${name}`;
  // Two FNV-1a variants (different offset bases), each finished with a mixer: a 64-bit key.
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x01000193) ^ (b >>> 15);
  }
  return [mix32(a), mix32(b ^ 0x68e31da4)];
}

/** murmur3's 32-bit finalizer: every input bit flips each output bit with probability ~1/2. */
function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The part of a word's hash that depends only on (key half, time): shared by a millisecond's draws. */
function timePrefix(key: number, timeMs: number): number {
  const low = timeMs % 0x1_0000_0000;
  const high = Math.floor(timeMs / 0x1_0000_0000);
  const h = mix32(key ^ Math.imul(low | 0, 0xcc9e2d51));
  return mix32(h ^ Math.imul(high | 0, 0x1b873593) ^ 0x9e3779b9);
}

/** 32 hashed bits of (key half, time, draw number), from the (key half, time) prefix. */
function drawWord(prefix: number, draw: number): number {
  return mix32(prefix + Math.imul(draw + 1, 0x9e3779b1));
}

/** 53 hashed bits as a double in [0, 1), from both halves' prefixes. */
function doubleOf(prefixHigh: number, prefixLow: number, draw: number): number {
  const high = drawWord(prefixHigh, draw) >>> 5; // 27 bits
  const low = drawWord(prefixLow, draw) >>> 6; // 26 bits
  return (high * 67_108_864 + low) / 9_007_199_254_740_992;
}

/** A double in [0, 1) with 53 hashed bits, for (key, time, draw). */
export function hashedDouble(key: readonly [number, number], timeMs: number, draw: number): number {
  return doubleOf(timePrefix(key[0], timeMs), timePrefix(key[1], timeMs), draw);
}

/**
 * A RandomStream whose n-th draw in simulated millisecond t is hashedDouble(key, t, n). It holds
 * no generator state beyond the current millisecond and its draw count, so a deep clone (a
 * plain object walk, the clock rewired to the copy) continues it exactly.
 */
export class ClockedStream extends DoubleStream {
  private readonly key: [number, number];
  private timeMs = -1;
  private drawCount = 0;
  // timePrefix of each key half at timeMs: the draws of one millisecond hash only their number.
  private prefixHigh = 0;
  private prefixLow = 0;

  constructor(
    seed: number,
    readonly name: string,
    private readonly clock: SimulatedClock,
  ) {
    super();
    this.key = keyOf(seed, name);
  }

  protected double(): number {
    const now = this.clock.now;
    if (now !== this.timeMs) {
      this.timeMs = now;
      this.drawCount = 0;
      this.prefixHigh = timePrefix(this.key[0], now);
      this.prefixLow = timePrefix(this.key[1], now);
    }
    if (this.drawCount >= drawsPerMillisecondMax)
      throw new Error(
        `stream ${this.name}: more than ${drawsPerMillisecondMax} draws at ${now} ms`,
      );
    return doubleOf(this.prefixHigh, this.prefixLow, this.drawCount++);
  }
}

/** Per directed link, its own clocked stream ("network/<from>><to>"). */
export class LinkStreams {
  private readonly streams = new Map<number, ClockedStream>();

  constructor(seed: number, nodeIds: readonly number[], clock: SimulatedClock) {
    for (const from of nodeIds)
      for (const to of nodeIds)
        if (from !== to)
          this.streams.set(
            from * 1_000 + to,
            new ClockedStream(seed, `network/${from}>${to}`, clock),
          );
  }

  of(from: number, to: number): RandomStream {
    const stream = this.streams.get(from * 1_000 + to);
    if (stream === undefined) throw new Error(`no link ${from}->${to}`);
    return stream;
  }
}
