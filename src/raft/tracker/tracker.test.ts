// ProgressTracker: configuration, commitment (Raft paper 5.3/5.4.2), elections (5.2) and
// CheckQuorum activity.
import { describe, expect, it } from 'vitest';
import { JointConfig, MajorityConfig, VoteResult } from '../quorum';
import { Inflights } from './inflights';
import { Progress } from './progress';
import { ProgressTracker, TrackerConfig } from './tracker';

function tracker(
  voters: number[],
  outgoing: number[] = [],
  learners: number[] = [],
): ProgressTracker {
  const trk = new ProgressTracker(10, 0);
  trk.config.voters = new JointConfig(new MajorityConfig(voters), new MajorityConfig(outgoing));
  if (learners.length > 0) trk.config.learners = new Set(learners);
  for (const id of new Set([...voters, ...outgoing, ...learners])) {
    trk.progress.set(
      id,
      new Progress({ next: 1, inflights: new Inflights(10, 0), isLearner: learners.includes(id) }),
    );
  }
  return trk;
}

describe('ProgressTracker', () => {
  it('reports its configuration as a sorted ConfState and prints it like etcd', () => {
    const trk = tracker([3, 1, 2], [1, 4]);
    trk.config.learners = new Set([6, 5]);
    trk.config.learnersNext = new Set([4]);
    trk.config.autoLeave = true;
    expect(trk.confState()).toEqual({
      voters: [1, 2, 3],
      votersOutgoing: [1, 4],
      learners: [5, 6],
      learnersNext: [4],
      autoLeave: true,
    });
    expect(trk.config.string()).toBe(
      'voters=(1 2 3)&&(1 4) learners=(5 6) learners_next=(4) autoleave',
    );
    expect(trk.voterNodes()).toEqual([1, 2, 3, 4]);
    expect(trk.learnerNodes()).toEqual([5, 6]);
    expect(new TrackerConfig().string()).toBe('voters=()');
  });

  it('clone does not carry autoLeave (as etcd); copy does; both share nothing', () => {
    const config = new TrackerConfig(new JointConfig(new MajorityConfig([1])), true, new Set([2]));
    const clone = config.clone();
    expect(clone.autoLeave).toBe(false);
    expect(config.copy().autoLeave).toBe(true);
    clone.learners!.add(3);
    clone.voters.incoming.add(4);
    expect(config.string()).toBe('voters=(1) learners=(2) autoleave');
  });

  it('isSingleton only for one voter outside joint consensus', () => {
    expect(tracker([1]).isSingleton()).toBe(true);
    expect(tracker([1], [], [2]).isSingleton()).toBe(true);
    expect(tracker([1, 2]).isSingleton()).toBe(false);
    expect(tracker([1], [1]).isSingleton()).toBe(false);
  });

  it('committed is the quorum match index; learners do not count', () => {
    const trk = tracker([1, 2, 3], [], [4]);
    const matches: Record<number, number> = { 1: 10, 2: 7, 3: 3, 4: 100 };
    for (const [id, match] of Object.entries(matches)) trk.progress.get(Number(id))!.match = match;
    expect(trk.committed()).toBe(7);
    trk.config.voters.outgoing = new MajorityConfig([3, 4]);
    expect(trk.committed()).toBe(3);
  });

  it('visit goes in ascending id order', () => {
    const trk = tracker([9, 3, 12, 1, 7, 2, 8, 5, 4]);
    const seen: number[] = [];
    trk.visit((id) => seen.push(id));
    expect(seen).toEqual([1, 2, 3, 4, 5, 7, 8, 9, 12]);
  });

  it('quorumActive needs a recently active quorum of voters', () => {
    const trk = tracker([1, 2, 3], [], [4]);
    trk.progress.get(1)!.recentActive = true;
    trk.progress.get(4)!.recentActive = true;
    expect(trk.quorumActive()).toBe(false);
    trk.progress.get(3)!.recentActive = true;
    expect(trk.quorumActive()).toBe(true);
  });

  it('records the first vote of each node and tallies voters only', () => {
    const trk = tracker([1, 2, 3, 4, 5], [], [6]);
    trk.recordVote(1, true);
    trk.recordVote(1, false);
    trk.recordVote(2, false);
    trk.recordVote(6, true);
    trk.recordVote(9, true);
    expect(trk.tallyVotes()).toEqual({ granted: 1, rejected: 1, result: VoteResult.VotePending });
    trk.recordVote(3, true);
    trk.recordVote(4, true);
    expect(trk.tallyVotes()).toEqual({ granted: 3, rejected: 1, result: VoteResult.VoteWon });
    trk.resetVotes();
    expect(trk.tallyVotes()).toEqual({ granted: 0, rejected: 0, result: VoteResult.VotePending });
  });
});
