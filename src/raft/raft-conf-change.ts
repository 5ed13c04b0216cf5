// Configuration changes on the Raft state: applying a conf change, restoring the configuration
// from a snapshot's ConfState, and switching to the result (etcd's applyConfChange,
// switchToConfig, restore).
import { StateType } from './ready';
import { RaftPanic } from './logger';
import {
  ConfChangeTransition,
  ConfChangeType,
  NONE,
  type ConfChangeV2,
  type ConfState,
  type Snapshot,
} from './types';
import type { Raft } from './raft';
import { hex } from './raft';
import { Changer } from './confchange/confchange';
import { restore as restoreChanger } from './confchange/restore';
import { ProgressTracker } from './tracker/tracker';
import type { TrackerConfig } from './tracker/tracker';
import type { ProgressMap } from './tracker/progress';
import { enterJoint, leaveJoint, isConfChangeV2, type ConfChangeI } from './encoding/conf-change';
import { bcastAppend, maybeSendAppend } from './replication';
import { confStateEquivalent } from './conf-state';
import { describeConfStateGo } from './conf-state';

/** Restores the configuration at startup from the storage's ConfState. */
export function restoreConfig(r: Raft, confState: ConfState, lastIndex: number): void {
  const changer = new Changer(r.trk, lastIndex);
  const { config, progress } = restoreChanger(changer, confState);
  assertConfStatesEquivalent(r, confState, switchToConfig(r, config, progress));
}

export function applyConfChange(r: Raft, cc: ConfChangeV2): ConfState {
  const changer = new Changer(r.trk, r.raftLog.lastIndex());
  let result: { config: TrackerConfig; progress: ProgressMap };
  if (leaveJoint(cc)) {
    result = changer.leaveJoint();
  } else {
    const joint = enterJoint(cc);
    result = joint.ok ? changer.enterJoint(joint.autoLeave, ...cc.changes) : changer.simple(...cc.changes);
  }
  return switchToConfig(r, result.config, result.progress);
}

/**
 * Makes `config` and `progress` the active configuration and reacts to it: a removed or demoted
 * leader may step down; a leader commits what the new quorum allows and probes new members.
 */
export function switchToConfig(r: Raft, config: TrackerConfig, progress: ProgressMap): ConfState {
  r.trk.config = config;
  r.trk.progress = progress;
  r.logger.info(`${hex(r.id)} switched to configuration ${r.trk.config.string()}`);
  const confState = r.trk.confState();
  const self = r.trk.progress.get(r.id);
  // A node that was removed is not a learner either.
  r.isLearner = self !== undefined && self.isLearner;

  if ((self === undefined || r.isLearner) && r.state === StateType.StateLeader) {
    // Demotion is refused today, but it is handled like a removal.
    if (r.stepDownOnRemoval) r.becomeFollower(r.term, NONE);
    return confState;
  }
  if (r.state !== StateType.StateLeader || confState.voters.length === 0) return confState;

  if (r.maybeCommit()) {
    // The new quorum commits more: tell everyone in the new configuration.
    bcastAppend(r);
  } else {
    // Probe new members now rather than after a heartbeat interval.
    r.trk.visit((id) => {
      if (id !== r.id) maybeSendAppend(r, id, false);
    });
  }
  if (r.leadTransferee !== NONE && !r.trk.config.voters.ids().has(r.leadTransferee)) {
    r.abortLeaderTransfer();
  }
  return confState;
}

/**
 * Restores the log and configuration from a leader's snapshot (Raft paper 7). Returns false when
 * the snapshot is ignored: it is not newer than our commit, or this node is not in it.
 */
export function restoreSnapshot(r: Raft, snapshot: Snapshot): boolean {
  if (snapshot.metadata.index <= r.raftLog.committed) return false;
  if (r.state !== StateType.StateFollower) {
    // Defense in depth: only a follower restores snapshots.
    r.logger.warning(`${hex(r.id)} attempted to restore snapshot as leader; should never happen`);
    r.becomeFollower(r.term + 1, NONE);
    return false;
  }
  const confState = snapshot.metadata.confState;
  // Learners-next need no check: they are in the outgoing voters.
  const found = [confState.voters, confState.learners, confState.votersOutgoing].some((ids) =>
    ids.includes(r.id),
  );
  if (!found) {
    r.logger.warning(
      `${hex(r.id)} attempted to restore snapshot but it is not in the ConfState ${describeConfStateGo(confState)}; should never happen`,
    );
    return false;
  }
  const id = { term: snapshot.metadata.term, index: snapshot.metadata.index };
  if (r.raftLog.matchTerm(id)) {
    // Our log already has the snapshot's last entry: only the commit index moves.
    const last = r.raftLog.lastEntryID();
    r.logger.info(
      `${hex(r.id)} [commit: ${r.raftLog.committed}, lastindex: ${last.index}, lastterm: ${last.term}] fast-forwarded commit to snapshot [index: ${id.index}, term: ${id.term}]`,
    );
    r.raftLog.commitTo(snapshot.metadata.index);
    return false;
  }
  r.raftLog.restore(snapshot);
  r.trk = new ProgressTracker(r.trk.maxInflight, r.trk.maxInflightBytes);
  let restored;
  try {
    restored = restoreChanger(new Changer(r.trk, r.raftLog.lastIndex()), confState);
  } catch (error) {
    throw new RaftPanic(
      `unable to restore config ${describeConfStateGo(confState)}: ${(error as Error).message}`,
    );
  }
  assertConfStatesEquivalent(r, confState, switchToConfig(r, restored.config, restored.progress));
  const last = r.raftLog.lastEntryID();
  r.logger.info(
    `${hex(r.id)} [commit: ${r.raftLog.committed}, lastindex: ${last.index}, lastterm: ${last.term}] restored snapshot [index: ${id.index}, term: ${id.term}]`,
  );
  return true;
}

function assertConfStatesEquivalent(r: Raft, a: ConfState, b: ConfState): void {
  const difference = confStateEquivalent(a, b);
  if (difference !== null) r.logger.panic(difference);
}

/** Go's %v of a ConfChange or ConfChangeV2 value, as etcd's log lines print it. */
export function describeConfChangeI(cc: ConfChangeI): string {
  if (isConfChangeV2(cc)) {
    const changes = cc.changes
      .map((change) => `{${ConfChangeType[change.type]} ${change.nodeId}}`)
      .join(' ');
    return `{${ConfChangeTransition[cc.transition]} [${changes}] ${goBytes(cc.context)}}`;
  }
  return `{${ConfChangeType[cc.type]} ${cc.nodeId} ${goBytes(cc.context)} ${cc.id}}`;
}

function goBytes(bytes: Uint8Array | null): string {
  return `[${bytes === null ? '' : Array.from(bytes).join(' ')}]`;
}
