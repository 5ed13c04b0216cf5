// The named membership scenarios of the side-by-side view (`?view=engines&scenario=<id>`): a
// script of membership changes, crashes and client writes that both engines' clusters get at the
// same simulated times. Each says what to look for; the seed only moves the election timeouts.
import type { NodeId } from '../../raft/types';
import type { NodeTarget, ScriptAction } from './membership-pane';

/** Steps a person may add to a scenario. */
export const extraStepsMax = 32;

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
    id: 'add-quiet',
    title: 'Add a server to a quiet cluster',
    voters,
    spares: [4],
    durationMs: 1_500,
    steps: [
      { atMs: 0, action: { kind: 'writes', everyMs: 200 } },
      { atMs: 600, action: { kind: 'addVoter', node: 4 } },
    ],
    lookFor:
      'A few writes, no compaction yet, then node 4 is added. The HashiCorp leader still holds its whole log from ' +
      'index 1 (the bootstrap configuration entry), so it sends node 4 the entries with AppendEntries. An etcd cluster ' +
      'is bootstrapped from a snapshot at index 1, so its log starts at 2 and an empty node can only be caught up ' +
      'with a MsgSnap first.',
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
      { atMs: 2_500, action: { kind: 'writes', everyMs: 50 } },
      { atMs: 2_600, action: { kind: 'crash', node: 'follower' } },
      { atMs: 2_700, action: { kind: 'restart', node: 'down' } },
    ],
    lookFor:
      'A follower is down while about a hundred writes commit; the leader snapshots and compacts its log (keeping 5 ' +
      'entries), so the restarted follower cannot be sent the entries it misses: etcd sends a MsgSnap, HashiCorp an ' +
      'InstallSnapshot. A restarted HashiCorp node also shows commit 0 until the leader tells it (it persists no commit ' +
      'index), while an etcd node starts from its persisted HardState. Later a follower is down for only 100 ms under ' +
      'lighter load: the entries it missed are still in the leader\'s log, so it catches up by log replication.',
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
  {
    id: 'your-changes',
    title: 'Your own changes (buttons below)',
    voters,
    spares: [4, 5],
    durationMs: 10_000,
    steps: [{ atMs: 0, action: { kind: 'writes', everyMs: 50 } }],
    lookFor:
      'Three voters under light load and two empty spares (4, 5). Pick a node and a change: it is sent to both ' +
      'leaders at the time shown (and kept in the address as steps=), so you can add, promote, demote and remove ' +
      'servers, crash and restart nodes, and compare what each engine does.',
  },
];

export function membershipScenario(id: string): MembershipScenario | undefined {
  return membershipScenarios.find((scenario) => scenario.id === id);
}

export function isMembershipScenarioId(id: string): boolean {
  return membershipScenario(id) !== undefined;
}

const actionKinds = ['addVoter', 'addLearner', 'promote', 'demote', 'remove', 'crash', 'restart', 'isolate', 'heal'] as const;

/** `<ms>-<action>-<node>` joined by commas, e.g. `1200-addLearner-5,1500-remove-leader` (the URL's `steps`). */
export function formatScriptSteps(steps: readonly ScriptStep[]): string {
  return steps.map((step) => `${step.atMs}-${step.action.kind}${'node' in step.action ? `-${step.action.node}` : ''}`).join(',');
}

/** Parses formatScriptSteps' text: the steps, or a message saying what is wrong. */
export function parseScriptSteps(text: string): { ok: true; steps: ScriptStep[] } | { ok: false; error: string } {
  const steps: ScriptStep[] = [];
  for (const part of text === '' ? [] : text.split(',')) {
    const [at, kind, target, ...rest] = part.split('-');
    const atMs = /^[0-9]{1,6}$/.test(at ?? '') ? Number(at) : NaN;
    if (!Number.isSafeInteger(atMs) || rest.length > 0 || !(actionKinds as readonly string[]).includes(kind ?? '')) {
      return { ok: false, error: `step ${part}: expected <ms>-<${actionKinds.join('|')}>-<node>` };
    }
    if (kind === 'heal') {
      if (target !== undefined) return { ok: false, error: `step ${part}: heal names no node` };
      steps.push({ atMs, action: { kind: 'heal' } });
      continue;
    }
    const node: NodeTarget | null = /^[1-9]$/.test(target ?? '') ? Number(target) : ['leader', 'follower', 'down', 'learner'].includes(target ?? '') ? (target as NodeTarget) : null;
    if (node === null) return { ok: false, error: `step ${part}: node must be 1..9, leader, follower, down or learner` };
    steps.push({ atMs, action: { kind: kind as Exclude<(typeof actionKinds)[number], 'heal'>, node } });
  }
  if (steps.length > extraStepsMax) return { ok: false, error: `${steps.length} steps: at most ${extraStepsMax}` };
  return { ok: true, steps };
}
