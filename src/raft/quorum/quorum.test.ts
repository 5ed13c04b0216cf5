// Majority and joint quorums (Raft paper 5.2 elections, 5.3 commitment; thesis 4.3 joint
// consensus), checked against simple reference implementations over random configs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JointConfig } from './joint';
import { MajorityConfig } from './majority';
import {
  indexMax,
  indexString,
  mapAckIndexer,
  VoteResult,
  voteResultString,
  type Index,
} from './quorum';
import { alternativeMajorityCommittedIndex } from './quorum-suite';

/** Reference: sort every voter's acked index (0 when unknown) descending; take the quorum-th. */
function referenceCommitted(voters: number[], acked: Map<number, Index>): Index {
  if (voters.length === 0) return indexMax;
  const indexes = voters.map((id) => acked.get(id) ?? 0).sort((a, b) => b - a);
  return indexes[Math.floor(voters.length / 2)];
}

/** Reference: count yes and no votes; won/lost once either reaches a majority. */
function referenceVote(voters: number[], votes: Map<number, boolean>): VoteResult {
  if (voters.length === 0) return VoteResult.VoteWon;
  const quorum = Math.floor(voters.length / 2) + 1;
  const yes = voters.filter((id) => votes.get(id) === true).length;
  const no = voters.filter((id) => votes.get(id) === false).length;
  if (yes >= quorum) return VoteResult.VoteWon;
  if (no > voters.length - quorum) return VoteResult.VoteLost;
  return VoteResult.VotePending;
}

const voterIds = fc.uniqueArray(fc.integer({ min: 1, max: 20 }), { maxLength: 11 });
const ackedMap = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 30 })), {
    maxLength: 20,
  })
  .map((pairs) => new Map(pairs));
const voteMap = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 20 }), fc.boolean()), { maxLength: 20 })
  .map((pairs) => new Map(pairs));

describe('MajorityConfig (Raft paper 5.3: an entry is committed once a majority stores it)', () => {
  it('committedIndex agrees with a sort-based reference', () => {
    fc.assert(
      fc.property(voterIds, ackedMap, (ids, acked) => {
        const config = new MajorityConfig(ids);
        const l = mapAckIndexer(acked);
        expect(config.committedIndex(l)).toBe(referenceCommitted(ids, acked));
        expect(alternativeMajorityCommittedIndex(config, l)).toBe(referenceCommitted(ids, acked));
      }),
      { numRuns: 2000 },
    );
  });

  it('committedIndex is correct past the allocation-free size and when called repeatedly', () => {
    const ids = Array.from({ length: 9 }, (_, i) => i + 1);
    const acked = new Map(ids.map((id) => [id, id * 10]));
    const config = new MajorityConfig(ids);
    expect(config.committedIndex(mapAckIndexer(acked))).toBe(50);
    const small = new MajorityConfig([1, 2, 3]);
    expect(small.committedIndex(mapAckIndexer(new Map([[1, 7]])))).toBe(0);
    expect(
      small.committedIndex(
        mapAckIndexer(
          new Map([
            [1, 7],
            [3, 5],
          ]),
        ),
      ),
    ).toBe(5);
  });

  it('the empty config commits everything and wins every vote', () => {
    const empty = new MajorityConfig();
    expect(empty.committedIndex(mapAckIndexer(new Map()))).toBe(indexMax);
    expect(indexString(indexMax)).toBe('∞');
    expect(empty.voteResult(new Map())).toBe(VoteResult.VoteWon);
    expect(empty.describe(mapAckIndexer(new Map()))).toBe('<empty majority quorum>');
  });

  it('voteResult agrees with a counting reference (Raft paper 5.2)', () => {
    fc.assert(
      fc.property(voterIds, voteMap, (ids, votes) => {
        expect(new MajorityConfig(ids).voteResult(votes)).toBe(referenceVote(ids, votes));
      }),
      { numRuns: 2000 },
    );
  });

  it('prints like etcd: sorted ids, describe bars', () => {
    const config = new MajorityConfig([3, 1, 2]);
    expect(config.string()).toBe('(1 2 3)');
    expect(config.slice()).toEqual([1, 2, 3]);
    expect(config.includes(2)).toBe(true);
    const l = mapAckIndexer(
      new Map([
        [1, 12],
        [2, 5],
      ]),
    );
    expect(config.describe(l)).toBe(
      '       idx\nxx>     12    (id=1)\nx>       5    (id=2)\n?        0    (id=3)\n',
    );
    expect(voteResultString(VoteResult.VotePending)).toBe('VotePending');
    expect(voteResultString(7 as VoteResult)).toBe('VoteResult(7)');
  });
});

describe('JointConfig (thesis 4.3: decisions need both the old and the new majority)', () => {
  it('committedIndex is the smaller of the halves, and symmetric', () => {
    fc.assert(
      fc.property(voterIds, voterIds, ackedMap, (incoming, outgoing, acked) => {
        const joint = new JointConfig(new MajorityConfig(incoming), new MajorityConfig(outgoing));
        const l = mapAckIndexer(acked);
        const expected = Math.min(
          referenceCommitted(incoming, acked),
          referenceCommitted(outgoing, acked),
        );
        expect(joint.committedIndex(l)).toBe(expected);
        expect(new JointConfig(joint.outgoing, joint.incoming).committedIndex(l)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('voteResult is won by both, lost by either, and symmetric', () => {
    fc.assert(
      fc.property(voterIds, voterIds, voteMap, (incoming, outgoing, votes) => {
        const a = referenceVote(incoming, votes);
        const b = referenceVote(outgoing, votes);
        let expected = VoteResult.VotePending;
        if (a === VoteResult.VoteWon && b === VoteResult.VoteWon) expected = VoteResult.VoteWon;
        if (a === VoteResult.VoteLost || b === VoteResult.VoteLost) expected = VoteResult.VoteLost;
        const joint = new JointConfig(new MajorityConfig(incoming), new MajorityConfig(outgoing));
        expect(joint.voteResult(votes)).toBe(expected);
        expect(new JointConfig(joint.outgoing, joint.incoming).voteResult(votes)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('a config joined with itself or with the empty config behaves as the config alone', () => {
    fc.assert(
      fc.property(voterIds, ackedMap, voteMap, (ids, acked, votes) => {
        const config = new MajorityConfig(ids);
        const l = mapAckIndexer(acked);
        for (const joint of [new JointConfig(config, config), new JointConfig(config)]) {
          expect(joint.committedIndex(l)).toBe(config.committedIndex(l));
          expect(joint.voteResult(votes)).toBe(config.voteResult(votes));
        }
      }),
    );
  });

  it('prints incoming&&outgoing, and lists the ids of both halves in order', () => {
    const joint = new JointConfig(new MajorityConfig([3, 2]), new MajorityConfig([1, 5]));
    expect(joint.string()).toBe('(2 3)&&(1 5)');
    expect(joint.isJoint()).toBe(true);
    expect(Array.from(joint.ids())).toEqual([1, 2, 3, 5]);
    expect(joint[0]).toBe(joint.incoming);
    expect(joint[1]).toBe(joint.outgoing);
    const simple = new JointConfig(new MajorityConfig([1]));
    expect(simple.string()).toBe('(1)');
    expect(simple.isJoint()).toBe(false);
    const clone = joint.clone();
    clone.incoming.add(9);
    expect(joint.incoming.has(9)).toBe(false);
  });
});
