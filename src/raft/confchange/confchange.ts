// etcd's confchange.Changer: computes the configuration (and progress map) that results from
// configuration changes, simple or joint, and refuses invalid ones before they take effect.
// Raft thesis 4.3 describes joint consensus; etcd's terms: Voters[0] is the incoming config,
// Voters[1] the outgoing one.
import { MajorityConfig } from '../quorum';
import { confChangeTypeString } from '../encoding/conf-change';
import { ConfChangeType, type ConfChangeSingle, type LogIndex, type NodeId } from '../types';
import { Inflights } from '../tracker/inflights';
import { Progress, ProgressMap } from '../tracker/progress';
import { TrackerConfig } from '../tracker/tracker';

/** An invalid configuration change; the message is etcd's. */
export class ConfChangeError extends Error {
  override name = 'ConfChangeError';
}

/** What a Changer reads from the tracker: the active config, progress and window limits. */
export interface ProgressTrackerLike {
  config: TrackerConfig;
  progress: ProgressMap;
  maxInflight: number;
  maxInflightBytes: number;
}

/** A configuration and progress map produced by a Changer; the tracker is left untouched. */
export interface ConfChangeResult {
  config: TrackerConfig;
  progress: ProgressMap;
}

export class Changer {
  /**
   * @param tracker the active configuration the changes apply to (never modified).
   * @param lastIndex the leader's last index: new members start probing after it.
   */
  constructor(
    public tracker: ProgressTrackerLike,
    public lastIndex: LogIndex,
  ) {}

  /**
   * Enters a joint configuration: the outgoing config becomes a copy of the incoming one, then
   * the changes apply to the incoming one. (1 2 3)&&() becomes, e.g., (1 2 4)&&(1 2 3).
   */
  enterJoint(autoLeave: boolean, ...changes: ConfChangeSingle[]): ConfChangeResult {
    const { config, progress } = this.checkAndCopy();
    if (config.voters.isJoint()) throw new ConfChangeError('config is already joint');
    if (config.voters.incoming.size === 0) {
      // An empty config may grow by simple changes (bootstrap, tests), never by a joint one.
      throw new ConfChangeError("can't make a zero-voter config joint");
    }
    config.voters.outgoing = config.voters.incoming.clone();
    this.apply(config, progress, changes);
    config.autoLeave = autoLeave;
    return checkAndReturn(config, progress);
  }

  /**
   * Leaves the joint configuration: the incoming config decides alone, staged learners
   * (learnersNext) become learners, and members only the outgoing config had are dropped.
   */
  leaveJoint(): ConfChangeResult {
    const { config, progress } = this.checkAndCopy();
    if (!config.voters.isJoint()) throw new ConfChangeError("can't leave a non-joint config");
    for (const id of config.learnersNext ?? []) {
      config.learners = nilAwareAdd(config.learners, id);
      progress.get(id)!.isLearner = true;
    }
    config.learnersNext = null;
    for (const id of config.voters.outgoing) {
      const isVoter = config.voters.incoming.has(id);
      const isLearner = config.learners?.has(id) ?? false;
      if (!isVoter && !isLearner) progress.delete(id);
    }
    config.voters.outgoing = new MajorityConfig();
    config.autoLeave = false;
    return checkAndReturn(config, progress);
  }

  /**
   * Applies changes that together change the incoming voters by at most one, outside joint
   * consensus.
   */
  simple(...changes: ConfChangeSingle[]): ConfChangeResult {
    const { config, progress } = this.checkAndCopy();
    if (config.voters.isJoint()) {
      throw new ConfChangeError("can't apply simple config change in joint config");
    }
    this.apply(config, progress, changes);
    if (symmetricDifference(this.tracker.config.voters.incoming, config.voters.incoming) > 1) {
      throw new ConfChangeError('more than one voter changed without entering joint config');
    }
    return checkAndReturn(config, progress);
  }

  /** Applies the changes to the incoming config, in order. */
  private apply(config: TrackerConfig, progress: ProgressMap, changes: ConfChangeSingle[]): void {
    for (const change of changes) {
      // etcd zeroes the node id of a change it decided not to apply.
      if (change.nodeId === 0) continue;
      switch (change.type) {
        case ConfChangeType.ConfChangeAddNode:
          this.makeVoter(config, progress, change.nodeId);
          break;
        case ConfChangeType.ConfChangeAddLearnerNode:
          this.makeLearner(config, progress, change.nodeId);
          break;
        case ConfChangeType.ConfChangeRemoveNode:
          remove(config, progress, change.nodeId);
          break;
        case ConfChangeType.ConfChangeUpdateNode:
          break;
        default:
          throw new ConfChangeError(`unexpected conf type ${change.type as number}`);
      }
    }
    if (config.voters.incoming.size === 0) throw new ConfChangeError('removed all voters');
  }

  /** Adds `id` as a voter of the incoming config, or promotes it. */
  private makeVoter(config: TrackerConfig, progress: ProgressMap, id: NodeId): void {
    const pr = progress.get(id);
    if (pr === undefined) {
      this.initProgress(config, progress, id, false);
      return;
    }
    pr.isLearner = false;
    config.learners = nilAwareDelete(config.learners, id);
    config.learnersNext = nilAwareDelete(config.learnersNext, id);
    config.voters.incoming.add(id);
  }

  /**
   * Makes `id` a learner: at once when it is not a voter of the outgoing config, otherwise
   * staged in learnersNext until the joint config is left (a node cannot be voter and learner).
   */
  private makeLearner(config: TrackerConfig, progress: ProgressMap, id: NodeId): void {
    const pr = progress.get(id);
    if (pr === undefined) {
      this.initProgress(config, progress, id, true);
      return;
    }
    if (pr.isLearner) return;
    // Drop it as an incoming voter but keep its progress.
    remove(config, progress, id);
    progress.set(id, pr);
    if (config.voters.outgoing.has(id)) {
      config.learnersNext = nilAwareAdd(config.learnersNext, id);
    } else {
      pr.isLearner = true;
      config.learners = nilAwareAdd(config.learners, id);
    }
  }

  /** Adds a new member with a fresh progress that probes from the last index. */
  private initProgress(
    config: TrackerConfig,
    progress: ProgressMap,
    id: NodeId,
    isLearner: boolean,
  ): void {
    if (isLearner) config.learners = nilAwareAdd(config.learners, id);
    else config.voters.incoming.add(id);
    progress.set(
      id,
      new Progress({
        // Optimistic: the follower likely has no log and will need a snapshot, but probing at
        // the last index finds that out in one round trip.
        match: 0,
        next: Math.max(this.lastIndex, 1),
        inflights: new Inflights(this.tracker.maxInflight, this.tracker.maxInflightBytes),
        isLearner,
        // A new member counts as active, so that CheckQuorum does not depose the leader
        // before the member has had a chance to answer.
        recentActive: true,
      }),
    );
  }

  /** Copies the tracker's config and progress map after checking them. */
  private checkAndCopy(): ConfChangeResult {
    const config = this.tracker.config.clone();
    const progress = new ProgressMap();
    // Only isLearner is ever modified, so a shallow copy of each progress is enough.
    for (const [id, pr] of this.tracker.progress) progress.set(id, pr.shallowCopy());
    return checkAndReturn(config, progress);
  }
}

/** Removes `id` from the incoming config (as voter or learner). */
function remove(config: TrackerConfig, progress: ProgressMap, id: NodeId): void {
  if (!progress.has(id)) return;
  config.voters.incoming.delete(id);
  config.learners = nilAwareDelete(config.learners, id);
  config.learnersNext = nilAwareDelete(config.learnersNext, id);
  // An outgoing voter keeps its progress until the joint config is left.
  if (!config.voters.outgoing.has(id)) progress.delete(id);
}

/** Whether every id has a progress entry. */
function everyHasProgress(ids: Iterable<NodeId>, progress: ReadonlyMap<NodeId, Progress>): boolean {
  for (const id of ids) if (!progress.has(id)) return false;
  return true;
}

/**
 * Checks that the config and progress map agree with each other; throws ConfChangeError with
 * etcd's message otherwise. The empty config is allowed, so that bootstrap can grow from it.
 */
export function checkInvariants(
  config: TrackerConfig,
  progress: ReadonlyMap<NodeId, Progress>,
): void {
  // Every voter has a progress (the usual answer, checked without building the sorted id set);
  // only when one lacks it are the ids walked in order, so the error names the same id as before.
  if (
    !everyHasProgress(config.voters.incoming, progress) ||
    !everyHasProgress(config.voters.outgoing, progress)
  ) {
    for (const id of config.voters.ids()) {
      if (!progress.has(id)) throw new ConfChangeError(`no progress for ${id}`);
    }
  }
  for (const ids of [config.learners ?? [], config.learnersNext ?? []]) {
    for (const id of ids) {
      if (!progress.has(id)) throw new ConfChangeError(`no progress for ${id}`);
    }
  }
  // A staged learner was staged because it is still a voter of the outgoing config.
  for (const id of config.learnersNext ?? []) {
    if (!config.voters.outgoing.has(id)) {
      throw new ConfChangeError(`${id} is in LearnersNext, but not Voters[1]`);
    }
    if (progress.get(id)!.isLearner) {
      throw new ConfChangeError(`${id} is in LearnersNext, but is already marked as learner`);
    }
  }
  // Learners and voters never intersect.
  for (const id of config.learners ?? []) {
    if (config.voters.outgoing.has(id)) {
      throw new ConfChangeError(`${id} is in Learners and Voters[1]`);
    }
    if (config.voters.incoming.has(id)) {
      throw new ConfChangeError(`${id} is in Learners and Voters[0]`);
    }
    if (!progress.get(id)!.isLearner) {
      throw new ConfChangeError(`${id} is in Learners, but is not marked as learner`);
    }
  }
  if (!config.voters.isJoint()) {
    // Outside joint consensus the staged learners are absent (etcd: nil), and so is autoLeave.
    if (config.learnersNext !== null) {
      throw new ConfChangeError('cfg.LearnersNext must be nil when not joint');
    }
    if (config.autoLeave) throw new ConfChangeError('AutoLeave must be false when not joint');
  }
}

function checkAndReturn(config: TrackerConfig, progress: ProgressMap): ConfChangeResult {
  checkInvariants(config, progress);
  return { config, progress };
}

/** Adds to a set that may be absent (etcd's nil map), creating it. */
function nilAwareAdd(set: Set<NodeId> | null, id: NodeId): Set<NodeId> {
  const result = set ?? new Set<NodeId>();
  result.add(id);
  return result;
}

/** Deletes from a set that may be absent, making it absent when it becomes empty. */
function nilAwareDelete(set: Set<NodeId> | null, id: NodeId): Set<NodeId> | null {
  if (set === null) return null;
  set.delete(id);
  return set.size === 0 ? null : set;
}

/** The number of ids in exactly one of the two sets. */
function symmetricDifference(left: ReadonlySet<NodeId>, right: ReadonlySet<NodeId>): number {
  let count = 0;
  for (const id of left) if (!right.has(id)) count++;
  for (const id of right) if (!left.has(id)) count++;
  return count;
}

/** etcd's confchange.Describe: "ConfChangeAddNode(1) ConfChangeRemoveNode(2)". */
export function describeConfChanges(changes: readonly ConfChangeSingle[]): string {
  return changes
    .map((change) => `${confChangeTypeString(change.type)}(${change.nodeId})`)
    .join(' ');
}
