import { describe, expect, it } from 'vitest';
import { ClockedStream, LinkStreams, hashedDouble, keyOf } from './clocked-random';

class Clock {
  now = 0;
}

function draws(stream: ClockedStream, clock: Clock, times: number[]): number[] {
  return times.map((t) => {
    clock.now = t;
    return stream.between(0, 1_000_000);
  });
}

describe('clocked random streams', () => {
  it('give the same draws for the same seed, name, millisecond and draw number', () => {
    const a = new Clock();
    const b = new Clock();
    const times = [0, 0, 3, 3, 3, 17, 400];
    expect(draws(new ClockedStream(7, 'network/1>2', a), a, times)).toEqual(
      draws(new ClockedStream(7, 'network/1>2', b), b, times),
    );
    const other = new Clock();
    expect(draws(new ClockedStream(8, 'network/1>2', other), other, times)).not.toEqual(
      draws(new ClockedStream(7, 'network/1>2', a), a, times),
    );
  });

  it('a draw depends only on its millisecond and the draws before it in that millisecond', () => {
    // Removing the draws at 5 and 9 ms (a fault the shrinker took out) leaves the later ones.
    const full = new Clock();
    const fewer = new Clock();
    const all = draws(new ClockedStream(3, 'workload', full), full, [5, 9, 9, 12, 12, 30]);
    const some = draws(new ClockedStream(3, 'workload', fewer), fewer, [12, 12, 30]);
    expect(some).toEqual(all.slice(3));
  });

  it("each link's stream is its own: traffic on one link does not move another's draws", () => {
    const clock = new Clock();
    const busy = new LinkStreams(11, [1, 2, 3], clock);
    const quiet = new LinkStreams(11, [1, 2, 3], clock);
    clock.now = 40;
    for (let i = 0; i < 5; i++) busy.of(1, 2).intn(100);
    expect(busy.of(2, 3).intn(1_000_000)).toBe(quiet.of(2, 3).intn(1_000_000));
    expect(() => busy.of(1, 1)).toThrow(/no link 1->1/);
  });

  it('draws look uniform: a chi-square test over 10 buckets', () => {
    const key = keyOf(1, 'uniformity');
    const buckets = new Array<number>(10).fill(0);
    const n = 20_000;
    for (let i = 0; i < n; i++) buckets[Math.floor(hashedDouble(key, i >> 2, i & 3) * 10)]++;
    const expected = n / 10;
    const chiSquare = buckets.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: 27.9 is the 0.1% critical value.
    expect(chiSquare).toBeLessThan(27.9);
  });
});
