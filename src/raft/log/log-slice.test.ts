import { describe, expect, it } from 'vitest';
import { MessageType, makeMessage } from '../types';
import { entriesAt } from './entries-for-test';
import {
  formatEntryID,
  logSliceFromMsgApp,
  logSliceLastEntryID,
  logSliceLastIndex,
  logSliceValid,
  pbEntryID,
  type LogSlice,
} from './log-slice';

describe('entry ids and log slices', () => {
  it('names entries by (term, index) and prints them like Go %+v', () => {
    expect(pbEntryID(entriesAt(7, [3])[0])).toEqual({ term: 3, index: 7 });
    expect(formatEntryID({ term: 3, index: 7 })).toBe('{term:3 index:7}');
  });

  it('knows its last entry', () => {
    const empty: LogSlice = { term: 5, prev: { term: 2, index: 10 }, entries: [] };
    expect(logSliceLastIndex(empty)).toBe(10);
    expect(logSliceLastEntryID(empty)).toEqual({ term: 2, index: 10 });
    const full: LogSlice = {
      term: 5,
      prev: { term: 2, index: 10 },
      entries: entriesAt(11, [2, 4]),
    };
    expect(logSliceLastIndex(full)).toBe(12);
    expect(logSliceLastEntryID(full)).toEqual({ term: 4, index: 12 });
  });

  it.each<[LogSlice, string | null]>([
    [{ term: 1, prev: { term: 0, index: 0 }, entries: [] }, null],
    [{ term: 4, prev: { term: 1, index: 3 }, entries: entriesAt(4, [1, 2, 4]) }, null],
    [
      { term: 4, prev: { term: 1, index: 3 }, entries: entriesAt(5, [1]) },
      'leader term 4: entries {term:1 index:3} and {term:1 index:5} not consistent',
    ],
    [
      { term: 4, prev: { term: 2, index: 3 }, entries: entriesAt(4, [1]) },
      'leader term 4: entries {term:2 index:3} and {term:1 index:4} not consistent',
    ],
    [
      { term: 4, prev: { term: 1, index: 3 }, entries: entriesAt(4, [3, 2]) },
      'leader term 4: entries {term:3 index:4} and {term:2 index:5} not consistent',
    ],
    [
      { term: 2, prev: { term: 1, index: 3 }, entries: entriesAt(4, [3]) },
      'leader term 2: entry {term:3 index:4} has a newer term',
    ],
    [
      { term: 1, prev: { term: 2, index: 3 }, entries: [] },
      'leader term 1: entry {term:2 index:3} has a newer term',
    ],
  ])('valid %#', (slice, want) => {
    expect(logSliceValid(slice)).toBe(want);
  });

  it('reads the slice a MsgApp carries', () => {
    const entries = entriesAt(4, [2]);
    const message = makeMessage({
      type: MessageType.MsgApp,
      term: 3,
      logTerm: 1,
      index: 3,
      entries,
    });
    expect(logSliceFromMsgApp(message)).toEqual({ term: 3, prev: { term: 1, index: 3 }, entries });
  });
});
