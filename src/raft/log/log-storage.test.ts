import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { noLimit } from '../config';
import { entrySize } from '../encoding/sizes';
import { errCompacted, errSnapOutOfDate, errUnavailable } from '../errors';
import { RaftPanic } from '../logger';
import { emptyConfState, type Entry } from '../types';
import { entriesAt, snapshotAt } from './entries-for-test';
import { MemoryStorage } from './log-storage';

/** A storage whose dummy entry is entries[0] (etcd's tests set ms.ents directly). */
function storageWith(entries: Entry[]): MemoryStorage {
  const storage = new MemoryStorage();
  storage.ents = entries.map((entry) => ({ ...entry }));
  return storage;
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

const ents = entriesAt(3, [3, 4, 5]);

describe('MemoryStorage.term', () => {
  it.each([
    [2, errCompacted],
    [3, 3],
    [4, 4],
    [5, 5],
    [6, errUnavailable],
  ])('term(%i) -> %s', (index, want) => {
    const storage = storageWith(ents);
    if (typeof want === 'number') expect(storage.term(index)).toBe(want);
    else expect(thrown(() => storage.term(index))).toBe(want);
  });
});

describe('MemoryStorage.entries', () => {
  const all = entriesAt(3, [3, 4, 5, 6]);
  const size = (from: number, to: number) =>
    all.slice(from, to).reduce((sum, e) => sum + entrySize(e), 0);
  it.each([
    [2, 6, noLimit, errCompacted],
    [3, 4, noLimit, errCompacted],
    [4, 5, noLimit, [4]],
    [4, 6, noLimit, [4, 5]],
    [4, 7, noLimit, [4, 5, 6]],
    [4, 7, 0, [4]],
    [4, 7, size(1, 3), [4, 5]],
    [4, 7, size(1, 3) + entrySize(all[3]) / 2, [4, 5]],
    [4, 7, size(1, 4) - 1, [4, 5]],
    [4, 7, size(1, 4), [4, 5, 6]],
  ])('entries(%i, %i, %i)', (lo, hi, maxSize, want) => {
    const storage = storageWith(all);
    if (Array.isArray(want))
      expect(storage.entries(lo, hi, maxSize).map((e) => e.index)).toEqual(want);
    else expect(thrown(() => storage.entries(lo, hi, maxSize))).toBe(want);
  });

  it('panics past the last index and is unavailable when only the dummy is left', () => {
    expect(() => storageWith(all).entries(4, 8, noLimit)).toThrow(
      /entries' hi\(8\) is out of bound lastindex\(6\)/,
    );
    const empty = storageWith(entriesAt(3, [3]));
    expect(thrown(() => empty.entries(4, 4, noLimit))).toBe(errUnavailable);
  });

  it('returns an array the caller may change without corrupting the storage', () => {
    const storage = storageWith(all);
    storage.entries(4, 6, noLimit).push(...entriesAt(9, [9]));
    expect(storage.entries(4, 7, noLimit).map((e) => e.index)).toEqual([4, 5, 6]);
  });
});

describe('MemoryStorage indexes and compaction', () => {
  it('tracks the first and last index', () => {
    const storage = storageWith(ents);
    expect(storage.lastIndex()).toBe(5);
    expect(storage.firstIndex()).toBe(4);
    storage.append(entriesAt(6, [5]));
    expect(storage.lastIndex()).toBe(6);
    storage.compact(4);
    expect(storage.firstIndex()).toBe(5);
    expect(storage.callStats.lastIndex).toBe(2);
    expect(storage.callStats.firstIndex).toBe(2);
  });

  it.each([
    [2, errCompacted, 3, 3, 3],
    [3, errCompacted, 3, 3, 3],
    [4, undefined, 4, 4, 2],
    [5, undefined, 5, 5, 1],
  ])(
    'compact(%i) -> %s, dummy index %i term %i, %i entries',
    (index, error, wantIndex, wantTerm, wantLength) => {
      const storage = storageWith(ents);
      expect(thrown(() => storage.compact(index))).toBe(error);
      expect(storage.ents[0].index).toBe(wantIndex);
      expect(storage.ents[0].term).toBe(wantTerm);
      expect(storage.ents).toHaveLength(wantLength);
    },
  );

  it('panics when compacting past the last index', () => {
    expect(() => storageWith(ents).compact(6)).toThrow(RaftPanic);
  });
});

describe('MemoryStorage snapshots', () => {
  const confState = { ...emptyConfState(), voters: [1, 2, 3] };
  const data = new TextEncoder().encode('data');

  it.each([
    [4, 4],
    [5, 5],
  ])('createSnapshot(%i) has term %i', (index, term) => {
    const storage = storageWith(ents);
    const snapshot = storage.createSnapshot(index, confState, data);
    expect(snapshot).toEqual({ data, metadata: { index, term, confState } });
    expect(storage.snapshot()).toEqual(snapshot);
    expect(storage.initialState().confState).toEqual(confState);
  });

  it('refuses a snapshot that is not newer, and panics past the last index', () => {
    const storage = storageWith(ents);
    storage.createSnapshot(4, null, null);
    expect(thrown(() => storage.createSnapshot(4, null, null))).toBe(errSnapOutOfDate);
    expect(() => storage.createSnapshot(6, null, null)).toThrow(RaftPanic);
  });

  it('applySnapshot replaces the log and refuses older snapshots', () => {
    const storage = new MemoryStorage();
    storage.applySnapshot(snapshotAt(4, 4));
    expect(storage.firstIndex()).toBe(5);
    expect(storage.lastIndex()).toBe(4);
    expect(storage.term(4)).toBe(4);
    expect(thrown(() => storage.applySnapshot(snapshotAt(3, 3)))).toBe(errSnapOutOfDate);
    expect(thrown(() => storage.applySnapshot(snapshotAt(4, 4)))).toBe(errSnapOutOfDate);
  });

  it('keeps its own copy of snapshots and hard state', () => {
    const storage = new MemoryStorage();
    const snapshot = snapshotAt(4, 4);
    storage.applySnapshot(snapshot);
    snapshot.metadata.confState.voters.push(7);
    expect(storage.snapshot().metadata.confState.voters).toEqual([]);
    const hardState = { term: 1, vote: 2, commit: 3 };
    storage.setHardState(hardState);
    hardState.term = 9;
    expect(storage.initialState().hardState).toEqual({ term: 1, vote: 2, commit: 3 });
  });
});

describe('MemoryStorage.append', () => {
  it.each([
    [entriesAt(1, [1, 2]), entriesAt(3, [3, 4, 5])],
    [entriesAt(3, [3, 4, 5]), entriesAt(3, [3, 4, 5])],
    [entriesAt(3, [3, 6, 6]), entriesAt(3, [3, 6, 6])],
    [entriesAt(3, [3, 4, 5, 5]), entriesAt(3, [3, 4, 5, 5])],
    // Entries before the first index are dropped, the rest replace the tail.
    [entriesAt(2, [3, 3, 5]), entriesAt(3, [3, 5])],
    [entriesAt(4, [5]), entriesAt(3, [3, 5])],
    [entriesAt(6, [5]), entriesAt(3, [3, 4, 5, 5])],
  ])('append %#', (toAppend, want) => {
    const storage = storageWith(ents);
    storage.append(toAppend);
    expect(storage.ents).toEqual(want);
  });

  it('panics on a gap', () => {
    expect(() => storageWith(ents).append(entriesAt(7, [5]))).toThrow(
      /missing log entry \[last: 5, append at: 7\]/,
    );
  });

  it('entries returns what was appended (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.array(fc.nat(20), { minLength: 6, maxLength: 6 }),
        (batches, starts) => {
          const storage = new MemoryStorage();
          const model: number[] = [0];
          batches.forEach((terms, position) => {
            // Each batch starts inside or right after the current log, as a leader's appends do.
            const first = 1 + (starts[position] % (storage.lastIndex() + 1));
            storage.append(entriesAt(first, terms));
            model.length = first;
            model.push(...terms);
          });
          const got = storage.entries(1, storage.lastIndex() + 1, noLimit);
          expect(got.map((e) => e.term)).toEqual(model.slice(1));
          expect(got.map((e) => e.index)).toEqual(model.slice(1).map((_, i) => i + 1));
        },
      ),
    );
  });
});
