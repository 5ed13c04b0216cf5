// Joint consensus (Raft thesis §4.3, etcd's confchange): the configuration view folds a node's
// conf change entries over its snapshot's ConfState up to its applied index.
import { describe, expect, it } from 'vitest';
import type { DataDirInspection, InspectedConfChange } from '../../worker/inspection';
import { configurationOf } from './configuration';

function inspection(confChanges: InspectedConfChange[]): DataDirInspection {
  return {
    lines: [],
    files: [],
    pending: [],
    walRecordCount: 0,
    walRecords: [],
    hardState: null,
    lastIndex: 0,
    lastTerm: 0,
    snapshots: [
      {
        name: 'snap/1',
        index: 1,
        term: 1,
        confState: {
          voters: [1, 2, 3],
          learners: [],
          votersOutgoing: [],
          learnersNext: [],
          autoLeave: false,
        },
      },
    ],
    peers: null,
    marker: 'etcd',
    confChanges,
    problems: [],
  };
}

const change = (
  index: number,
  transition: InspectedConfChange['transition'],
  changes: [string, number][],
  autoLeave = false,
): InspectedConfChange => ({
  index,
  term: 2,
  transition,
  autoLeave,
  changes,
  text: '',
});

describe('configuration view: joint consensus (§4.3)', () => {
  const changes = [
    change(
      5,
      'enter-joint',
      [
        ['voter', 4],
        ['learner', 3],
      ],
      true,
    ),
    change(6, 'leave-joint', []),
    change(9, 'simple', [['remove', 2]]),
  ];

  it('shows the joint configuration while the enter is applied and the leave is not', () => {
    const config = configurationOf(inspection(changes), 5)!;
    expect(config).toMatchObject({
      voters: [1, 2, 4],
      votersOutgoing: [1, 2, 3],
      learners: [],
      learnersNext: [3],
      autoLeave: true,
      index: 5,
    });
    expect(config.pending.map((item) => item.index)).toEqual([6, 9]);
  });

  it('leaves the joint configuration: learners_next become learners, the outgoing half goes', () => {
    const config = configurationOf(inspection(changes), 8)!;
    expect(config).toMatchObject({
      voters: [1, 2, 4],
      votersOutgoing: [],
      learners: [3],
      learnersNext: [],
      autoLeave: false,
      index: 6,
    });
    expect(configurationOf(inspection(changes), 9)).toMatchObject({
      voters: [1, 4],
      learners: [3],
      pending: [],
    });
  });

  it('is the snapshot ConfState when nothing was changed since', () => {
    expect(configurationOf(inspection([]), 3)).toMatchObject({
      voters: [1, 2, 3],
      votersOutgoing: [],
      index: 1,
      pending: [],
    });
  });
});
