// Raft's safety properties (Figure 3 of the paper), checked after every simulated event. Each
// check is a function of what the checker remembers and one node's view; the memory only grows
// from what the checker has seen, so every check costs time proportional to the event's work,
// not to the length of the logs.
import type { LogIndex, NodeId, Term } from '../../raft/types';
import type { DurableView, EntryView, NodeView } from './node-view';

export type InvariantName =
  | 'election-safety'
  | 'log-matching'
  | 'leader-completeness'
  | 'state-machine-safety'
  | 'leader-append-only'
  | 'commit-monotonic'
  | 'durable-state-monotonic';

export const invariantNames: readonly InvariantName[] = [
  'election-safety',
  'log-matching',
  'leader-completeness',
  'state-machine-safety',
  'leader-append-only',
  'commit-monotonic',
  'durable-state-monotonic',
];

export interface InvariantViolation {
  invariant: InvariantName;
  nodeIds: NodeId[];
  /** One or two sentences a person can act on. */
  explanation: string;
}

interface NodeMemory {
  up: boolean;
  role: NodeView['role'];
  term: Term;
  commit: LogIndex;
  lastIndex: LogIndex;
  durable: DurableView;
  /** Committed entries up to here are known to be in this node's log while it leads `term`. */
  leaderVerifiedUpTo: LogIndex;
}

/** What the checker has learned so far; owned by one InvariantChecker. */
export interface InvariantMemory {
  leaderOfTerm: Map<Term, NodeId>;
  /**
   * (index, term) -> the entry's parent term and data hash, as first written by `nodeId`; the
   * key is positionKey's (a number for any realistic position: no string per appended entry).
   */
  entryByPosition: Map<number | string, { parentTerm: Term; dataHash: number; nodeId: NodeId }>;
  /** The cluster's committed log as learned from commit indexes: entry term per index. */
  committedTerms: Term[];
  /**
   * The term in which each index was first seen committed (the term of the first node seen with
   * a commit index covering it). Leaders of later terms must hold the entry (Raft §5.4.3).
   */
  commitTerms: Term[];
  /** The entry each index applied, first seen on `nodeId`. */
  appliedByIndex: Map<LogIndex, { entry: EntryView; nodeId: NodeId }>;
  nodes: Map<NodeId, NodeMemory>;
  /** This event's leader-completeness progress, folded into `nodes` once every check passed. */
  leaderVerifiedUpTo: Map<NodeId, LogIndex>;
}

export function createInvariantMemory(): InvariantMemory {
  return {
    leaderOfTerm: new Map(),
    entryByPosition: new Map(),
    committedTerms: [],
    commitTerms: [],
    appliedByIndex: new Map(),
    nodes: new Map(),
    leaderVerifiedUpTo: new Map(),
  };
}

type Check = (memory: InvariantMemory, view: NodeView) => InvariantViolation | null;

export function checkElectionSafety(
  memory: InvariantMemory,
  view: NodeView,
): InvariantViolation | null {
  if (!view.up || view.role !== 'leader') return null;
  const known = memory.leaderOfTerm.get(view.term);
  if (known === undefined) memory.leaderOfTerm.set(view.term, view.id);
  else if (known !== view.id) {
    return {
      invariant: 'election-safety',
      nodeIds: [known, view.id],
      explanation: `nodes ${known} and ${view.id} are both leaders of term ${view.term}`,
    };
  }
  return null;
}

/** Positions below these bounds key as one exact number; beyond, as "index/term". */
const positionTermBound = 2 ** 32;
const positionIndexBound = 2 ** 20;

function positionKey(index: LogIndex, term: Term): number | string {
  return index < positionIndexBound && term < positionTermBound && index >= 0 && term >= 0
    ? index * positionTermBound + term
    : `${index}/${term}`;
}

export function checkLogMatching(
  memory: InvariantMemory,
  view: NodeView,
): InvariantViolation | null {
  let parentTerm = view.appendedPrevTerm;
  for (const entry of view.appended) {
    const position = positionKey(entry.index, entry.term);
    const known = memory.entryByPosition.get(position);
    if (known === undefined) {
      memory.entryByPosition.set(position, {
        parentTerm,
        dataHash: entry.dataHash,
        nodeId: view.id,
      });
    } else if (known.parentTerm !== parentTerm || known.dataHash !== entry.dataHash) {
      const what =
        known.dataHash !== entry.dataHash ? 'different data' : 'a different preceding entry';
      return {
        invariant: 'log-matching',
        nodeIds: [known.nodeId, view.id],
        explanation: `nodes ${known.nodeId} and ${view.id} both hold an entry at index ${entry.index} term ${entry.term} but with ${what} (parent terms ${known.parentTerm} and ${parentTerm})`,
      };
    }
    parentTerm = entry.term;
  }
  return null;
}

/** Learns newly committed entries from the node's commit index, and checks they agree. */
export function checkCommittedPrefix(
  memory: InvariantMemory,
  view: NodeView,
): InvariantViolation | null {
  if (!view.up) return null;
  const previous = memory.nodes.get(view.id);
  const from =
    Math.max(previous?.up && !view.restarted ? previous.commit : 0, view.snapshotIndex) + 1;
  for (let index = from; index <= view.commit; index++) {
    const term = view.termAt(index);
    if (term === undefined) continue;
    const known = memory.committedTerms[index];
    if (known === undefined) {
      memory.committedTerms[index] = term;
      memory.commitTerms[index] = view.term;
    } else if (known !== term) {
      return {
        invariant: 'state-machine-safety',
        nodeIds: [view.id],
        explanation: `node ${view.id} counts index ${index} (term ${term}) as committed, but the entry committed there has term ${known}`,
      };
    }
  }
  return null;
}

export function checkStateMachineSafety(
  memory: InvariantMemory,
  view: NodeView,
): InvariantViolation | null {
  for (const entry of view.appliedEntries) {
    if (entry.index > view.commit) {
      return {
        invariant: 'state-machine-safety',
        nodeIds: [view.id],
        explanation: `node ${view.id} applied index ${entry.index} beyond its commit index ${view.commit}`,
      };
    }
    const known = memory.appliedByIndex.get(entry.index);
    if (known === undefined) memory.appliedByIndex.set(entry.index, { entry, nodeId: view.id });
    else if (known.entry.term !== entry.term || known.entry.dataHash !== entry.dataHash) {
      return {
        invariant: 'state-machine-safety',
        nodeIds: [known.nodeId, view.id],
        explanation: `nodes ${known.nodeId} and ${view.id} applied different entries at index ${entry.index} (terms ${known.entry.term} and ${entry.term})`,
      };
    }
  }
  return null;
}

export function checkLeaderCompleteness(
  memory: InvariantMemory,
  view: NodeView,
): InvariantViolation | null {
  if (!view.up || view.role !== 'leader') return null;
  const previous = memory.nodes.get(view.id);
  const sameReign =
    previous?.up && previous.role === 'leader' && previous.term === view.term && !view.restarted;
  let index = Math.max(sameReign ? previous!.leaderVerifiedUpTo : 0, view.snapshotIndex) + 1;
  for (; index < memory.committedTerms.length; index++) {
    const committedTerm = memory.committedTerms[index];
    if (committedTerm === undefined) continue;
    // An entry committed in a later term need not be here: this leader is already stale.
    const commitTerm = memory.commitTerms[index];
    if (commitTerm > view.term) break;
    const term = view.termAt(index);
    if (term !== committedTerm) {
      return {
        invariant: 'leader-completeness',
        nodeIds: [view.id],
        explanation: `node ${view.id} leads term ${view.term} but its log ${term === undefined ? 'lacks index' : `has term ${term} at index`} ${index}, which holds an entry of term ${committedTerm} committed in term ${commitTerm}`,
      };
    }
  }
  memory.leaderVerifiedUpTo.set(view.id, index - 1);
  return null;
}

export function checkLeaderAppendOnly(
  memory: InvariantMemory,
  view: NodeView,
): InvariantViolation | null {
  const previous = memory.nodes.get(view.id);
  if (!view.up || view.restarted || previous === undefined || !previous.up) return null;
  if (previous.role !== 'leader' || view.role !== 'leader' || previous.term !== view.term)
    return null;
  let overwritten: EntryView | undefined;
  for (const entry of view.appended) {
    if (entry.index > previous.lastIndex) continue;
    overwritten = entry;
    break;
  }
  if (overwritten !== undefined || view.lastIndex < previous.lastIndex) {
    return {
      invariant: 'leader-append-only',
      nodeIds: [view.id],
      explanation: `leader ${view.id} (term ${view.term}) rewrote its log: last index ${previous.lastIndex} -> ${view.lastIndex}${overwritten ? `, wrote index ${overwritten.index} again` : ''}`,
    };
  }
  return null;
}

export function checkCommitMonotonic(
  memory: InvariantMemory,
  view: NodeView,
): InvariantViolation | null {
  const previous = memory.nodes.get(view.id);
  if (!view.up || previous === undefined) return null;
  // Across a restart the volatile commit restarts from the persisted one.
  const floor = view.restarted || !previous.up ? previous.durable.commit : previous.commit;
  if (view.commit < floor) {
    return {
      invariant: 'commit-monotonic',
      nodeIds: [view.id],
      explanation: `node ${view.id}'s commit index went from ${floor} down to ${view.commit}${view.restarted ? ' across a restart' : ''}`,
    };
  }
  return null;
}

export function checkDurableMonotonic(
  memory: InvariantMemory,
  view: NodeView,
): InvariantViolation | null {
  const before = memory.nodes.get(view.id)?.durable;
  if (before === undefined) return null;
  const now = view.durable;
  // The common case, nothing went back, allocates nothing.
  const wentBack =
    now.term < before.term ||
    (now.term === before.term && before.vote !== 0 && now.vote !== before.vote) ||
    now.commit < before.commit ||
    (view.restarted && now.lastIndex < before.lastIndex);
  if (!wentBack) return null;
  const problems: string[] = [];
  if (now.term < before.term) problems.push(`term ${before.term} -> ${now.term}`);
  if (now.term === before.term && before.vote !== 0 && now.vote !== before.vote) {
    problems.push(`vote in term ${now.term} ${before.vote} -> ${now.vote}`);
  }
  if (now.commit < before.commit) problems.push(`commit ${before.commit} -> ${now.commit}`);
  if (view.restarted && now.lastIndex < before.lastIndex) {
    problems.push(`last index ${before.lastIndex} -> ${now.lastIndex}`);
  }
  if (problems.length === 0) return null;
  return {
    invariant: 'durable-state-monotonic',
    nodeIds: [view.id],
    explanation: `node ${view.id}'s persisted state went back${view.restarted ? ' across a restart' : ''}: ${problems.join(', ')}`,
  };
}

const checks: Check[] = [
  checkDurableMonotonic,
  checkCommitMonotonic,
  checkElectionSafety,
  checkLogMatching,
  checkLeaderAppendOnly,
  checkCommittedPrefix,
  checkStateMachineSafety,
  checkLeaderCompleteness,
];

/**
 * The checks in `checks` order, called one by one: this runs for every changed node after every
 * event, and direct calls (unlike a loop over function values) can be inlined.
 */
function checkAll(memory: InvariantMemory, view: NodeView): InvariantViolation | null {
  return (
    checkDurableMonotonic(memory, view) ??
    checkCommitMonotonic(memory, view) ??
    checkElectionSafety(memory, view) ??
    checkLogMatching(memory, view) ??
    checkLeaderAppendOnly(memory, view) ??
    checkCommittedPrefix(memory, view) ??
    checkStateMachineSafety(memory, view) ??
    checkLeaderCompleteness(memory, view)
  );
}

function remember(memory: InvariantMemory, view: NodeView): void {
  const verified = memory.leaderVerifiedUpTo.get(view.id) ?? 0;
  // Zeroed rather than deleted: a Map that shrinks and grows again after every event reallocates.
  if (verified !== 0) memory.leaderVerifiedUpTo.set(view.id, 0);
  const known = memory.nodes.get(view.id);
  if (known === undefined) {
    memory.nodes.set(view.id, {
      up: view.up,
      role: view.role,
      term: view.term,
      commit: view.commit,
      lastIndex: view.lastIndex,
      durable: { ...view.durable },
      leaderVerifiedUpTo: verified,
    });
    return;
  }
  // Updated in place: this runs for every node after every event.
  known.up = view.up;
  known.role = view.role;
  known.term = view.term;
  known.commit = view.commit;
  known.lastIndex = view.lastIndex;
  known.durable.term = view.durable.term;
  known.durable.vote = view.durable.vote;
  known.durable.commit = view.durable.commit;
  known.durable.lastIndex = view.durable.lastIndex;
  known.leaderVerifiedUpTo = verified;
}

/**
 * Like checkInvariants, for a simulator that knows which nodes the event touched. A node the
 * event did not touch shows the same quiet view as last time (nothing appended or applied, not
 * just restarted), on which every check but leader completeness is a no-op: that one also reads
 * what other nodes taught the memory, so it still runs for every leader, in the same node order
 * as checkInvariants. The result and the memory afterwards are exactly checkInvariants's.
 */
export function checkInvariantsOfChanged(
  memory: InvariantMemory,
  views: readonly NodeView[],
  changed: readonly boolean[],
): InvariantViolation | null {
  for (let i = 0; i < views.length; i++) {
    const view = views[i];
    if (changed[i]) {
      const violation = checkAll(memory, view);
      if (violation !== null) return violation;
    } else if (view.up && view.role === 'leader') {
      const violation = checkLeaderCompleteness(memory, view);
      if (violation !== null) return violation;
    }
  }
  for (let i = 0; i < views.length; i++) {
    const view = views[i];
    if (changed[i] || (view.up && view.role === 'leader')) remember(memory, view);
  }
  return null;
}

/** Checks every node's view after one event; returns the first violation, or null. */
export function checkInvariants(
  memory: InvariantMemory,
  views: readonly NodeView[],
): InvariantViolation | null {
  for (const view of views) {
    for (const check of checks) {
      const violation = check(memory, view);
      if (violation !== null) return violation;
    }
  }
  for (const view of views) remember(memory, view);
  return null;
}
