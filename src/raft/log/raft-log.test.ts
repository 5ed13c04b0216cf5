import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { noLimit } from '../config';
import { entrySize, entsSize } from '../encoding/sizes';
import { errCompacted, errUnavailable } from '../errors';
import { LogLevel, RaftPanic, discardLogger, sinkLogger } from '../logger';
import type { Entry, LogIndex } from '../types';
import { entriesAt, snapshotAt, termRange } from './entries-for-test';
import { MemoryStorage } from './log-storage';
import { newLog, newLogWithSize, type RaftLog } from './raft-log';

function logWith(entries: Entry[]): RaftLog {
  const log = newLog(new MemoryStorage(), discardLogger);
  log.append(entries);
  return log;
}

function storageAt(index: LogIndex, term: number): MemoryStorage {
  const storage = new MemoryStorage();
  storage.applySnapshot(snapshotAt(index, term));
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

describe('raftLog.findConflict (Raft paper 5.3, log matching)', () => {
  const cases: Array<[Entry[], LogIndex]> = [
    [[], 0],
    [entriesAt(1, [1, 2, 3]), 0],
    [entriesAt(2, [2, 3]), 0],
    [entriesAt(3, [3]), 0],
    [entriesAt(1, [1, 2, 3, 4, 4]), 4],
    [entriesAt(2, [2, 3, 4, 5]), 4],
    [entriesAt(3, [3, 4, 4]), 4],
    [entriesAt(4, [4, 4]), 4],
    [entriesAt(1, [4, 4]), 1],
    [entriesAt(2, [1, 4, 4]), 2],
    [entriesAt(3, [1, 2, 4, 4]), 3],
  ];
  it.each(cases.map((c, i) => [i, ...c] as const))('case %i', (_i, entries, want) => {
    expect(logWith(entriesAt(1, [1, 2, 3])).findConflict(entries)).toBe(want);
  });

  it('logs a conflict inside the log with etcd wording', () => {
    const lines: string[] = [];
    const log = newLog(
      new MemoryStorage(),
      sinkLogger((level, text) => lines.push(`${LogLevel[level]} ${text}`)),
    );
    log.append(entriesAt(1, [1, 2, 3]));
    lines.length = 0;
    expect(log.findConflict(entriesAt(2, [1, 4]))).toBe(2);
    expect(lines).toEqual([
      'Info found conflict at index 2 [existing term: 2, conflicting term: 1]',
    ]);
  });
});

describe('raftLog.findConflictByTerm', () => {
  const cases: Array<[Entry[], LogIndex, number, LogIndex]> = [
    [entriesAt(0, [0, 2, 2, 5, 5, 5]), 100, 2, 100],
    [entriesAt(0, [0, 2, 2, 5, 5, 5]), 5, 6, 5],
    [entriesAt(0, [0, 2, 2, 5, 5, 5]), 5, 5, 5],
    [entriesAt(0, [0, 2, 2, 5, 5, 5]), 5, 4, 2],
    [entriesAt(0, [0, 2, 2, 5, 5, 5]), 5, 2, 2],
    [entriesAt(0, [0, 2, 2, 5, 5, 5]), 5, 1, 0],
    [entriesAt(0, [0, 2, 2, 5, 5, 5]), 1, 2, 1],
    [entriesAt(0, [0, 2, 2, 5, 5, 5]), 1, 1, 0],
    [entriesAt(0, [0, 2, 2, 5, 5, 5]), 0, 0, 0],
    [entriesAt(10, [3, 3, 3, 4, 4, 4]), 30, 3, 30],
    [entriesAt(10, [3, 3, 3, 4, 4, 4]), 14, 9, 14],
    [entriesAt(10, [3, 3, 3, 4, 4, 4]), 14, 4, 14],
    [entriesAt(10, [3, 3, 3, 4, 4, 4]), 14, 3, 12],
    [entriesAt(10, [3, 3, 3, 4, 4, 4]), 14, 2, 9],
    [entriesAt(10, [3, 3, 3, 4, 4, 4]), 11, 5, 11],
    [entriesAt(10, [3, 3, 3, 4, 4, 4]), 10, 5, 10],
    [entriesAt(10, [3, 3, 3, 4, 4, 4]), 10, 3, 10],
    [entriesAt(10, [3, 3, 3, 4, 4, 4]), 10, 2, 9],
    [entriesAt(10, [3, 3, 3, 4, 4, 4]), 9, 2, 9],
    [entriesAt(10, [3, 3, 3, 4, 4, 4]), 4, 2, 4],
    [entriesAt(10, [3, 3, 3, 4, 4, 4]), 0, 0, 0],
  ];
  it.each(cases.map((c, i) => [i, ...c] as const))('case %i', (_i, entries, index, term, want) => {
    const storage = new MemoryStorage();
    if (entries[0].index > 0) storage.applySnapshot(snapshotAt(entries[0].index, entries[0].term));
    const log = newLog(storage, discardLogger);
    log.append(entries.slice(1));
    const got = log.findConflictByTerm(index, term);
    expect(got.index).toBe(want);
    expect(got.term).toBe(log.zeroTermOnOutOfBounds(got.index));
  });
});

describe('raftLog.isUpToDate (Raft paper 5.4.1, election restriction)', () => {
  const log = logWith(entriesAt(1, [1, 2, 3]));
  const last = log.lastIndex();
  it.each([
    [last - 1, 4, true],
    [last, 4, true],
    [last + 1, 4, true],
    [last - 1, 2, false],
    [last, 2, false],
    [last + 1, 2, false],
    [last - 1, 3, false],
    [last, 3, true],
    [last + 1, 3, true],
  ])('index %i term %i -> %s', (index, term, want) => {
    expect(log.isUpToDate({ term, index })).toBe(want);
  });
});

describe('raftLog.append', () => {
  it.each([
    [[], 2, entriesAt(1, [1, 2]), 3],
    [entriesAt(3, [2]), 3, entriesAt(1, [1, 2, 2]), 3],
    [entriesAt(1, [2]), 1, entriesAt(1, [2]), 1],
    [entriesAt(2, [3, 3]), 3, entriesAt(1, [1, 3, 3]), 2],
  ] as Array<[Entry[], number, Entry[], number]>)(
    'case %#',
    (entries, wantIndex, wantEntries, wantOffset) => {
      const storage = new MemoryStorage();
      storage.append(entriesAt(1, [1, 2]));
      const log = newLog(storage, discardLogger);
      expect(log.append(entries)).toBe(wantIndex);
      expect(log.entries(1, noLimit)).toEqual(wantEntries);
      expect(log.unstable.offset).toBe(wantOffset);
    },
  );

  it('panics when appending before the commit index', () => {
    const log = logWith(entriesAt(1, [1, 2, 3]));
    log.commitTo(2);
    expect(() => log.append(entriesAt(2, [4]))).toThrow(RaftPanic);
  });
});

describe('raftLog.maybeAppend (Raft paper 5.3, AppendEntries receiver rules)', () => {
  const lastIndex = 3;
  const lastTerm = 3;
  const commit = 1;
  type Case = [number, number, number, Entry[], number, boolean, number, boolean];
  const cases: Case[] = [
    // prevTerm, prevIndex, committed, entries, wantLast, wantOk, wantCommit, wantPanic
    [lastTerm - 1, lastIndex, lastIndex, entriesAt(lastIndex + 1, [4]), 0, false, commit, false],
    [lastTerm, lastIndex + 1, lastIndex, entriesAt(lastIndex + 2, [4]), 0, false, commit, false],
    [lastTerm, lastIndex, lastIndex, [], lastIndex, true, lastIndex, false],
    [lastTerm, lastIndex, lastIndex + 1, [], lastIndex, true, lastIndex, false],
    [lastTerm, lastIndex, lastIndex - 1, [], lastIndex, true, lastIndex - 1, false],
    [lastTerm, lastIndex, 0, [], lastIndex, true, commit, false],
    [0, 0, lastIndex, [], 0, true, commit, false],
    [
      lastTerm,
      lastIndex,
      lastIndex,
      entriesAt(lastIndex + 1, [4]),
      lastIndex + 1,
      true,
      lastIndex,
      false,
    ],
    [
      lastTerm,
      lastIndex,
      lastIndex + 1,
      entriesAt(lastIndex + 1, [4]),
      lastIndex + 1,
      true,
      lastIndex + 1,
      false,
    ],
    [
      lastTerm,
      lastIndex,
      lastIndex + 2,
      entriesAt(lastIndex + 1, [4]),
      lastIndex + 1,
      true,
      lastIndex + 1,
      false,
    ],
    [
      lastTerm,
      lastIndex,
      lastIndex + 2,
      entriesAt(lastIndex + 1, [4, 4]),
      lastIndex + 2,
      true,
      lastIndex + 2,
      false,
    ],
    [
      lastTerm - 1,
      lastIndex - 1,
      lastIndex,
      entriesAt(lastIndex, [4]),
      lastIndex,
      true,
      lastIndex,
      false,
    ],
    [
      lastTerm - 2,
      lastIndex - 2,
      lastIndex,
      entriesAt(lastIndex - 1, [4]),
      lastIndex - 1,
      true,
      lastIndex - 1,
      false,
    ],
    [lastTerm - 3, lastIndex - 3, lastIndex, entriesAt(lastIndex - 2, [4]), 0, false, 0, true],
    [
      lastTerm - 2,
      lastIndex - 2,
      lastIndex,
      entriesAt(lastIndex - 1, [4, 4]),
      lastIndex,
      true,
      lastIndex,
      false,
    ],
  ];
  it.each(cases.map((c, i) => [i, ...c] as const))(
    'case %i',
    (_i, prevTerm, prevIndex, committed, entries, wantLast, wantOk, wantCommit, wantPanic) => {
      const log = logWith(entriesAt(1, [1, 2, 3]));
      log.committed = commit;
      const slice = { term: 100, prev: { term: prevTerm, index: prevIndex }, entries };
      if (wantPanic) {
        expect(() => log.maybeAppend(slice, committed)).toThrow(RaftPanic);
        return;
      }
      expect(log.maybeAppend(slice, committed)).toEqual({ lastIndex: wantLast, ok: wantOk });
      expect(log.committed).toBe(wantCommit);
      if (wantOk && entries.length > 0) {
        const got = log.slice(log.lastIndex() - entries.length + 1, log.lastIndex() + 1, noLimit);
        expect(got).toEqual(entries);
      }
    },
  );

  it('never truncates committed entries: it panics instead (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 8 }),
        fc.nat(8),
        fc.nat(8),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }),
        (termSteps, commitSeed, prevSeed, newTermSteps) => {
          const terms = termSteps.reduce<number[]>(
            (acc, step) => [...acc, (acc.at(-1) ?? 0) + step - 1 || 1],
            [],
          );
          const log = logWith(entriesAt(1, terms));
          const committed = commitSeed % (terms.length + 1);
          log.commitTo(committed);
          const prevIndex = prevSeed % (terms.length + 1);
          const prevTerm = prevIndex === 0 ? 0 : terms[prevIndex - 1];
          const newTerms = newTermSteps.map((step) => prevTerm + step);
          const before = log.allEntries().slice(0, committed);
          const slice = {
            term: 100,
            prev: { term: prevTerm, index: prevIndex },
            entries: entriesAt(prevIndex + 1, newTerms),
          };
          let panicked = false;
          try {
            log.maybeAppend(slice, 0);
          } catch (error) {
            if (!(error instanceof RaftPanic)) throw error;
            panicked = true;
          }
          if (!panicked) expect(log.allEntries().slice(0, committed)).toEqual(before);
          const conflict = newTerms.findIndex(
            (term, i) => prevIndex + 1 + i <= terms.length && terms[prevIndex + i] !== term,
          );
          const conflictIndex = conflict < 0 ? Infinity : prevIndex + 1 + conflict;
          expect(panicked).toBe(conflictIndex <= committed);
        },
      ),
    );
  });
});

describe('raftLog after storage compaction', () => {
  it('still answers terms, matches, unstable entries and appends (etcd TestCompactionSideEffects)', () => {
    const storage = new MemoryStorage();
    storage.append(termRange(1, 1, 751));
    const log = newLog(storage, discardLogger);
    log.append(termRange(751, 751, 1001));
    expect(log.maybeCommit(log.lastEntryID())).toBe(true);
    log.appliedTo(log.committed, 0);
    storage.compact(500);
    expect(log.lastIndex()).toBe(1000);
    for (let j = 500; j <= 1000; j++) {
      expect(log.term(j)).toBe(j);
      expect(log.matchTerm({ term: j, index: j })).toBe(true);
    }
    const unstable = log.nextUnstableEnts();
    expect(unstable.length).toBe(250);
    expect(unstable[0].index).toBe(751);
    log.append(entriesAt(1001, [1001]));
    expect(log.lastIndex()).toBe(1001);
    expect(log.entries(1001, noLimit)).toHaveLength(1);
  });

  it.each([
    [[1001], [-1], false],
    [[300, 500, 800, 900], [700, 500, 200, 100], true],
    [[300, 299], [700, -1], false],
  ])('compact %j leaves %j entries', (compacts, left, allowed) => {
    const storage = new MemoryStorage();
    storage.append(termRange(1, 1, 1001));
    const log = newLog(storage, discardLogger);
    let failed = false;
    compacts.forEach((index, position) => {
      try {
        storage.compact(index);
      } catch {
        failed = true;
        return;
      }
      expect(log.allEntries().length).toBe(left[position]);
    });
    expect(failed).toBe(!allowed);
  });
});

function appliedLog(maxSize: number): RaftLog {
  const storage = storageAt(3, 1);
  const entries = entriesAt(4, [1, 1, 1]);
  storage.append(entries.slice(0, 1));
  const log = newLogWithSize(storage, discardLogger, maxSize);
  log.append(entries);
  log.stableTo({ term: 1, index: 4 });
  log.maybeCommit({ term: 1, index: 5 });
  return log;
}

describe('raftLog committed entries for the application', () => {
  type Case = {
    applied: number;
    applying: number;
    allowUnstable: boolean;
    paused?: boolean;
    snap?: boolean;
    want: number[];
  };
  const cases: Case[] = [
    { applied: 3, applying: 3, allowUnstable: true, want: [4, 5] },
    { applied: 3, applying: 4, allowUnstable: true, want: [5] },
    { applied: 3, applying: 5, allowUnstable: true, want: [] },
    { applied: 4, applying: 4, allowUnstable: true, want: [5] },
    { applied: 4, applying: 5, allowUnstable: true, want: [] },
    { applied: 5, applying: 5, allowUnstable: true, want: [] },
    { applied: 3, applying: 3, allowUnstable: false, want: [4] },
    { applied: 3, applying: 4, allowUnstable: false, want: [] },
    { applied: 3, applying: 5, allowUnstable: false, want: [] },
    { applied: 4, applying: 4, allowUnstable: false, want: [] },
    { applied: 4, applying: 5, allowUnstable: false, want: [] },
    { applied: 5, applying: 5, allowUnstable: false, want: [] },
    { applied: 3, applying: 3, allowUnstable: true, paused: true, want: [] },
    { applied: 3, applying: 3, allowUnstable: true, snap: true, want: [] },
  ];
  it.each(cases)('%o', (c) => {
    const log = appliedLog(noLimit);
    log.appliedTo(c.applied, 0);
    log.acceptApplying(c.applying, 0, c.allowUnstable);
    log.applyingEntsPaused = c.paused ?? false;
    if (c.snap) log.restore(snapshotAt(4, 1));
    expect(log.nextCommittedEnts(c.allowUnstable).map((e) => e.index)).toEqual(c.want);
    expect(log.hasNextCommittedEnts(c.allowUnstable)).toBe(c.want.length > 0);
  });

  const maxSize = 100;
  it.each([
    [3, true, maxSize - 1, true],
    [3, true, maxSize, true],
    [3, true, maxSize + 1, true],
    [4, true, maxSize - 1, true],
    [4, true, maxSize, true],
    [4, true, maxSize + 1, true],
    [5, true, maxSize - 1, false],
    [5, true, maxSize, true],
    [5, true, maxSize + 1, true],
    [3, false, maxSize - 1, true],
    [3, false, maxSize, true],
    [3, false, maxSize + 1, true],
    [4, false, maxSize - 1, false],
    [4, false, maxSize, true],
    [4, false, maxSize + 1, true],
    [5, false, maxSize - 1, false],
    [5, false, maxSize, true],
    [5, false, maxSize + 1, true],
  ])(
    'acceptApplying(%i, allowUnstable %s, size %i) pauses: %s',
    (index, allowUnstable, size, paused) => {
      const log = appliedLog(maxSize);
      log.appliedTo(3, 0);
      log.acceptApplying(index, size, allowUnstable);
      expect(log.applyingEntsPaused).toBe(paused);
    },
  );

  const overshoot = 5;
  it.each([
    [4, overshoot - 1, maxSize + 1, true],
    [4, overshoot, maxSize, true],
    [4, overshoot + 1, maxSize - 1, false],
    [5, overshoot - 1, maxSize + 1, true],
    [5, overshoot, maxSize, true],
    [5, overshoot + 1, maxSize - 1, false],
    [4, maxSize + overshoot, 0, false],
    [4, maxSize + overshoot + 1, 0, false],
  ])(
    'appliedTo(%i, %i) leaves %i applying bytes, paused %s',
    (index, size, applyingSize, paused) => {
      const log = appliedLog(maxSize);
      log.appliedTo(3, 0);
      log.acceptApplying(5, maxSize + overshoot, false);
      log.appliedTo(index, size);
      expect(log.applied).toBe(index);
      expect(log.applying).toBe(5);
      expect(log.applyingEntsSize).toBe(applyingSize);
      expect(log.applyingEntsPaused).toBe(paused);
    },
  );

  it('hands out committed entries within the byte budget', () => {
    const storage = new MemoryStorage();
    storage.append(entriesAt(1, [1, 1, 1, 1]));
    const size = entrySize(entriesAt(1, [1])[0]);
    const log = newLogWithSize(storage, discardLogger, 2 * size);
    log.commitTo(4);
    expect(log.nextCommittedEnts(true).map((e) => e.index)).toEqual([1, 2]);
    log.acceptApplying(2, 2 * size, true);
    expect(log.applyingEntsPaused).toBe(true);
    expect(log.nextCommittedEnts(true)).toEqual([]);
    log.appliedTo(2, 2 * size);
    expect(log.nextCommittedEnts(true).map((e) => e.index)).toEqual([3, 4]);
  });

  it('panics when applied goes backwards or past committed', () => {
    const log = appliedLog(noLimit);
    log.appliedTo(4, 0);
    expect(() => log.appliedTo(3, 0)).toThrow(RaftPanic);
    expect(() => log.appliedTo(6, 0)).toThrow(RaftPanic);
    expect(() => log.acceptApplying(6, 0, true)).toThrow(RaftPanic);
  });
});

describe('raftLog unstable entries and stableTo', () => {
  it.each([
    [3, []],
    [1, [1, 2]],
  ])('storage holds entries before %i', (unstableFrom, want) => {
    const previous = entriesAt(1, [1, 2]);
    const storage = new MemoryStorage();
    storage.append(previous.slice(0, unstableFrom - 1));
    const log = newLog(storage, discardLogger);
    log.append(previous.slice(unstableFrom - 1));
    const entries = log.nextUnstableEnts();
    if (entries.length > 0)
      log.stableTo({ term: entries.at(-1)!.term, index: entries.at(-1)!.index });
    expect(entries.map((e) => e.index)).toEqual(want);
    expect(log.unstable.offset).toBe(3);
  });

  it.each([
    [1, 1, 2],
    [2, 2, 3],
    [2, 1, 1],
    [3, 1, 1],
  ])('stableTo(index %i, term %i) leaves offset %i', (index, term, offset) => {
    const log = logWith(entriesAt(1, [1, 2]));
    log.stableTo({ term, index });
    expect(log.unstable.offset).toBe(offset);
  });

  const snapIndex = 5;
  const snapTerm = 2;
  it.each([
    [snapIndex + 1, snapTerm, false, snapIndex + 1],
    [snapIndex, snapTerm, false, snapIndex + 1],
    [snapIndex - 1, snapTerm, false, snapIndex + 1],
    [snapIndex + 1, snapTerm + 1, false, snapIndex + 1],
    [snapIndex, snapTerm + 1, false, snapIndex + 1],
    [snapIndex - 1, snapTerm + 1, false, snapIndex + 1],
    [snapIndex + 1, snapTerm, true, snapIndex + 2],
    [snapIndex, snapTerm, true, snapIndex + 1],
    [snapIndex - 1, snapTerm, true, snapIndex + 1],
    [snapIndex + 1, snapTerm + 1, true, snapIndex + 1],
    [snapIndex, snapTerm + 1, true, snapIndex + 1],
    [snapIndex - 1, snapTerm + 1, true, snapIndex + 1],
  ])(
    'after a storage snapshot: stableTo(%i, %i), new entry %s -> offset %i',
    (index, term, withEntry, offset) => {
      const log = newLog(storageAt(snapIndex, snapTerm), discardLogger);
      if (withEntry) log.append(entriesAt(snapIndex + 1, [snapTerm]));
      log.stableTo({ term, index });
      expect(log.unstable.offset).toBe(offset);
    },
  );
});

describe('raftLog.commitTo', () => {
  it.each([
    [3, 3],
    [1, 2],
  ])('commitTo(%i) -> %i', (to, want) => {
    const log = logWith(entriesAt(1, [1, 2, 3]));
    log.committed = 2;
    log.commitTo(to);
    expect(log.committed).toBe(want);
  });

  it('panics when committing past the last index', () => {
    const log = logWith(entriesAt(1, [1, 2, 3]));
    expect(() => log.commitTo(4)).toThrow(/tocommit\(4\) is out of range \[lastIndex\(3\)\]/);
  });

  it('maybeCommit ignores term 0 and entries of other terms (Raft paper 5.4.2)', () => {
    const log = logWith(entriesAt(1, [1, 2, 3]));
    expect(log.maybeCommit({ term: 0, index: 3 })).toBe(false);
    expect(log.maybeCommit({ term: 2, index: 3 })).toBe(false);
    expect(log.maybeCommit({ term: 2, index: 2 })).toBe(true);
    expect(log.committed).toBe(2);
    expect(log.maybeCommit({ term: 1, index: 1 })).toBe(false);
  });
});

describe('raftLog snapshots, bounds and terms', () => {
  it('starts from a storage snapshot (etcd TestLogRestore)', () => {
    const log = newLog(storageAt(1000, 1000), discardLogger);
    expect(log.allEntries()).toEqual([]);
    expect(log.firstIndex()).toBe(1001);
    expect(log.committed).toBe(1000);
    expect(log.unstable.offset).toBe(1001);
    expect(log.term(1000)).toBe(1000);
  });

  it('restore logs with etcd wording and commits the snapshot', () => {
    const lines: string[] = [];
    const log = newLog(
      new MemoryStorage(),
      sinkLogger((_level, text) => lines.push(text)),
    );
    log.restore(snapshotAt(4, 1));
    expect(lines).toEqual([
      'log [committed=0, applied=0, applying=0, unstable.offset=1, unstable.offsetInProgress=1, len(unstable.Entries)=0] starts to restore snapshot [index: 4, term: 1]',
    ]);
    expect(log.committed).toBe(4);
    expect(log.hasNextOrInProgressSnapshot()).toBe(true);
    expect(log.snapshot().metadata.index).toBe(4);
    expect(log.nextUnstableSnapshot()?.metadata.index).toBe(4);
    log.acceptUnstable();
    expect(log.hasNextUnstableSnapshot()).toBe(false);
    log.stableSnapTo(4);
    expect(log.hasNextOrInProgressSnapshot()).toBe(false);
  });

  const offset = 100;
  const num = 100;
  const first = offset + 1;
  it.each([
    [first - 2, first + 1, 'compacted'],
    [first - 1, first + 1, 'compacted'],
    [first, first, 'ok'],
    [first + num / 2, first + num / 2, 'ok'],
    [first + num - 1, first + num - 1, 'ok'],
    [first + num, first + num, 'ok'],
    [first + num, first + num + 1, 'panic'],
    [first + num + 1, first + num + 1, 'panic'],
  ])('mustCheckOutOfBounds(%i, %i): %s', (lo, hi, want) => {
    const log = newLog(storageAt(offset, 0), discardLogger);
    log.append(termRange(offset + 1, offset + 1, offset + num + 1));
    const error = thrown(() => log.mustCheckOutOfBounds(lo, hi));
    if (want === 'ok') expect(error).toBeUndefined();
    if (want === 'compacted') expect(error).toBe(errCompacted);
    if (want === 'panic') expect(error).toBeInstanceOf(RaftPanic);
  });

  it.each([
    [offset - 1, errCompacted],
    [offset, 1],
    [offset + num / 2, num / 2],
    [offset + num - 1, num - 1],
    [offset + num, errUnavailable],
  ])('term(%i) -> %s', (index, want) => {
    const log = newLog(storageAt(offset, 1), discardLogger);
    log.append(termRange(offset + 1, 1, num));
    if (typeof want === 'number') expect(log.term(index)).toBe(want);
    else expect(thrown(() => log.term(index))).toBe(want);
    expect(log.zeroTermOnOutOfBounds(index)).toBe(typeof want === 'number' ? want : 0);
  });

  it.each([
    [100, errCompacted],
    [101, errCompacted],
    [104, errCompacted],
    [105, 1],
    [106, errUnavailable],
  ])('term(%i) with an unstable snapshot at 105 -> %s', (index, want) => {
    const log = newLog(storageAt(100, 1), discardLogger);
    log.restore(snapshotAt(105, 1));
    if (typeof want === 'number') expect(log.term(index)).toBe(want);
    else expect(thrown(() => log.term(index))).toBe(want);
  });

  it('lastEntryID and lastTerm describe the last entry', () => {
    const log = logWith(entriesAt(1, [1, 2, 3]));
    expect(log.lastEntryID()).toEqual({ term: 3, index: 3 });
    expect(log.lastTerm()).toBe(3);
    expect(log.string()).toBe(
      'committed=0, applied=0, applying=0, unstable.offset=1, unstable.offsetInProgress=1, len(unstable.Entries)=3',
    );
  });
});

describe('raftLog.slice across storage and the unstable tail', () => {
  const offset = 100;
  const last = offset + 100;
  const half = offset + 50;
  const halfSize = entrySize(termRange(half, half, half + 1)[0]);
  const range = (from: number, to: number) => termRange(from, from, to);
  const storage = storageAt(offset, 0);
  storage.append(range(offset + 1, half));
  const log = newLog(storage, discardLogger);
  log.append(range(half, last));

  it('throws errCompacted below the first index and panics on bad ranges', () => {
    expect(thrown(() => log.slice(offset - 1, offset + 1, noLimit))).toBe(errCompacted);
    expect(thrown(() => log.slice(offset, offset + 1, noLimit))).toBe(errCompacted);
    expect(thrown(() => log.slice(half, half - 1, noLimit))).toBeInstanceOf(RaftPanic);
    expect(thrown(() => log.slice(last, last + 1, noLimit))).toBeInstanceOf(RaftPanic);
  });

  it.each([
    [offset + 1, offset + 1, noLimit, range(offset + 1, offset + 1)],
    [offset + 1, half - 1, noLimit, range(offset + 1, half - 1)],
    [offset + 1, half, noLimit, range(offset + 1, half)],
    [offset + 1, half + 1, noLimit, range(offset + 1, half + 1)],
    [offset + 1, last, noLimit, range(offset + 1, last)],
    [half - 1, half, noLimit, range(half - 1, half)],
    [half - 1, half + 1, noLimit, range(half - 1, half + 1)],
    [half - 1, last, noLimit, range(half - 1, last)],
    [half, half + 1, noLimit, range(half, half + 1)],
    [half, last, noLimit, range(half, last)],
    [last - 1, last, noLimit, range(last - 1, last)],
    [offset + 1, last, 0, range(offset + 1, offset + 2)],
    [half - 1, half + 1, 0, range(half - 1, half)],
    [half, last, 0, range(half, half + 1)],
    [half + 1, last, 0, range(half + 1, half + 2)],
    [offset + 1, last, halfSize - 1, range(offset + 1, offset + 2)],
    [half - 1, half + 1, halfSize - 1, range(half - 1, half)],
    [half, last, halfSize - 1, range(half, half + 1)],
    [offset + 1, last, halfSize, range(offset + 1, offset + 2)],
    [half - 1, half + 1, halfSize, range(half - 1, half)],
    [half, last, halfSize, range(half, half + 1)],
    [offset + 1, last, halfSize + 1, range(offset + 1, offset + 2)],
    [half - 1, half + 1, halfSize + 1, range(half - 1, half)],
    [half, last, halfSize + 1, range(half, half + 1)],
    [offset + 1, last, halfSize * 2, range(offset + 1, offset + 3)],
    [half - 2, half + 1, halfSize * 2, range(half - 2, half)],
    [half - 1, half + 1, halfSize * 2, range(half - 1, half + 1)],
    [half, last, halfSize * 2, range(half, half + 2)],
    [half - 2, half + 1, halfSize * 3 - 1, range(half - 2, half)],
    [half - 1, half + 2, halfSize * 3, range(half - 1, half + 2)],
  ])('slice(%i, %i, %i)', (lo, hi, maxSize, want) => {
    expect(log.slice(lo, hi, maxSize)).toEqual(want);
  });

  it('returns a fresh array that callers may change', () => {
    const got = log.slice(half, half + 2, noLimit);
    got.push(...range(1, 2));
    expect(log.slice(half, half + 2, noLimit)).toHaveLength(2);
  });
});

describe('raftLog.scan', () => {
  const offset = 47;
  const last = offset + 20;
  const half = offset + 10;
  const range = (from: number, to: number) => termRange(from, from, to);
  const size = entsSize(range(half, half + 1));
  const storage = storageAt(offset, 0);
  storage.append(range(offset + 1, half));
  const log = newLog(storage, discardLogger);
  log.append(range(half, last));

  it('visits the same entries slice returns, page by page', () => {
    for (const pageSize of [0, 1, 10, 100, size, size + 1]) {
      for (let lo = offset + 1; lo < last; lo++) {
        for (let hi = lo; hi <= last; hi++) {
          const got: Entry[] = [];
          log.scan(lo, hi, pageSize, (entries) => {
            expect(entries.length === 1 || entsSize(entries) <= pageSize).toBe(true);
            got.push(...entries);
          });
          expect(got).toEqual(log.slice(lo, hi, noLimit));
        }
      }
    }
  });

  it('stops when the visitor throws, and fills each page', () => {
    const stop = new Error('break');
    let pages = 0;
    const error = thrown(() =>
      log.scan(offset + 1, half, 0, () => {
        pages++;
        if (pages === 2) throw stop;
      }),
    );
    expect(error).toBe(stop);
    expect(pages).toBe(2);
    log.scan(offset + 1, offset + 11, size * 2, (entries) => {
      expect(entries).toHaveLength(2);
      expect(entsSize(entries)).toBe(size * 2);
    });
  });
});
