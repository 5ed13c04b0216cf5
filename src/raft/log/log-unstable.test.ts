import { describe, expect, it } from 'vitest';
import { LogLevel, RaftPanic, discardLogger, sinkLogger } from '../logger';
import type { Entry, Snapshot } from '../types';
import { entriesAt, snapshotAt } from './entries-for-test';
import { Unstable, type UnstableFields } from './log-unstable';

function unstable(fields: Partial<UnstableFields> & { offset: number }): Unstable {
  return new Unstable({ logger: discardLogger, ...fields });
}

const snap4 = snapshotAt(4, 1);

describe('unstable index and term queries', () => {
  it.each<[Entry[], number, Snapshot | null, [number, boolean]]>([
    [entriesAt(5, [1]), 5, null, [0, false]],
    [[], 0, null, [0, false]],
    [entriesAt(5, [1]), 5, snap4, [5, true]],
    [[], 5, snap4, [5, true]],
  ])('maybeFirstIndex %#', (entries, offset, snapshot, want) => {
    expect(unstable({ entries, offset, snapshot }).maybeFirstIndex()).toEqual(want);
  });

  it.each<[Entry[], number, Snapshot | null, [number, boolean]]>([
    [entriesAt(5, [1]), 5, null, [5, true]],
    [entriesAt(5, [1]), 5, snap4, [5, true]],
    [[], 5, snap4, [4, true]],
    [[], 0, null, [0, false]],
  ])('maybeLastIndex %#', (entries, offset, snapshot, want) => {
    expect(unstable({ entries, offset, snapshot }).maybeLastIndex()).toEqual(want);
  });

  it.each<[Entry[], number, Snapshot | null, number, [number, boolean]]>([
    [entriesAt(5, [1]), 5, null, 5, [1, true]],
    [entriesAt(5, [1]), 5, null, 6, [0, false]],
    [entriesAt(5, [1]), 5, null, 4, [0, false]],
    [entriesAt(5, [1]), 5, snap4, 5, [1, true]],
    [entriesAt(5, [1]), 5, snap4, 6, [0, false]],
    [entriesAt(5, [1]), 5, snap4, 4, [1, true]],
    [entriesAt(5, [1]), 5, snap4, 3, [0, false]],
    [[], 5, snap4, 5, [0, false]],
    [[], 5, snap4, 4, [1, true]],
    [[], 0, null, 5, [0, false]],
  ])('maybeTerm %#', (entries, offset, snapshot, index, want) => {
    expect(unstable({ entries, offset, snapshot }).maybeTerm(index)).toEqual(want);
  });
});

describe('unstable restore', () => {
  it('replaces entries and snapshot and resets progress', () => {
    const u = unstable({
      entries: entriesAt(5, [1]),
      offset: 5,
      offsetInProgress: 6,
      snapshot: snap4,
      snapshotInProgress: true,
    });
    const snapshot = snapshotAt(6, 2);
    u.restore(snapshot);
    expect(u.offset).toBe(7);
    expect(u.offsetInProgress).toBe(7);
    expect(u.entries).toEqual([]);
    expect(u.snapshot).toEqual(snapshot);
    expect(u.snapshot).not.toBe(snapshot);
    expect(u.snapshotInProgress).toBe(false);
  });
});

describe('unstable in-progress writes', () => {
  it.each<[Entry[], number, number, number[]]>([
    [[], 0, 0, []],
    [entriesAt(5, [1, 1]), 5, 5, [5, 6]],
    [entriesAt(5, [1, 1]), 5, 6, [6]],
    [entriesAt(5, [1, 1]), 5, 7, []],
  ])('nextEntries %#', (entries, offset, offsetInProgress, want) => {
    expect(
      unstable({ entries, offset, offsetInProgress })
        .nextEntries()
        .map((e) => e.index),
    ).toEqual(want);
  });

  it('nextSnapshot returns a copy until the write starts', () => {
    expect(unstable({ offset: 0 }).nextSnapshot()).toBeNull();
    const u = unstable({ offset: 5, snapshot: snap4 });
    expect(u.nextSnapshot()).toEqual(snap4);
    u.acceptInProgress();
    expect(u.nextSnapshot()).toBeNull();
  });

  it.each<[Entry[], Snapshot | null, number, boolean, number, boolean]>([
    [[], null, 5, false, 5, false],
    [entriesAt(5, [1]), null, 5, false, 6, false],
    [entriesAt(5, [1, 1]), null, 5, false, 7, false],
    [entriesAt(5, [1, 1]), null, 6, false, 7, false],
    [entriesAt(5, [1, 1]), null, 7, false, 7, false],
    [[], snap4, 5, false, 5, true],
    [entriesAt(5, [1]), snap4, 5, false, 6, true],
    [entriesAt(5, [1, 1]), snap4, 6, true, 7, true],
  ])(
    'acceptInProgress %#',
    (entries, snapshot, offsetInProgress, snapshotInProgress, wantOffset, wantSnap) => {
      const u = unstable({ entries, offset: 5, snapshot, offsetInProgress, snapshotInProgress });
      u.acceptInProgress();
      expect(u.offsetInProgress).toBe(wantOffset);
      expect(u.snapshotInProgress).toBe(wantSnap);
      u.checkInvariants();
    },
  );
});

describe('unstable.stableTo', () => {
  type Case = [Entry[], number, number, Snapshot | null, number, number, number, number, number];
  // entries, offset, offsetInProgress, snapshot, index, term, wantOffset, wantOffsetInProgress, wantLength
  const cases: Case[] = [
    [[], 0, 0, null, 5, 1, 0, 0, 0],
    [entriesAt(5, [1]), 5, 6, null, 5, 1, 6, 6, 0],
    [entriesAt(5, [1, 1]), 5, 6, null, 5, 1, 6, 6, 1],
    [entriesAt(5, [1, 1]), 5, 7, null, 5, 1, 6, 7, 1],
    [entriesAt(6, [2]), 6, 7, null, 6, 1, 6, 7, 1],
    [entriesAt(5, [1]), 5, 6, null, 4, 1, 5, 6, 1],
    [entriesAt(5, [1]), 5, 6, null, 4, 2, 5, 6, 1],
    [entriesAt(5, [1]), 5, 6, snap4, 5, 1, 6, 6, 0],
    [entriesAt(5, [1, 1]), 5, 6, snap4, 5, 1, 6, 6, 1],
    [entriesAt(6, [2]), 6, 7, snapshotAt(5, 1), 6, 1, 6, 7, 1],
    [entriesAt(5, [1]), 5, 6, snap4, 4, 1, 5, 6, 1],
    [entriesAt(5, [2]), 5, 6, snapshotAt(4, 2), 4, 1, 5, 6, 1],
  ];
  it.each(cases)(
    '%#',
    (
      entries,
      offset,
      offsetInProgress,
      snapshot,
      index,
      term,
      wantOffset,
      wantInProgress,
      wantLength,
    ) => {
      const u = unstable({ entries, offset, offsetInProgress, snapshot });
      u.stableTo({ term, index });
      expect(u.offset).toBe(wantOffset);
      expect(u.offsetInProgress).toBe(wantInProgress);
      expect(u.entries).toHaveLength(wantLength);
    },
  );

  it('logs why a write is ignored, at INFO as etcd 3.6 does', () => {
    const lines: string[] = [];
    const logger = sinkLogger((level, text) => lines.push(`${logLevelName(level)} ${text}`));
    const u = new Unstable({ offset: 5, entries: entriesAt(5, [2]), snapshot: snap4, logger });
    u.stableTo({ term: 1, index: 9 });
    u.stableTo({ term: 1, index: 4 });
    u.stableTo({ term: 1, index: 5 });
    expect(lines).toEqual([
      'INFO entry at index 9 missing from unstable log; ignoring',
      'INFO entry at index 4 matched unstable snapshot; ignoring',
      'INFO entry at (index,term)=(5,1) mismatched with entry at (5,2) in unstable log; ignoring',
    ]);
  });

  it('stableSnapTo drops only the matching snapshot', () => {
    const u = unstable({ offset: 5, snapshot: snap4, snapshotInProgress: true });
    u.stableSnapTo(3);
    expect(u.snapshot).not.toBeNull();
    u.stableSnapTo(4);
    expect(u.snapshot).toBeNull();
    expect(u.snapshotInProgress).toBe(false);
  });
});

function logLevelName(level: LogLevel): string {
  return LogLevel[level].toUpperCase();
}

describe('unstable.truncateAndAppend', () => {
  type Case = [Entry[], number, number, Entry[], number, number, Entry[]];
  // entries, offset, offsetInProgress, toAppend, wantOffset, wantOffsetInProgress, wantEntries
  const cases: Case[] = [
    // Append to the end.
    [entriesAt(5, [1]), 5, 5, entriesAt(6, [1, 1]), 5, 5, entriesAt(5, [1, 1, 1])],
    [entriesAt(5, [1]), 5, 6, entriesAt(6, [1, 1]), 5, 6, entriesAt(5, [1, 1, 1])],
    // Replace everything.
    [entriesAt(5, [1]), 5, 5, entriesAt(5, [2, 2]), 5, 5, entriesAt(5, [2, 2])],
    [entriesAt(5, [1]), 5, 5, entriesAt(4, [2, 2, 2]), 4, 4, entriesAt(4, [2, 2, 2])],
    [entriesAt(5, [1]), 5, 6, entriesAt(5, [2, 2]), 5, 5, entriesAt(5, [2, 2])],
    // Truncate and append.
    [entriesAt(5, [1, 1, 1]), 5, 5, entriesAt(6, [2]), 5, 5, entriesAt(5, [1, 2])],
    [entriesAt(5, [1, 1, 1]), 5, 5, entriesAt(7, [2, 2]), 5, 5, entriesAt(5, [1, 1, 2, 2])],
    [entriesAt(5, [1, 1, 1]), 5, 6, entriesAt(6, [2]), 5, 6, entriesAt(5, [1, 2])],
    [entriesAt(5, [1, 1, 1]), 5, 7, entriesAt(6, [2]), 5, 6, entriesAt(5, [1, 2])],
  ];
  it.each(cases)(
    '%#',
    (entries, offset, offsetInProgress, toAppend, wantOffset, wantInProgress, want) => {
      const u = unstable({ entries, offset, offsetInProgress });
      u.truncateAndAppend(toAppend);
      expect(u.offset).toBe(wantOffset);
      expect(u.offsetInProgress).toBe(wantInProgress);
      expect(u.entries).toEqual(want);
      u.checkInvariants();
    },
  );

  it('keeps its own copies: changing the caller entries later changes nothing', () => {
    const u = unstable({ offset: 1 });
    const appended = entriesAt(1, [1]);
    u.truncateAndAppend(appended);
    appended[0].term = 9;
    expect(u.entries[0].term).toBe(1);
  });

  it('slice panics outside the unstable entries', () => {
    const u = unstable({ offset: 5, entries: entriesAt(5, [1, 1]) });
    expect(u.slice(5, 7)).toEqual(entriesAt(5, [1, 1]));
    expect(() => u.slice(4, 6)).toThrow(RaftPanic);
    expect(() => u.slice(6, 8)).toThrow(/unstable.slice\[6,8\) out of bound \[5,7\]/);
    expect(() => u.slice(6, 5)).toThrow(/invalid unstable.slice 6 > 5/);
  });
});
