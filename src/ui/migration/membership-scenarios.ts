// The named membership scenarios of the side-by-side view (`?view=engines&scenario=<id>`): a
// script of membership changes, crashes and client writes that both engines' clusters get at the
// same simulated times. Each says what to look for; the seed only moves the election timeouts.
import type { NodeId } from '../../raft/types';
import type { ScriptAction } from './membership-pane';

export interface ScriptStep {
  atMs: number;
  action: ScriptAction;
}

export interface MembershipScenario {
  id: string;
  title: string;
  /** The voters the cluster is bootstrapped with. */
  voters: NodeId[];
  /** Nodes that start with empty disks, waiting to be added. */
  spares: NodeId[];
  /** The scenario's length in simulated ms (the time control stops there). */
  durationMs: number;
  steps: ScriptStep[];
  lookFor: string;
}

const voters = [1, 2, 3];

export const membershipScenarios: readonly MembershipScenario[] = [
  {
    id: 'add-under-load',
    title: 'Add a server under load',
    voters,
    spares: [4, 5],
    durationMs: 4_000,
    steps: [
      { atMs: 0, action: { kind: 'writes', everyMs: 20 } },
      { atMs: 800, action: { kind: 'addLearner', node: 4 } },
      { atMs: 1_800, action: { kind: 'promote', node: 4 } },
      { atMs: 2_600, action: { kind: 'addVoter', node: 5 } },
    ],
    lookFor:
      'Node 4 joins as a learner (etcd) or nonvoter (HashiCorp): it receives the log but does not count for the quorum, so ' +
      'writes keep committing while it catches up; then it is promoted. Node 5 is added straight as a voter: the quorum ' +
      'grows to 3 of 5 at once, before node 5 holds anything. Both leaders have compacted their logs, so the new nodes ' +
      'catch up from a snapshot (etcd MsgSnap, HashiCorp InstallSnapshot); the catch-up lines say how long each took.',
  },
  {
    id: 'remove-leader',
    title: 'Remove the leader',
    voters,
    spares: [],
    durationMs: 3_000,
    steps: [
      { atMs: 0, action: { kind: 'writes', everyMs: 50 } },
      { atMs: 1_000, action: { kind: 'remove', node: 'leader' } },
    ],
    lookFor:
      'The leader is asked to remove itself. HashiCorp uses the new configuration as soon as it is appended, commits it ' +
      'with the other two, then shuts down (ShutdownOnRemove); etcd applies the change when committed and the host stops ' +
      'the removed node. The two remaining voters then need an election: compare how long each cluster is without a leader.',
  },
  {
    id: 'snapshot-catch-up',
    title: 'A lagging node catches up by snapshot',
    voters,
    spares: [],
    durationMs: 3_500,
    steps: [
      { atMs: 0, action: { kind: 'writes', everyMs: 10 } },
      { atMs: 300, action: { kind: 'crash', node: 'follower' } },
      { atMs: 1_500, action: { kind: 'restart', node: 'down' } },
    ],
    lookFor:
      'A follower is down while about a hundred writes commit; the leader snapshots and compacts its log (keeping 5 ' +
      'entries), so the restarted follower cannot be sent the entries it misses: etcd sends a MsgSnap, HashiCorp an ' +
      'InstallSnapshot. A restarted HashiCorp node also shows commit 0 until the leader tells it (it persists no commit ' +
      'index), while an etcd node starts from its persisted HardState.',
  },
  {
    id: 'replace-server',
    title: 'Replace a server: joint consensus or one at a time',
    voters,
    spares: [4],
    durationMs: 3_000,
    steps: [
      { atMs: 0, action: { kind: 'writes', everyMs: 40 } },
      { atMs: 1_000, action: { kind: 'replace', node: 4, removed: 'follower' } },
    ],
    lookFor:
      'Node 4 replaces a follower. etcd proposes both changes in one ConfChangeV2: the cluster enters joint consensus ' +
      '(voters (new)&&(old): every decision needs a majority of both), then leaves it by itself (autoleave). HashiCorp ' +
      'changes one server at a time: AddVoter 4 (four voters, quorum 3), then RemoveServer, each used when appended ' +
      'and committed afterwards, so its leader shows the latest and the committed configuration apart.',
  },
  {
    id: 'demote-remove',
    title: 'Demote a voter, then remove it',
    voters,
    spares: [],
    durationMs: 2_500,
    steps: [
      { atMs: 0, action: { kind: 'writes', everyMs: 50 } },
      { atMs: 800, action: { kind: 'demote', node: 'follower' } },
      { atMs: 1_600, action: { kind: 'remove', node: 'learner' } },
    ],
    lookFor:
      'HashiCorp has DemoteVoter: the server stays as a nonvoter and keeps replicating. etcd does the same with a ' +
      'ConfChangeAddLearnerNode on a voter. Then the former voter is removed; the quorum stays 2 throughout.',
  },
];

export function membershipScenario(id: string): MembershipScenario | undefined {
  return membershipScenarios.find((scenario) => scenario.id === id);
}

export function isMembershipScenarioId(id: string): boolean {
  return membershipScenario(id) !== undefined;
}
