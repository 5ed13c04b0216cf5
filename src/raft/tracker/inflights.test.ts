// The inflights window (etcd's flow control for MsgApp): count and byte limits, in-order release.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RaftPanic } from '../logger';
import { Inflights } from './inflights';

describe('Inflights', () => {
  it('fills up to its size, growing its ring on demand', () => {
    const inflights = new Inflights(10, 0);
    for (let i = 0; i < 5; i++) inflights.add(i, 100 + i);
    expect(inflights.count()).toBe(5);
    expect(inflights.bytes()).toBe(510);
    expect(inflights.capacity()).toBe(8);
    expect(inflights.full()).toBe(false);
    for (let i = 5; i < 10; i++) inflights.add(i, 100 + i);
    expect(inflights.capacity()).toBe(10);
    expect(inflights.full()).toBe(true);
    expect(() => inflights.add(10, 1)).toThrow(RaftPanic);
  });

  it('wraps around the ring after freeing', () => {
    const inflights = new Inflights(10, 0);
    for (let i = 0; i < 10; i++) inflights.add(i, 1);
    inflights.freeLE(4);
    expect(inflights.count()).toBe(5);
    for (let i = 10; i < 15; i++) inflights.add(i, 1);
    expect(inflights.full()).toBe(true);
    expect(inflights.entries().map((entry) => entry.index)).toEqual([
      5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
    ]);
    inflights.freeLE(12);
    expect(inflights.entries().map((entry) => entry.index)).toEqual([13, 14]);
    inflights.freeLE(14);
    expect(inflights.count()).toBe(0);
  });

  it('ignores a release below the window and frees everything above it', () => {
    const inflights = new Inflights(4, 0);
    inflights.add(5, 1);
    inflights.add(7, 1);
    inflights.freeLE(4);
    expect(inflights.count()).toBe(2);
    inflights.freeLE(6);
    expect(inflights.count()).toBe(1);
    inflights.freeLE(100);
    expect(inflights.count()).toBe(0);
  });

  it('is full once the byte limit is reached (a soft limit)', () => {
    const inflights = new Inflights(10, 1000);
    inflights.add(1, 600);
    expect(inflights.full()).toBe(false);
    inflights.add(2, 600);
    expect(inflights.full()).toBe(true);
    inflights.freeLE(1);
    expect(inflights.bytes()).toBe(600);
    expect(inflights.full()).toBe(false);
  });

  it('clone shares nothing; reset frees everything', () => {
    const inflights = new Inflights(3, 0);
    inflights.add(1, 10);
    const clone = inflights.clone();
    clone.add(2, 10);
    expect(inflights.count()).toBe(1);
    expect(clone.count()).toBe(2);
    inflights.reset();
    expect(inflights.count()).toBe(0);
    expect(inflights.bytes()).toBe(0);
    expect(clone.count()).toBe(2);
  });

  it('behaves like a plain queue model under random adds and releases', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), bytes: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ kind: fc.constant('free' as const), back: fc.integer({ min: -2, max: 6 }) }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 120 }),
        fc.array(op, { maxLength: 60 }),
        (size, maxBytes, ops) => {
          const inflights = new Inflights(size, maxBytes);
          const model: Array<{ index: number; bytes: number }> = [];
          let next = 1;
          for (const step of ops) {
            const modelBytes = model.reduce((sum, entry) => sum + entry.bytes, 0);
            const modelFull = model.length === size || (maxBytes !== 0 && modelBytes >= maxBytes);
            expect(inflights.full()).toBe(modelFull);
            if (step.kind === 'add') {
              if (modelFull) continue;
              inflights.add(next, step.bytes);
              model.push({ index: next, bytes: step.bytes });
              next += 1;
            } else {
              const to = next - step.back;
              inflights.freeLE(to);
              while (model.length > 0 && model[0].index <= to) model.shift();
            }
            expect(inflights.entries()).toEqual(model);
            expect(inflights.count()).toBe(model.length);
            expect(inflights.bytes()).toBe(model.reduce((sum, entry) => sum + entry.bytes, 0));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
