// Configuration changes (Raft thesis 4.1 single-server changes, 4.3 joint consensus), checked
// against a small role-based model over random change sequences, plus restore (thesis 4.2:
// a node rebuilds its configuration from a snapshot's ConfState).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfChangeType, type ConfChangeSingle, type ConfState } from '../types';
import { ProgressTracker } from '../tracker/tracker';
import { Changer, ConfChangeError, checkInvariants, describeConfChanges } from './confchange';
import { restore } from './restore';

type Role = 'voter' | 'learner' | 'learnerNext';

/** The model: who is in which half, each member's role, and the next index of each progress. */
interface Model {
  outgoing: Set<number>;
  roles: Map<number, Role>;
  next: Map<number, number>;
  autoLeave: boolean;
}

function emptyModel(): Model {
  return { outgoing: new Set(), roles: new Map(), next: new Map(), autoLeave: false };
}

function cloneModel(model: Model): Model {
  return {
    outgoing: new Set(model.outgoing),
    roles: new Map(model.roles),
    next: new Map(model.next),
    autoLeave: model.autoLeave,
  };
}

function withRole(model: Model, role: Role): number[] {
  return [...model.roles].filter(([, r]) => r === role).map(([id]) => id);
}

/** Applies changes role by role: the last change to a member decides its role. */
function applyModel(model: Model, changes: ConfChangeSingle[], lastIndex: number): string | null {
  for (const { type, nodeId: id } of changes) {
    if (id === 0 || type === ConfChangeType.ConfChangeUpdateNode) continue;
    if (type === ConfChangeType.ConfChangeRemoveNode) {
      if (!model.next.has(id)) continue;
      model.roles.delete(id);
      if (!model.outgoing.has(id)) model.next.delete(id);
      continue;
    }
    if (!model.next.has(id)) model.next.set(id, Math.max(lastIndex, 1));
    if (type === ConfChangeType.ConfChangeAddNode) model.roles.set(id, 'voter');
    else if (model.roles.get(id) !== 'learner') {
      model.roles.set(id, model.outgoing.has(id) ? 'learnerNext' : 'learner');
    }
  }
  return withRole(model, 'voter').length === 0 ? 'removed all voters' : null;
}

type Step =
  | { kind: 'simple'; changes: ConfChangeSingle[] }
  | { kind: 'enterJoint'; autoLeave: boolean; changes: ConfChangeSingle[] }
  | { kind: 'leaveJoint' };

function modelStep(model: Model, step: Step, lastIndex: number): Model | string {
  const next = cloneModel(model);
  const joint = model.outgoing.size > 0;
  if (step.kind === 'leaveJoint') {
    if (!joint) return "can't leave a non-joint config";
    for (const id of withRole(next, 'learnerNext')) next.roles.set(id, 'learner');
    for (const id of next.outgoing) if (!next.roles.has(id)) next.next.delete(id);
    next.outgoing = new Set();
    next.autoLeave = false;
    return next;
  }
  if (step.kind === 'simple') {
    if (joint) return "can't apply simple config change in joint config";
    const error = applyModel(next, step.changes, lastIndex);
    if (error !== null) return error;
    const before = new Set(withRole(model, 'voter'));
    const after = new Set(withRole(next, 'voter'));
    const changed =
      [...before].filter((id) => !after.has(id)).length +
      [...after].filter((id) => !before.has(id)).length;
    if (changed > 1) return 'more than one voter changed without entering joint config';
    return next;
  }
  if (joint) return 'config is already joint';
  if (withRole(model, 'voter').length === 0) return "can't make a zero-voter config joint";
  next.outgoing = new Set(withRole(model, 'voter'));
  const error = applyModel(next, step.changes, lastIndex);
  if (error !== null) return error;
  next.autoLeave = step.autoLeave;
  return next;
}

function expectMatchesModel(trk: ProgressTracker, model: Model): void {
  const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
  expect(trk.confState()).toEqual({
    voters: sorted(withRole(model, 'voter')),
    votersOutgoing: sorted([...model.outgoing]),
    learners: sorted(withRole(model, 'learner')),
    learnersNext: sorted(withRole(model, 'learnerNext')),
    autoLeave: model.autoLeave,
  });
  expect(trk.config.learners === null).toBe(withRole(model, 'learner').length === 0);
  expect(trk.config.learnersNext === null).toBe(withRole(model, 'learnerNext').length === 0);
  expect(sorted([...trk.progress.keys()])).toEqual(sorted([...model.next.keys()]));
  for (const [id, pr] of trk.progress) {
    expect(pr.next).toBe(model.next.get(id));
    expect(pr.isLearner).toBe(model.roles.get(id) === 'learner');
  }
}

const change = fc.record({
  type: fc.constantFrom(
    ConfChangeType.ConfChangeAddNode,
    ConfChangeType.ConfChangeAddLearnerNode,
    ConfChangeType.ConfChangeRemoveNode,
    ConfChangeType.ConfChangeUpdateNode,
  ),
  nodeId: fc.integer({ min: 0, max: 6 }),
});
const changes = fc.array(change, { maxLength: 5 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('simple' as const), changes }),
  fc.record({ kind: fc.constant('enterJoint' as const), autoLeave: fc.boolean(), changes }),
  fc.record({ kind: fc.constant('leaveJoint' as const) }),
);

function runStep(changer: Changer, s: Step) {
  if (s.kind === 'simple') return changer.simple(...s.changes);
  if (s.kind === 'enterJoint') return changer.enterJoint(s.autoLeave, ...s.changes);
  return changer.leaveJoint();
}

describe('Changer against a role model (thesis 4.1, 4.3)', () => {
  it('random change sequences keep the invariants and match the model', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
        const trk = new ProgressTracker(10, 0);
        let model = emptyModel();
        steps.forEach((s, i) => {
          const lastIndex = i * 3;
          const expected = modelStep(model, s, lastIndex);
          const before = trk.config.string() + '\n' + trk.progress.string();
          let result;
          try {
            result = runStep(new Changer(trk, lastIndex), s);
          } catch (error) {
            expect(error).toBeInstanceOf(ConfChangeError);
            expect((error as Error).message).toBe(expected);
            // A refused change leaves the tracker as it was.
            expect(trk.config.string() + '\n' + trk.progress.string()).toBe(before);
            return;
          }
          expect(typeof expected).not.toBe('string');
          checkInvariants(result.config, result.progress);
          trk.config = result.config;
          trk.progress = result.progress;
          model = expected as Model;
          expectMatchesModel(trk, model);
        });
      }),
      { numRuns: 1500 },
    );
  });

  it('restore rebuilds every reachable configuration from its ConfState (thesis 4.2)', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
        const trk = new ProgressTracker(10, 0);
        for (const s of steps) {
          try {
            const result = runStep(new Changer(trk, 5), s);
            trk.config = result.config;
            trk.progress = result.progress;
          } catch {
            // Refused: keep going from the unchanged config.
          }
        }
        const confState = trk.confState();
        const fresh = new ProgressTracker(10, 0);
        const restored = restore(new Changer(fresh, 7), confState);
        checkInvariants(restored.config, restored.progress);
        fresh.config = restored.config;
        fresh.progress = restored.progress;
        expect(fresh.confState()).toEqual(confState);
        expect(fresh.config.string()).toBe(trk.config.string());
        // The changer's own tracker is not modified.
        expect(new ProgressTracker(10, 0).config.string()).toBe('voters=()');
      }),
      { numRuns: 500 },
    );
  });
});

describe('Changer', () => {
  it('restores the joint example of etcd (outgoing, staged learner and all)', () => {
    const confState: ConfState = {
      voters: [1, 2, 3],
      learners: [5],
      votersOutgoing: [1, 2, 4, 6],
      learnersNext: [4],
      autoLeave: true,
    };
    const trk = new ProgressTracker(10, 0);
    const { config, progress } = restore(new Changer(trk, 10), confState);
    expect(config.string()).toBe(
      'voters=(1 2 3)&&(1 2 4 6) learners=(5) learners_next=(4) autoleave',
    );
    expect([...progress.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(trk.progress.size).toBe(0);
  });

  it('restoring an invalid ConfState fails', () => {
    const confState: ConfState = {
      voters: [],
      learners: [1],
      votersOutgoing: [],
      learnersNext: [],
      autoLeave: false,
    };
    expect(() => restore(new Changer(new ProgressTracker(10, 0), 0), confState)).toThrow(
      'removed all voters',
    );
  });

  it("refuses an unknown change type with etcd's message", () => {
    const changer = new Changer(new ProgressTracker(10, 0), 0);
    expect(() => changer.simple({ type: 7 as ConfChangeType, nodeId: 1 })).toThrow(
      'unexpected conf type 7',
    );
  });

  it('checkInvariants reports inconsistent configs', () => {
    const trk = new ProgressTracker(10, 0);
    trk.config.voters.incoming.add(1);
    expect(() => checkInvariants(trk.config, trk.progress)).toThrow('no progress for 1');
    const { config, progress } = new Changer(new ProgressTracker(10, 0), 0).simple(
      { type: ConfChangeType.ConfChangeAddNode, nodeId: 1 },
      { type: ConfChangeType.ConfChangeAddLearnerNode, nodeId: 2 },
    );
    progress.get(2)!.isLearner = false;
    expect(() => checkInvariants(config, progress)).toThrow(
      '2 is in Learners, but is not marked as learner',
    );
    progress.get(2)!.isLearner = true;
    config.learnersNext = new Set([2]);
    expect(() => checkInvariants(config, progress)).toThrow(
      '2 is in LearnersNext, but not Voters[1]',
    );
    config.learnersNext = null;
    config.autoLeave = true;
    expect(() => checkInvariants(config, progress)).toThrow(
      'AutoLeave must be false when not joint',
    );
  });

  it('describes changes as etcd does', () => {
    expect(
      describeConfChanges([
        { type: ConfChangeType.ConfChangeAddNode, nodeId: 1 },
        { type: ConfChangeType.ConfChangeRemoveNode, nodeId: 2 },
      ]),
    ).toBe('ConfChangeAddNode(1) ConfChangeRemoveNode(2)');
  });
});
