// Progress: the leader's per-follower state machine (Raft paper 5.3: nextIndex and matchIndex;
// etcd's probe, replicate and snapshot states).
import { describe, expect, it } from 'vitest';
import { RaftPanic } from '../logger';
import { Inflights } from './inflights';
import { Progress, ProgressMap } from './progress';
import { ProgressState } from './state';

function progress(fields: Partial<ConstructorParameters<typeof Progress>[0]> = {}): Progress {
  return new Progress({ inflights: new Inflights(256, 0), ...fields });
}

describe('Progress', () => {
  it('prints like etcd', () => {
    const inflights = new Inflights(1, 0);
    inflights.add(123, 1);
    const pr = new Progress({
      match: 2,
      next: 3,
      state: ProgressState.StateSnapshot,
      pendingSnapshot: 123,
      recentActive: false,
      msgAppFlowPaused: true,
      isLearner: true,
      inflights,
    });
    expect(pr.string()).toBe(
      'StateSnapshot match=2 next=3 learner paused pendingSnap=123 inactive inflight=1[full]',
    );
    expect(progress({ match: 0, next: 11, recentActive: true }).string()).toBe(
      'StateProbe match=0 next=11',
    );
  });

  it('is paused in StateSnapshot, and otherwise when msgAppFlowPaused', () => {
    const cases: Array<[ProgressState, boolean, boolean]> = [
      [ProgressState.StateProbe, false, false],
      [ProgressState.StateProbe, true, true],
      [ProgressState.StateReplicate, false, false],
      [ProgressState.StateReplicate, true, true],
      [ProgressState.StateSnapshot, false, true],
      [ProgressState.StateSnapshot, true, true],
    ];
    for (const [state, paused, expected] of cases) {
      expect(progress({ state, msgAppFlowPaused: paused }).isPaused()).toBe(expected);
    }
  });

  it('maybeUpdate and maybeDecrTo resume the flow', () => {
    const pr = progress({ next: 2, msgAppFlowPaused: true });
    pr.maybeDecrTo(1, 1);
    expect(pr.msgAppFlowPaused).toBe(false);
    pr.msgAppFlowPaused = true;
    pr.maybeUpdate(2);
    expect(pr.msgAppFlowPaused).toBe(false);
  });

  it('becomeProbe restarts after match, or after a finished snapshot', () => {
    const cases: Array<[Progress, number]> = [
      [progress({ state: ProgressState.StateReplicate, match: 1, next: 5 }), 2],
      [
        progress({ state: ProgressState.StateSnapshot, match: 1, next: 5, pendingSnapshot: 10 }),
        11,
      ],
      [progress({ state: ProgressState.StateSnapshot, match: 1, next: 5, pendingSnapshot: 0 }), 2],
    ];
    for (const [pr, next] of cases) {
      pr.becomeProbe();
      expect(pr.state).toBe(ProgressState.StateProbe);
      expect(pr.match).toBe(1);
      expect(pr.next).toBe(next);
      expect(pr.pendingSnapshot).toBe(0);
    }
  });

  it('becomeReplicate and becomeSnapshot set next as etcd 3.6 does', () => {
    const pr = progress({ match: 1, next: 5 });
    pr.becomeReplicate();
    expect([pr.state, pr.next]).toEqual([ProgressState.StateReplicate, 2]);
    pr.becomeSnapshot(10);
    expect(pr.state).toBe(ProgressState.StateSnapshot);
    expect([pr.match, pr.next, pr.pendingSnapshot, pr.sentCommitIndex]).toEqual([1, 11, 10, 10]);
  });

  it('maybeUpdate never decreases match or next', () => {
    const cases: Array<[number, number, number, boolean]> = [
      [2, 3, 5, false],
      [3, 3, 5, false],
      [4, 4, 5, true],
      [5, 5, 6, true],
    ];
    for (const [update, match, next, ok] of cases) {
      const pr = progress({ match: 3, next: 5 });
      expect(pr.maybeUpdate(update)).toBe(ok);
      expect([pr.match, pr.next]).toEqual([match, next]);
    }
  });

  it('maybeDecrTo ignores stale rejections and lowers next on real ones', () => {
    const cases: Array<[ProgressState, number, number, number, number, boolean, number]> = [
      [ProgressState.StateReplicate, 5, 10, 5, 5, false, 10],
      [ProgressState.StateReplicate, 5, 10, 4, 4, false, 10],
      [ProgressState.StateReplicate, 5, 10, 9, 9, true, 6],
      [ProgressState.StateProbe, 0, 0, 0, 0, false, 0],
      [ProgressState.StateProbe, 0, 10, 5, 5, false, 10],
      [ProgressState.StateProbe, 0, 10, 9, 9, true, 9],
      [ProgressState.StateProbe, 0, 2, 1, 1, true, 1],
      [ProgressState.StateProbe, 0, 1, 0, 0, true, 1],
      [ProgressState.StateProbe, 0, 10, 9, 2, true, 3],
      [ProgressState.StateProbe, 0, 10, 9, 0, true, 1],
    ];
    for (const [state, match, next, rejected, hint, ok, wantNext] of cases) {
      const pr = progress({ state, match, next });
      expect(pr.maybeDecrTo(rejected, hint)).toBe(ok);
      expect([pr.match, pr.next]).toEqual([match, wantNext]);
    }
  });

  it('sentEntries advances next and the window in StateReplicate, pauses a probe', () => {
    const pr = progress({ state: ProgressState.StateReplicate, match: 4, next: 5 });
    pr.inflights = new Inflights(2, 0);
    pr.sentEntries(3, 30);
    expect([pr.next, pr.inflights.count(), pr.msgAppFlowPaused]).toEqual([8, 1, false]);
    pr.sentEntries(2, 20);
    expect([pr.next, pr.inflights.count(), pr.msgAppFlowPaused]).toEqual([10, 2, true]);
    expect(pr.string()).toBe('StateReplicate match=4 next=10 paused inactive inflight=2[full]');
    pr.sentEntries(0, 0);
    expect(pr.msgAppFlowPaused).toBe(true);

    const probe = progress({ match: 4, next: 5 });
    probe.sentEntries(0, 0);
    expect(probe.msgAppFlowPaused).toBe(false);
    probe.sentEntries(1, 10);
    expect([probe.next, probe.msgAppFlowPaused]).toEqual([5, true]);

    const snapshot = progress({ state: ProgressState.StateSnapshot });
    expect(() => snapshot.sentEntries(1, 1)).toThrow(RaftPanic);
  });

  it('canBumpCommit until the commit index up to next-1 has been sent', () => {
    const pr = progress({ state: ProgressState.StateReplicate, match: 4, next: 8 });
    expect(pr.canBumpCommit(5)).toBe(true);
    pr.sentCommit(5);
    expect(pr.canBumpCommit(5)).toBe(false);
    expect(pr.canBumpCommit(9)).toBe(true);
    pr.sentCommit(7);
    expect(pr.canBumpCommit(9)).toBe(false);
    // A rejection regresses what was sent along with next.
    pr.maybeDecrTo(7, 4);
    expect([pr.next, pr.sentCommitIndex]).toEqual([5, 4]);
  });

  it('clone copies the window; shallowCopy shares it', () => {
    const pr = progress({ match: 1, next: 2, isLearner: true });
    const clone = pr.clone();
    const shallow = pr.shallowCopy();
    expect(clone.inflights).not.toBe(pr.inflights);
    expect(shallow.inflights).toBe(pr.inflights);
    expect(clone.string()).toBe(pr.string());
    shallow.isLearner = false;
    expect(pr.isLearner).toBe(true);
  });

  it('ProgressMap prints one line per id, in id order', () => {
    const map = new ProgressMap();
    map.set(3, progress({ next: 2, recentActive: true }));
    map.set(1, progress({ next: 1, recentActive: true, isLearner: true }));
    expect(map.string()).toBe(
      '1: StateProbe match=0 next=1 learner\n3: StateProbe match=0 next=2\n',
    );
  });
});
