// etcd's confchange.Restore: rebuilds the configuration a ConfState describes (from a snapshot
// or at startup) by replaying conf changes on an empty configuration.
import { ConfChangeType, type ConfChangeSingle, type ConfState } from '../types';
import { Changer, type ConfChangeResult } from './confchange';

/**
 * Translates a ConfState into the changes that build the outgoing config (`outgoing`), and the
 * changes that, applied on top of it while entering the joint state, give the ConfState
 * (`incoming`).
 *
 * Example: voters=(1 2 3) learners=(5) outgoing=(1 2 4 6) learners_next=(4) gives
 * outgoing = v1 v2 v4 v6 and incoming = r1 r2 r4 r6 v1 v2 v3 l5 l4, so that
 * (1 2 4 6) becomes (1 2 3)&&(1 2 4 6) learners=(5) learners_next=(4).
 */
export function toConfChangeSingle(confState: ConfState): {
  outgoing: ConfChangeSingle[];
  incoming: ConfChangeSingle[];
} {
  const change = (type: ConfChangeType, nodeId: number): ConfChangeSingle => ({ type, nodeId });
  const outgoing = confState.votersOutgoing.map((id) =>
    change(ConfChangeType.ConfChangeAddNode, id),
  );
  const incoming = [
    ...confState.votersOutgoing.map((id) => change(ConfChangeType.ConfChangeRemoveNode, id)),
    ...confState.voters.map((id) => change(ConfChangeType.ConfChangeAddNode, id)),
    ...confState.learners.map((id) => change(ConfChangeType.ConfChangeAddLearnerNode, id)),
    // Learners-to-be are voters of the outgoing config; entering the joint state stages them.
    ...confState.learnersNext.map((id) => change(ConfChangeType.ConfChangeAddLearnerNode, id)),
  ];
  return { outgoing, incoming };
}

/**
 * Runs the changes that enact `confState`, starting from the changer's configuration (which
 * must be empty). Throws ConfChangeError when a step is invalid. The changer's tracker is not
 * modified.
 */
export function restore(changer: Changer, confState: ConfState): ConfChangeResult {
  const { outgoing, incoming } = toConfChangeSingle(confState);
  const steps: Array<(changer: Changer) => ConfChangeResult> = [];
  if (outgoing.length === 0) {
    // Not joint: add the members one by one.
    for (const change of incoming) steps.push((c) => c.simple(change));
  } else {
    // Joint: first build the outgoing config one member at a time, as the active config, then
    // enter the joint state, which rotates it into the outgoing half and applies the incoming
    // changes. For (1 2 3)&&(2 3 4) that is (2 3 4) first, then (1 2 3)&&(2 3 4).
    for (const change of outgoing) steps.push((c) => c.simple(change));
    steps.push((c) => c.enterJoint(confState.autoLeave, ...incoming));
  }
  return chain(changer, steps);
}

/** Applies each step to the result of the previous one, on a private copy of the changer. */
function chain(
  changer: Changer,
  steps: Array<(changer: Changer) => ConfChangeResult>,
): ConfChangeResult {
  const tracker = { ...changer.tracker };
  const local = new Changer(tracker, changer.lastIndex);
  for (const step of steps) {
    const { config, progress } = step(local);
    tracker.config = config;
    tracker.progress = progress;
  }
  return { config: tracker.config, progress: tracker.progress };
}
