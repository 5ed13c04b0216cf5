// ConfState comparisons and formatting (raftpb's ConfState.Equivalent and Go's %v of it).
import type { ConfState, NodeId } from './types';

function sortedCopy(ids: NodeId[]): NodeId[] {
  return [...ids].sort((a, b) => a - b);
}

function goSlice(ids: NodeId[]): string {
  return `[${ids.join(' ')}]`;
}

/** Go's %v of a ConfState value. */
export function describeConfStateGo(cs: ConfState): string {
  return `{Voters:${goSlice(cs.voters)} Learners:${goSlice(cs.learners)} VotersOutgoing:${goSlice(cs.votersOutgoing)} LearnersNext:${goSlice(cs.learnersNext)} AutoLeave:${cs.autoLeave}}`;
}

/** null when the two ConfStates are equivalent (equal up to ordering), else a description. */
export function confStateEquivalent(a: ConfState, b: ConfState): string | null {
  const normalize = (cs: ConfState): ConfState => ({
    voters: sortedCopy(cs.voters),
    learners: sortedCopy(cs.learners),
    votersOutgoing: sortedCopy(cs.votersOutgoing),
    learnersNext: sortedCopy(cs.learnersNext),
    autoLeave: cs.autoLeave,
  });
  const left = describeConfStateGo(normalize(a));
  const right = describeConfStateGo(normalize(b));
  return left === right ? null : `ConfStates not equivalent after sorting:\n${left}\n${right}\nInputs were:\n${describeConfStateGo(a)}\n${describeConfStateGo(b)}`;
}
