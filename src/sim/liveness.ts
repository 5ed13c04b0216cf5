// The liveness phase's goal: after every fault is healed, one leader that every node follows
// has committed an entry of its own term on every node. When the bound passes first, the report
// says which part is missing.
import type { NodeId, Term } from '../raft/types';
import type { NodeView } from '../checker/invariants/node-view';

export type LivenessOutcome =
  | { converged: true; afterMs: number; leader: NodeId; term: Term }
  | { converged: false; boundMs: number; reason: string };

/** The leader all nodes agree on, with an entry of its term committed everywhere; else null. */
export function convergedLeader(views: readonly NodeView[]): { leader: NodeId; term: Term } | null {
  const leaders = views.filter((view) => view.up && view.role === 'leader');
  if (leaders.length === 0) return null;
  const leader = leaders.reduce((best, view) => (view.term > best.term ? view : best));
  for (const view of views) {
    if (!view.up || view.term !== leader.term || (view.id !== leader.id && view.lead !== leader.id))
      return null;
    if (view.termAt(view.commit) !== leader.term) return null;
  }
  return { leader: leader.id, term: leader.term };
}

export function whyNotConverged(views: readonly NodeView[]): string {
  const down = views.filter((view) => !view.up).map((view) => view.id);
  if (down.length > 0) return `nodes ${down.join(',')} are still down`;
  const leaders = views.filter((view) => view.role === 'leader');
  const state = views
    .map(
      (view) =>
        `${view.id}:${view.role} t${view.term} lead ${view.lead} commit ${view.commit} (term ${view.termAt(view.commit) ?? '?'})`,
    )
    .join('; ');
  if (leaders.length === 0) return `no leader elected [${state}]`;
  const top = leaders.reduce((best, view) => (view.term > best.term ? view : best));
  const behind = views.filter(
    (view) => view.term !== top.term || (view.id !== top.id && view.lead !== top.id),
  );
  if (behind.length > 0) {
    return `leader ${top.id} (term ${top.term}) is not followed by nodes ${behind.map((view) => view.id).join(',')} [${state}]`;
  }
  return `leader ${top.id} (term ${top.term}) has not committed an entry of its term on every node [${state}]`;
}
