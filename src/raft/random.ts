// The engine's only source of randomness is injected: the simulator passes a seeded stream,
// tests pass a fixed one. Nothing in src/raft reads the platform's random source.

export interface RandomSource {
  /** A uniformly chosen integer in [0, n). */
  intn(n: number): number;
}

/**
 * A small deterministic generator (mulberry32) for tests and defaults. The simulator injects its
 * own seeded streams instead.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return {
    intn(n: number): number {
      if (!(Number.isInteger(n) && n > 0)) throw new Error(`intn: n must be a positive integer, got ${n}`);
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      return Math.floor(unit * n);
    },
  };
}
