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

  it('pops in (time, sequence) order with pushes, pops and removals interleaved', () => {
    const operation = fc.oneof(
      fc.record({ push: fc.integer({ min: 0, max: 30 }) }),
      fc.constant({ pop: true }),
      fc.record({ remove: fc.nat(60) }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 300 }), (operations) => {
        const queue = new EventQueue<number>(1_000);
        let model: { time: number; sequence: number }[] = [];
        let sequence = 0;
        for (const op of operations) {
          if ('push' in op) {
            // Like the simulator: nothing is scheduled before the last popped time.
            const floor = model.length > 0 ? Math.min(...model.map((item) => item.time)) : 0;
            const time = Math.max(op.push, floor);
            queue.push(time, sequence);
            model.push({ time, sequence: sequence++ });
          } else if ('pop' in op) {
            model.sort((a, b) => a.time - b.time || a.sequence - b.sequence);
            const expected = model.shift();
            expect(queue.pop()?.event).toBe(expected?.sequence);
          } else {
            const removed = queue.remove(op.remove);
            const present = model.some((item) => item.sequence === op.remove);
            expect(removed?.event).toBe(present ? op.remove : undefined);
            model = model.filter((item) => item.sequence !== op.remove);
          }
          expect(queue.size).toBe(model.length);
        }
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
