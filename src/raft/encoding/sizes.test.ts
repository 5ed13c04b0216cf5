import { describe, expect, it } from 'vitest';
import { EntryType, makeEntry } from '../types';
import { entrySize, entsSize, payloadSize, payloadsSize } from './sizes';

describe('entry sizes, as gogoproto encodes raftpb.Entry', () => {
  it.each([
    // Type, Term and Index are always encoded: three tag bytes and three one-byte varints.
    [makeEntry({}), 6],
    [makeEntry({ term: 1, index: 1 }), 6],
    [makeEntry({ term: 127, index: 128 }), 7],
    [makeEntry({ term: 128, index: 16384, type: EntryType.EntryConfChangeV2 }), 9],
    // Data is encoded when not nil, even when empty: a tag byte, a length varint and the bytes.
    [makeEntry({ data: new Uint8Array(0) }), 8],
    [makeEntry({ data: new Uint8Array(3) }), 11],
    [makeEntry({ data: new Uint8Array(127) }), 135],
    [makeEntry({ data: new Uint8Array(128) }), 137],
    [
      makeEntry({ term: 2 ** 35, index: 2 ** 49, data: new Uint8Array(1) }),
      1 + 1 + 1 + 6 + 1 + 8 + 3,
    ],
  ])('%o has size %i', (entry, want) => {
    expect(entrySize(entry)).toBe(want);
  });

  it('sums sizes and payloads', () => {
    const entries = [
      makeEntry({ data: new Uint8Array(5) }),
      makeEntry({}),
      makeEntry({ data: new Uint8Array(0) }),
    ];
    expect(entsSize(entries)).toBe(13 + 6 + 8);
    expect(entsSize([])).toBe(0);
    expect(entries.map(payloadSize)).toEqual([5, 0, 0]);
    expect(payloadsSize(entries)).toBe(5);
  });
});
