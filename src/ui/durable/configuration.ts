// A durable node's configuration as the app shows it: the ConfState of its newest snapshot,
// with the conf change entries its WAL holds up to its applied index folded in (joint consensus
// as etcd's confchange does it: entering copies the voters to the outgoing half, leaving drops
// it and promotes learners_next), and the conf changes beyond applied listed as pending.
import type {
  InspectedConfChange,
  InspectedConfState,
  DataDirInspection,
} from '../../worker/inspection';

export interface NodeConfiguration {
  voters: number[];
  votersOutgoing: number[];
  learners: number[];
  learnersNext: number[];
  autoLeave: boolean;
  /** The index the configuration holds at (the snapshot's or the last folded change's). */
  index: number;
  /** Conf change entries written but not yet applied. */
  pending: InspectedConfChange[];
}

const sorted = (ids: Iterable<number>): number[] => [...new Set(ids)].sort((a, b) => a - b);

export function configurationOf(
  inspection: DataDirInspection,
  applied: number,
): NodeConfiguration | null {
  const snapshot = [...inspection.snapshots]
    .filter((item) => item.index <= applied)
    .sort((a, b) => a.index - b.index)
    .pop();
  if (snapshot === undefined && inspection.confChanges.length === 0) return null;
  let state: InspectedConfState = snapshot?.confState ?? {
    voters: [],
    learners: [],
    votersOutgoing: [],
    learnersNext: [],
    autoLeave: false,
  };
  let index = snapshot?.index ?? 0;
  for (const change of inspection.confChanges) {
    if (change.index <= index || change.index > applied) continue;
    state = applyConfChange(state, change);
    index = change.index;
  }
  return {
    ...state,
    index,
    pending: inspection.confChanges.filter((change) => change.index > applied),
  };
}

/** One conf change applied to a configuration (invalid changes were refused before the log). */
export function applyConfChange(
  state: InspectedConfState,
  change: InspectedConfChange,
): InspectedConfState {
  if (change.transition === 'leave-joint') {
    return {
      voters: state.voters,
      votersOutgoing: [],
      learners: sorted([...state.learners, ...state.learnersNext]),
      learnersNext: [],
      autoLeave: false,
    };
  }
  const voters = new Set(state.voters);
  const learners = new Set(state.learners);
  const learnersNext = new Set(state.learnersNext);
  const outgoing =
    change.transition === 'enter-joint' ? new Set(state.voters) : new Set(state.votersOutgoing);
  for (const [operation, id] of change.changes) {
    if (operation === 'voter') {
      voters.add(id);
      learners.delete(id);
      learnersNext.delete(id);
    } else if (operation === 'learner') {
      voters.delete(id);
      // A voter of the outgoing half becomes a learner only when the joint state is left.
      if (outgoing.has(id)) learnersNext.add(id);
      else learners.add(id);
    } else if (operation === 'remove') {
      voters.delete(id);
      learners.delete(id);
      learnersNext.delete(id);
    }
  }
  return {
    voters: sorted(voters),
    votersOutgoing: sorted(outgoing),
    learners: sorted(learners),
    learnersNext: sorted(learnersNext),
    autoLeave: change.transition === 'enter-joint' ? change.autoLeave : state.autoLeave,
  };
}
