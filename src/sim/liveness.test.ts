import { describe, expect, it } from 'vitest';
import type { NodeView } from '../checker/invariants/node-view';
import { convergedLeader, whyNotConverged } from './liveness';

function node(id: number, fields: Partial<NodeView>, terms: number[] = [1, 2, 2]): NodeView {
  return {
    id,
    up: true,
    restarted: false,
    role: 'follower',
    term: 2,
    lead: 1,
    commit: 3,
    applied: 3,
    snapshotIndex: 1,
    lastIndex: terms.length,
    durable: { term: 2, vote: 1, commit: 3, lastIndex: terms.length },
    appended: [],
    appendedPrevTerm: 0,
    appliedEntries: [],
    termAt: (index) => terms[index - 1],
    ...fields,
  };
}

describe('liveness phase goal', () => {
  it('converges when every node follows one leader that committed an entry of its term everywhere', () => {
    const views = [node(1, { role: 'leader' }), node(2, {}), node(3, {})];
    expect(convergedLeader(views)).toEqual({ leader: 1, term: 2 });
  });

  it('says why not: a node down, no leader, a node not following, nothing committed in the term', () => {
    expect(whyNotConverged([node(1, { role: 'leader' }), node(2, { up: false })])).toBe(
      'nodes 2 are still down',
    );
    expect(
      whyNotConverged([node(1, { role: 'candidate', term: 3, lead: 0 }), node(2, { lead: 0 })]),
    ).toMatch(/^no leader elected \[1:candidate t3 lead 0 commit 3 \(term 2\); 2:follower/);
    const split = [node(1, { role: 'leader' }), node(2, {}), node(3, { lead: 0, term: 3 })];
    expect(convergedLeader(split)).toBeNull();
    expect(whyNotConverged(split)).toMatch(/^leader 1 \(term 2\) is not followed by nodes 3 /);
    const uncommitted = [node(1, { role: 'leader', term: 3 }), node(2, { term: 3 })];
    expect(convergedLeader(uncommitted)).toBeNull();
    expect(whyNotConverged(uncommitted)).toMatch(
      /has not committed an entry of its term on every node/,
    );
  });
});
