import { describe, expect, it } from 'vitest';
import { createRandomStreams } from './random-streams';

function draws(seed: number, name: string, count: number): number[] {
  const stream = createRandomStreams(seed).stream(name);
  return Array.from({ length: count }, () => stream.intn(1_000_000));
}

describe('random streams', () => {
  it('repeat for the same seed and stream name', () => {
    expect(draws(7, 'network', 50)).toEqual(draws(7, 'network', 50));
  });

  it('differ between seeds and between names', () => {
    expect(draws(7, 'network', 50)).not.toEqual(draws(8, 'network', 50));
    expect(draws(7, 'network', 50)).not.toEqual(draws(7, 'timeouts/1', 50));
  });

  it('keep streams independent: drawing from one does not shift another', () => {
    const streams = createRandomStreams(3);
    streams.stream('network').intn(10);
    const timeouts = streams.stream('timeouts/1');
    expect(Array.from({ length: 20 }, () => timeouts.intn(1_000_000))).toEqual(
      draws(3, 'timeouts/1', 20),
    );
  });

  it('stays within bounds and honours integer-ratio chances', () => {
    const stream = createRandomStreams(1).stream('x');
    for (let i = 0; i < 1_000; i++) {
      const value = stream.between(3, 5);
      expect(value).toBeGreaterThanOrEqual(3);
      expect(value).toBeLessThanOrEqual(5);
    }
    expect(
      Array.from({ length: 100 }, () => stream.chance({ numerator: 0, denominator: 5 })),
    ).not.toContain(true);
    expect(
      Array.from({ length: 100 }, () => stream.chance({ numerator: 5, denominator: 5 })),
    ).not.toContain(false);
  });
});
