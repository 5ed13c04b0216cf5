import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localAppendThread, localApplyThread } from './config';
import { entrySize, entsSize } from './encoding/sizes';
import { RaftPanic, discardLogger } from './logger';
import { MessageType, emptyConfState, makeEntry } from './types';
import {
  assertConfStatesEquivalent,
  confStateEquivalent,
  extend,
  isLocalMsg,
  isLocalMsgTarget,
  isResponseMsg,
  limitSize,
  voteRespMsgType,
} from './util';

const allTypes = Object.values(MessageType).filter((v): v is MessageType => typeof v === 'number');

describe('message classification', () => {
  it('marks exactly etcd local messages as local', () => {
    const local = allTypes.filter(isLocalMsg).map((t) => MessageType[t]);
    expect(local).toEqual([
      'MsgHup',
      'MsgBeat',
      'MsgUnreachable',
      'MsgSnapStatus',
      'MsgCheckQuorum',
      'MsgStorageAppend',
      'MsgStorageAppendResp',
      'MsgStorageApply',
      'MsgStorageApplyResp',
    ]);
  });

  it('marks exactly etcd response messages as responses', () => {
    const responses = allTypes.filter(isResponseMsg).map((t) => MessageType[t]);
    expect(responses).toEqual([
      'MsgAppResp',
      'MsgVoteResp',
      'MsgHeartbeatResp',
      'MsgUnreachable',
      'MsgReadIndexResp',
      'MsgPreVoteResp',
      'MsgStorageAppendResp',
      'MsgStorageApplyResp',
    ]);
  });

  it('knows the local storage threads', () => {
    expect(isLocalMsgTarget(localAppendThread)).toBe(true);
    expect(isLocalMsgTarget(localApplyThread)).toBe(true);
    expect(isLocalMsgTarget(1)).toBe(false);
  });

  it('maps votes to their responses and panics on anything else', () => {
    expect(voteRespMsgType(MessageType.MsgVote)).toBe(MessageType.MsgVoteResp);
    expect(voteRespMsgType(MessageType.MsgPreVote)).toBe(MessageType.MsgPreVoteResp);
    expect(() => voteRespMsgType(MessageType.MsgApp)).toThrow(
      new RaftPanic('not a vote message: MsgApp'),
    );
  });
});

describe('limitSize', () => {
  const entries = [4, 5, 6].map((index) => makeEntry({ term: 4, index }));
  const size = entrySize(entries[0]);
  it.each([
    [Infinity, 3],
    [0, 1],
    [size - 1, 1],
    [size, 1],
    [2 * size - 1, 1],
    [2 * size, 2],
    [3 * size - 1, 2],
    [3 * size, 3],
  ])('maxSize %i keeps %i entries', (maxSize, want) => {
    expect(limitSize(entries, maxSize)).toEqual(entries.slice(0, want));
  });

  it('keeps a non-empty prefix within the size whenever the first entry fits (property)', () => {
    const entryArb = fc.record({ size: fc.nat(300), term: fc.nat(1000) });
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 12 }), fc.nat(2000), (specs, maxSize) => {
        const input = specs.map((spec, i) =>
          makeEntry({ term: spec.term, index: i + 1, data: new Uint8Array(spec.size) }),
        );
        const got = limitSize(input, maxSize);
        expect(got).toEqual(input.slice(0, got.length));
        if (input.length === 0) {
          expect(got).toEqual([]);
          return;
        }
        expect(got.length).toBeGreaterThanOrEqual(1);
        if (got.length > 1) expect(entsSize(got)).toBeLessThanOrEqual(maxSize);
        // The prefix is the longest one: one more entry would break the limit.
        if (got.length < input.length)
          expect(entsSize(input.slice(0, got.length + 1))).toBeGreaterThan(maxSize);
      }),
    );
  });
});

describe('extend and conf state equivalence', () => {
  it('extend concatenates into a new array', () => {
    const a = [makeEntry({ index: 1 })];
    const b = [makeEntry({ index: 2 })];
    const got = extend(a, b);
    expect(got.map((e) => e.index)).toEqual([1, 2]);
    expect(a).toHaveLength(1);
  });

  it('compares conf states as sorted sets', () => {
    const a = { ...emptyConfState(), voters: [3, 1, 2], learners: [5] };
    const b = { ...emptyConfState(), voters: [1, 2, 3], learners: [5] };
    expect(confStateEquivalent(a, b)).toBeNull();
    expect(() => assertConfStatesEquivalent(discardLogger, a, b)).not.toThrow();
    const c = { ...b, autoLeave: true };
    expect(confStateEquivalent(a, c)).toMatch(/^ConfStates not equivalent after sorting:\n/);
    expect(() => assertConfStatesEquivalent(discardLogger, a, c)).toThrow(RaftPanic);
  });
});
