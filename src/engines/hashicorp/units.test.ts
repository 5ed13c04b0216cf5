// Small modules alone: commitment (Raft 5.3/5.4.2: quorum match index, never below the term's
// first index), hashicorp's backoff and randomTimeout, and the in-memory log view.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../raft/random';
import { Commitment } from './commitment';
import { backoffMs, failureWaitMs, maxFailureScale, randomTimeoutMs } from './raft-config';
import { RaftLog } from './raft-log';
import { LogType, Suffrage } from './types';

const voters = (ids: number[], nonvoters: number[] = []) => ({
  servers: [...ids.map((id) => ({ suffrage: Suffrage.Voter, id, address: `a${id}` })), ...nonvoters.map((id) => ({ suffrage: Suffrage.Nonvoter, id, address: `a${id}` }))],
});

describe('commitment', () => {
  it('is the highest index a majority of voters holds, at or above startIndex; nonvoters do not count', () => {
    const commitment = new Commitment(voters([1, 2, 3], [4]), 5);
    commitment.match(1, 4);
    commitment.match(2, 4);
    expect(commitment.getCommitIndex()).toBe(0);
    commitment.match(4, 9);
    expect(commitment.getCommitIndex()).toBe(0);
    expect(commitment.match(1, 6)).toBe(false);
    expect(commitment.match(2, 7)).toBe(true);
    expect(commitment.getCommitIndex()).toBe(6);
  });

  it('matches a reference over random match indexes', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(50), { minLength: 1, maxLength: 7 }), fc.nat(50), (matches, start) => {
        const ids = matches.map((_, i) => i + 1);
        const commitment = new Commitment(voters(ids), start);
        matches.forEach((index, i) => commitment.match(i + 1, index));
        const sorted = [...matches].sort((a, b) => b - a);
        const quorum = sorted[Math.floor(matches.length / 2)];
        expect(commitment.getCommitIndex()).toBe(quorum >= start ? quorum : 0);
      }),
    );
  });
});

describe('timing helpers', () => {
  it('backoff doubles per failure past the second, up to the scale limit', () => {
    expect([0, 1, 2, 3, 4, 12, 50].map((f) => backoffMs(failureWaitMs, f, maxFailureScale))).toEqual([10, 10, 10, 20, 40, 10240, 10240]);
  });

  it('randomTimeout lies in [min, 2 min)', () => {
    const random = seededRandom(3);
    for (let i = 0; i < 200; i++) {
      const value = randomTimeoutMs(random, 100);
      expect(value >= 100 && value < 200).toBe(true);
    }
  });
});

describe('raft log view', () => {
  const entry = (index: number, term: number) => ({ index, term, type: LogType.Command, data: new Uint8Array(0) });

  it('reports the later of the last entry and the snapshot, and compacts and truncates', () => {
    const log = RaftLog.from([entry(1, 1), entry(2, 1), entry(3, 2)], { index: 0, term: 0 });
    expect(log.lastEntry()).toEqual({ index: 3, term: 2 });
    log.deleteFrom(3);
    log.append([entry(3, 3)]);
    log.lastSnapshotIndex = 2;
    log.lastSnapshotTerm = 1;
    log.deleteThrough(2);
    expect([log.firstStoredIndex, log.lastStoredIndex, log.get(2)]).toEqual([3, 3, undefined]);
    expect(() => log.append([entry(5, 3)])).toThrow(/expected 4/);
    expect(() => log.append([entry(4, 2)])).toThrow(/term 2 after term 3/);
    const empty = RaftLog.from([], { index: 9, term: 4 });
    expect(empty.lastEntry()).toEqual({ index: 9, term: 4 });
    empty.append([entry(10, 4)]);
    expect(empty.firstStoredIndex).toBe(10);
  });
});
