import { describe, expect, it } from 'vitest';
import {
  checkInvariants,
  checkInvariantsOfChanged,
  createInvariantMemory,
  type InvariantMemory,
} from './invariants';
import type { EntryView, NodeView } from './node-view';

/** A node view over a log given as terms by index (index 1 is the snapshot, term 1). */
function view(id: number, terms: number[], overrides: Partial<NodeView> = {}): NodeView {
  const logTerms = [0, 1, ...terms];
  const lastIndex = logTerms.length - 1;
  return {
    id,
    up: true,
    restarted: false,
    role: 'follower',
    term: Math.max(1, ...terms),
    lead: 0,
    commit: 1,
    applied: 1,
    snapshotIndex: 1,
    lastIndex,
    durable: { term: Math.max(1, ...terms), vote: 0, commit: 1, lastIndex },
    appended: [],
    appendedPrevTerm: 0,
    appliedEntries: [],
    termAt: (index) => (index >= 1 && index <= lastIndex ? logTerms[index] : undefined),
    ...overrides,
  };
}

const entry = (index: number, term: number, dataHash = index * 31 + term): EntryView => ({
  index,
  term,
  dataHash,
});

function expectViolation(memory: InvariantMemory, views: NodeView[], invariant: string): string {
  const violation = checkInvariants(memory, views);
  expect(violation?.invariant).toBe(invariant);
  return violation!.explanation;
}

describe('live invariants (Raft Figure 3)', () => {
  it('accept a healthy three-node history', () => {
    const memory = createInvariantMemory();
    const leader = view(1, [2, 2], {
      role: 'leader',
      term: 2,
      commit: 3,
      appended: [entry(2, 2), entry(3, 2)],
      appendedPrevTerm: 1,
    });
    expect(
      checkInvariants(memory, [
        leader,
        view(2, [2, 2], {
          term: 2,
          lead: 1,
          commit: 3,
          appended: [entry(2, 2), entry(3, 2)],
          appendedPrevTerm: 1,
        }),
        view(3, []),
      ]),
    ).toBeNull();
    expect(
      checkInvariants(memory, [
        view(1, [2, 2], { role: 'leader', term: 2, commit: 3 }),
        view(2, [2, 2], { term: 2, commit: 3 }),
        view(3, []),
      ]),
    ).toBeNull();
  });

  it('Election Safety (§5.2): two leaders in one term', () => {
    const memory = createInvariantMemory();
    const text = expectViolation(
      memory,
      [view(1, [], { role: 'leader', term: 3 }), view(2, [], { role: 'leader', term: 3 })],
      'election-safety',
    );
    expect(text).toBe('nodes 1 and 2 are both leaders of term 3');
  });

  it('Log Matching (§5.3): same index and term, different data or different history', () => {
    const memory = createInvariantMemory();
    expect(
      checkInvariants(memory, [view(1, [2], { appended: [entry(2, 2, 7)], appendedPrevTerm: 1 })]),
    ).toBeNull();
    expectViolation(
      memory,
      [view(2, [2], { appended: [entry(2, 2, 8)], appendedPrevTerm: 1 })],
      'log-matching',
    );
    const other = createInvariantMemory();
    checkInvariants(other, [view(1, [2, 3], { appended: [entry(3, 3)], appendedPrevTerm: 2 })]);
    expectViolation(
      other,
      [view(2, [1, 3], { appended: [entry(3, 3)], appendedPrevTerm: 1 })],
      'log-matching',
    );
  });

  it('Leader Completeness (§5.4): a later leader lacks a committed entry', () => {
    const memory = createInvariantMemory();
    expect(
      checkInvariants(memory, [view(1, [2, 2], { role: 'leader', term: 2, commit: 3 })]),
    ).toBeNull();
    const text = expectViolation(
      memory,
      [view(2, [3], { role: 'leader', term: 3 })],
      'leader-completeness',
    );
    expect(text).toContain(
      'has term 3 at index 2, which holds an entry of term 2 committed in term 2',
    );
  });

  it('Leader Completeness does not bind a stale leader of an earlier term', () => {
    const memory = createInvariantMemory();
    // Index 3 (term 2) is first seen committed by the leader of term 4.
    expect(
      checkInvariants(memory, [view(1, [2, 2], { role: 'leader', term: 4, commit: 3 })]),
    ).toBeNull();
    expect(checkInvariants(memory, [view(2, [2, 3], { role: 'leader', term: 3 })])).toBeNull();
  });

  it('State Machine Safety (§5.4.3): two nodes apply different entries at one index', () => {
    const memory = createInvariantMemory();
    expect(
      checkInvariants(memory, [view(1, [2], { commit: 2, appliedEntries: [entry(2, 2, 5)] })]),
    ).toBeNull();
    expectViolation(
      memory,
      [view(2, [2], { commit: 2, appliedEntries: [entry(2, 2, 6)] })],
      'state-machine-safety',
    );
    const early = createInvariantMemory();
    expectViolation(
      early,
      [view(1, [2], { commit: 1, appliedEntries: [entry(2, 2)] })],
      'state-machine-safety',
    );
  });

  it('Leader Append-Only: a leader overwrites its own log', () => {
    const memory = createInvariantMemory();
    expect(checkInvariants(memory, [view(1, [2, 2], { role: 'leader', term: 2 })])).toBeNull();
    expectViolation(
      memory,
      [
        view(1, [2, 2], {
          role: 'leader',
          term: 2,
          appended: [entry(3, 2, 99)],
          appendedPrevTerm: 2,
        }),
      ],
      'leader-append-only',
    );
  });

  it('commit index never decreases, except to the persisted one across a restart', () => {
    const memory = createInvariantMemory();
    const durable = { term: 2, vote: 0, commit: 2, lastIndex: 3 };
    expect(checkInvariants(memory, [view(1, [2, 2], { term: 2, commit: 3, durable })])).toBeNull();
    expect(
      checkInvariants(createInvariantMemory(), [view(1, [2, 2], { term: 2, commit: 3, durable })]),
    ).toBeNull();
    const restarted = view(1, [2, 2], { term: 2, commit: 2, durable, restarted: true });
    expect(checkInvariants(memory, [restarted])).toBeNull();
    expectViolation(memory, [view(1, [2, 2], { term: 2, commit: 1, durable })], 'commit-monotonic');
  });

  it('durable state never regresses (term, vote, commit; the log across a restart)', () => {
    const memory = createInvariantMemory();
    expect(
      checkInvariants(memory, [
        view(1, [2, 2], { durable: { term: 2, vote: 3, commit: 2, lastIndex: 3 } }),
      ]),
    ).toBeNull();
    const text = expectViolation(
      memory,
      [view(1, [2], { restarted: true, durable: { term: 2, vote: 1, commit: 2, lastIndex: 2 } })],
      'durable-state-monotonic',
    );
    expect(text).toBe(
      "node 1's persisted state went back across a restart: vote in term 2 3 -> 1, last index 3 -> 2",
    );
  });

  it('checking only the changed nodes still holds an untouched leader to what others commit', () => {
    // Node 1 leads term 3 with a log that lacks index 3; node 2 then learns that index 3
    // (term 2) committed in term 2. Node 1 did nothing in that event, yet it is stale no more
    // than checkInvariants says: the same violation, at the same event, in both.
    const leader = view(1, [2], { role: 'leader', term: 3 });
    const follower = view(2, [2, 2], { term: 2, commit: 1 });
    const learned = view(2, [2, 2], { term: 2, commit: 3 });
    const full = createInvariantMemory();
    const changed = createInvariantMemory();
    expect(checkInvariants(full, [leader, follower])).toBeNull();
    expect(checkInvariantsOfChanged(changed, [leader, follower], [true, true])).toBeNull();
    // Node 1 comes first, so in this event it is checked before node 2 teaches the memory.
    expect(checkInvariants(full, [leader, learned])).toBeNull();
    expect(checkInvariantsOfChanged(changed, [leader, learned], [false, true])).toBeNull();
    const quiet = view(2, [2, 2], { term: 2, commit: 3 });
    const expected = checkInvariants(full, [leader, quiet]);
    expect(expected?.invariant).toBe('leader-completeness');
    expect(checkInvariantsOfChanged(changed, [leader, quiet], [false, false])).toEqual(expected);
  });
});
