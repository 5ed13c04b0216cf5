import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue } from './event-queue';

describe('EventQueue', () => {
  it('pops events in (time, sequence) order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const queue = new EventQueue<number>(1_000);
        times.forEach((time, position) => queue.push(time, position));
        const popped: number[] = [];
        for (let next = queue.pop(); next !== undefined; next = queue.pop())
          popped.push(next.event);
        const expected = times
          .map((time, position) => ({ time, position }))
          .sort((a, b) => a.time - b.time || a.position - b.position)
          .map((item) => item.position);
        expect(popped).toEqual(expected);
      }),
    );
  });

  it('refuses to grow past its limit', () => {
    const queue = new EventQueue<string>(2);
    queue.push(1, 'a');
    queue.push(2, 'b');
    expect(() => queue.push(3, 'c')).toThrow(/eventsQueuedMax/);
  });
});
