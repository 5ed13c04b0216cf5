// The built-in datadriven scenarios: reviewed interaction files of testdata/interaction (etcd's
// rafttest format, played by the datadriven panel with the CLI's output), each with a caption that
// says what to watch. A file's text is imported at build time but loaded only when its scenario
// is opened, so the first screen does not carry it.

export interface DatadrivenScenario {
  /** The id `?scenario=<id>` names. */
  id: string;
  title: string;
  /** The file under testdata/interaction the scenario plays. */
  fileName: string;
  /** What to watch, in a sentence or three. */
  caption: string;
  load: () => Promise<string>;
}

const text = (module: { default: string }): string => module.default;

export const datadrivenScenarios: readonly DatadrivenScenario[] = [
  {
    id: 'snapshot-catch-up',
    title: 'Snapshot catch-up',
    fileName: 'snapshot_follower_behind_compaction.txt',
    caption:
      'Node 3 misses entries, then leader 1 compacts its log past them (compact 1 13). At the next ' +
      'probe 1 has nothing left to append from: watch it send MsgSnap and hold 3 in StateSnapshot ' +
      'until 3 acknowledges the snapshot (Raft §7).',
    load: () =>
      import('../../../testdata/interaction/snapshot_follower_behind_compaction.txt?raw').then(text),
  },
  {
    id: 'joint-consensus',
    title: 'Joint consensus',
    fileName: 'joint_double_auto_leave.txt',
    caption:
      'One ConfChangeV2 swaps voters 2 and 3 for 4 and 5: the cluster enters voters=(1 4 5)&&(1 2 3). ' +
      'Watch the leave entry wait, although 1, 2 and 3 hold it, until 4 (caught up by snapshot) ' +
      'acknowledges it: while joint, commit needs a majority of both halves.',
    load: () => import('../../../testdata/interaction/joint_double_auto_leave.txt?raw').then(text),
  },
  {
    id: 'learner-promotion',
    title: 'Learner promotion',
    fileName: 'learners_promote_demote.txt',
    caption:
      'Learner 4 gets the log but its acknowledgement commits nothing; promoted (v4) it counts. ' +
      'Demoting a voter back needs a joint configuration: watch it wait in learners_next until ' +
      'the joint configuration is left.',
    load: () => import('../../../testdata/interaction/learners_promote_demote.txt?raw').then(text),
  },
  {
    id: 'leader-transfer',
    title: 'Leader transfer',
    fileName: 'leader_transfer_caught_up.txt',
    caption:
      'Leader 1 hands leadership to 3, whose log is up to date: watch MsgTimeoutNow go out at ' +
      'once and 3 win at term 2 with a vote marked as a transfer, which the others grant though ' +
      'they heard from 1 recently (Raft thesis §3.10).',
    load: () => import('../../../testdata/interaction/leader_transfer_caught_up.txt?raw').then(text),
  },
];

export function datadrivenScenarioById(id: string): DatadrivenScenario | undefined {
  return datadrivenScenarios.find((scenario) => scenario.id === id);
}
