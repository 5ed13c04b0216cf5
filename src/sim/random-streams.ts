// One seed drives the whole simulation. Each concern (network latency, election timeouts, ...)
// draws from its own named stream, so adding draws to one concern does not shift the others.
import seedrandom from 'seedrandom';
import type { RandomSource } from '../raft/random';
import { cloneSelf, type SelfCloning } from './deep-clone';

/** A seeded stream: the engine's RandomSource plus the simulator's own draws. */
export interface RandomStream extends RandomSource {
  /** A uniformly chosen integer in [min, max]. */
  between(min: number, max: number): number;
  /** True with probability numerator/denominator (probabilities are integer ratios). */
  chance(ratio: Ratio): boolean;
}

export interface Ratio {
  numerator: number;
  denominator: number;
}

export interface RandomStreams {
  readonly seed: number;
  /** The stream of that name; the same name always returns the same stream object. */
  stream(name: string): RandomStream;
}

export function createRandomStreams(seed: number): RandomStreams {
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be a safe integer, got ${seed}`);
  const streams = new Map<string, RandomStream>();
  return {
    seed,
    stream(name: string): RandomStream {
      let stream = streams.get(name);
      if (stream === undefined) {
        stream = createStream(`raftlab/${seed}/${name}`);
        streams.set(name, stream);
      }
      return stream;
    },
  };
}

function createStream(streamSeed: string): RandomStream {
  return new SeededStream(seedrandom(streamSeed, { state: true }));
}

/**
 * The draws every stream offers, built on one uniform double in [0, 1) with 53 random bits (the
 * bias of flooring it is far below anything observable). Subclasses say where doubles come from.
 */
export abstract class DoubleStream implements RandomStream {
  protected abstract double(): number;

  intn(n: number): number {
    if (!(Number.isSafeInteger(n) && n > 0))
      throw new Error(`intn: n must be a positive integer, got ${n}`);
    return Math.floor(this.double() * n);
  }

  between(min: number, max: number): number {
    if (!(Number.isSafeInteger(min) && Number.isSafeInteger(max) && min <= max)) {
      throw new Error(`between: need integers min <= max, got ${min}, ${max}`);
    }
    return min + this.intn(max - min + 1);
  }

  chance(ratio: Ratio): boolean {
    const { numerator, denominator } = ratio;
    if (!(Number.isSafeInteger(numerator) && Number.isSafeInteger(denominator))) {
      throw new Error(`chance: ratio must be integers, got ${numerator}/${denominator}`);
    }
    if (!(denominator > 0 && numerator >= 0 && numerator <= denominator)) {
      throw new Error(`chance: ratio must lie in [0, 1], got ${numerator}/${denominator}`);
    }
    if (numerator === 0) return false;
    return this.intn(denominator) < numerator;
  }
}

/**
 * A stream over one seedrandom generator. Its state lives in the generator's closure, so a clone
 * (Simulation.clone) copies it through seedrandom's exported state rather than by walking it.
 */
class SeededStream extends DoubleStream implements SelfCloning {
  constructor(private readonly prng: seedrandom.StatefulPRNG<seedrandom.State.Arc4>) {
    super();
  }

  protected double(): number {
    return this.prng.double();
  }

  [cloneSelf](): SeededStream {
    const state = this.prng.state();
    return new SeededStream(seedrandom('', { state }));
  }
}
