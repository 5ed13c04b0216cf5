import { describe, expect, it } from 'vitest';
import { localAppendThread, localApplyThread } from './config';
import {
  describeConfState,
  describeEntries,
  describeEntry,
  describeHardState,
  describeMessage,
  describeReady,
  describeSnapshot,
  describeSoftState,
  describeTarget,
  entryTypeString,
  messageTypeString,
} from './describe';
import { marshalConfChange, marshalConfChangeV2 } from './encoding/conf-change';
import { StateType, type Ready } from './ready';
import {
  ConfChangeTransition,
  ConfChangeType,
  EntryType,
  MessageType,
  emptyConfState,
  emptyHardState,
  emptySnapshot,
  makeEntry,
  makeMessage,
  type Snapshot,
} from './types';

const utf8 = (text: string) => new TextEncoder().encode(text);

function emptyReady(): Ready {
  return {
    softState: null,
    hardState: emptyHardState(),
    readStates: [],
    entries: [],
    snapshot: emptySnapshot(),
    committedEntries: [],
    messages: [],
    mustSync: false,
  };
}

const snapshot: Snapshot = {
  data: null,
  metadata: {
    index: 4,
    term: 1,
    confState: { ...emptyConfState(), voters: [1, 2, 3], votersOutgoing: [1], autoLeave: true },
  },
};

describe('describe: states and snapshots', () => {
  it('formats hard and soft state', () => {
    expect(describeHardState({ term: 1, vote: 1, commit: 2 })).toBe('Term:1 Vote:1 Commit:2');
    expect(describeHardState({ term: 3, vote: 0, commit: 0 })).toBe('Term:3 Commit:0');
    expect(describeSoftState({ lead: 0, raftState: StateType.StateCandidate })).toBe(
      'Lead:0 State:StateCandidate',
    );
    expect(describeSoftState({ lead: 1, raftState: StateType.StatePreCandidate })).toBe(
      'Lead:1 State:StatePreCandidate',
    );
  });

  it('formats conf states and snapshots like Go %v', () => {
    expect(describeConfState(emptyConfState())).toBe(
      'Voters:[] VotersOutgoing:[] Learners:[] LearnersNext:[] AutoLeave:false',
    );
    expect(describeSnapshot(snapshot)).toBe(
      'Index:4 Term:1 ConfState:Voters:[1 2 3] VotersOutgoing:[1] Learners:[] LearnersNext:[] AutoLeave:true',
    );
  });

  it('names types and targets', () => {
    expect(messageTypeString(MessageType.MsgStorageAppendResp)).toBe('MsgStorageAppendResp');
    expect(messageTypeString(99 as MessageType)).toBe('99');
    expect(entryTypeString(EntryType.EntryConfChangeV2)).toBe('EntryConfChangeV2');
    expect(describeTarget(0)).toBe('None');
    expect(describeTarget(localAppendThread)).toBe('AppendThread');
    expect(describeTarget(localApplyThread)).toBe('ApplyThread');
    expect(describeTarget(26)).toBe('1a');
  });
});

describe('describe: entries', () => {
  it('formats normal entries with %q by default, or a custom formatter', () => {
    expect(describeEntry(makeEntry({ term: 1, index: 3 }))).toBe('1/3 EntryNormal ""');
    expect(describeEntry(makeEntry({ term: 6, index: 20, data: utf8('prop_6_20') }))).toBe(
      '6/20 EntryNormal "prop_6_20"',
    );
    const upper = (data: Uint8Array) => new TextDecoder().decode(data).toUpperCase();
    expect(describeEntry(makeEntry({ term: 1, index: 1, data: utf8('ab') }), upper)).toBe(
      '1/1 EntryNormal AB',
    );
    expect(describeEntry(makeEntry({ term: 1, index: 1 }), () => '')).toBe('1/1 EntryNormal');
  });

  it('formats conf changes of both versions as their changes', () => {
    const v2 = marshalConfChangeV2({
      transition: ConfChangeTransition.ConfChangeTransitionAuto,
      changes: [
        { type: ConfChangeType.ConfChangeAddNode, nodeId: 2 },
        { type: ConfChangeType.ConfChangeAddLearnerNode, nodeId: 3 },
      ],
      context: null,
    });
    expect(
      describeEntry(makeEntry({ term: 1, index: 4, type: EntryType.EntryConfChangeV2, data: v2 })),
    ).toBe('1/4 EntryConfChangeV2 v2 l3');
    const v1 = marshalConfChange({
      type: ConfChangeType.ConfChangeRemoveNode,
      nodeId: 3,
      context: null,
      id: 0,
    });
    expect(
      describeEntry(makeEntry({ term: 1, index: 5, type: EntryType.EntryConfChange, data: v1 })),
    ).toBe('1/5 EntryConfChange r3');
    const leave = marshalConfChangeV2({
      transition: ConfChangeTransition.ConfChangeTransitionAuto,
      changes: [],
      context: null,
    });
    expect(
      describeEntry(
        makeEntry({ term: 1, index: 6, type: EntryType.EntryConfChangeV2, data: leave }),
      ),
    ).toBe('1/6 EntryConfChangeV2');
  });

  it('prints the decoding error of a corrupt conf change', () => {
    const text = describeEntry(
      makeEntry({
        term: 1,
        index: 4,
        type: EntryType.EntryConfChangeV2,
        data: new Uint8Array([0x0a]),
      }),
    );
    expect(text.startsWith('1/4 EntryConfChangeV2 ')).toBe(true);
    expect(text.length).toBeGreaterThan('1/4 EntryConfChangeV2 '.length);
  });

  it('describes entries one per line', () => {
    expect(
      describeEntries([
        makeEntry({ term: 1, index: 3 }),
        makeEntry({ term: 1, index: 4, data: utf8('x') }),
      ]),
    ).toBe('1/3 EntryNormal ""\n1/4 EntryNormal "x"\n');
    expect(describeEntries([])).toBe('');
  });
});

describe('describe: messages', () => {
  it('formats a single-entry append', () => {
    const m = makeMessage({
      type: MessageType.MsgApp,
      from: 1,
      to: 2,
      term: 1,
      logTerm: 1,
      index: 2,
      commit: 2,
      entries: [makeEntry({ term: 1, index: 3 })],
    });
    expect(describeMessage(m)).toBe(
      '1->2 MsgApp Term:1 Log:1/2 Commit:2 Entries:[1/3 EntryNormal ""]',
    );
  });

  it('formats several entries on their own lines', () => {
    const m = makeMessage({
      type: MessageType.MsgApp,
      from: 1,
      to: 2,
      term: 8,
      logTerm: 6,
      index: 19,
      commit: 18,
      entries: [
        makeEntry({ term: 6, index: 20, data: utf8('prop_6_20') }),
        makeEntry({ term: 8, index: 21 }),
      ],
    });
    expect(describeMessage(m)).toBe(
      '1->2 MsgApp Term:8 Log:6/19 Commit:18 Entries:[\n  6/20 EntryNormal "prop_6_20"\n  8/21 EntryNormal ""\n]',
    );
  });

  it('formats rejections, votes and snapshots', () => {
    const reject = makeMessage({
      type: MessageType.MsgAppResp,
      from: 2,
      to: 1,
      term: 8,
      logTerm: 6,
      index: 20,
      reject: true,
      rejectHint: 19,
    });
    expect(describeMessage(reject)).toBe('2->1 MsgAppResp Term:8 Log:6/20 Rejected (Hint: 19)');
    const vote = makeMessage({
      type: MessageType.MsgVote,
      from: 1,
      to: 3,
      term: 2,
      logTerm: 1,
      index: 10,
      vote: 1,
    });
    expect(describeMessage(vote)).toBe('1->3 MsgVote Term:2 Log:1/10 Vote:1');
    const snap = makeMessage({ type: MessageType.MsgSnap, from: 1, to: 3, term: 1, snapshot });
    expect(describeMessage(snap)).toBe(
      '1->3 MsgSnap Term:1 Log:0/0\n  Snapshot: Index:4 Term:1 ConfState:Voters:[1 2 3] VotersOutgoing:[1] Learners:[] LearnersNext:[] AutoLeave:true',
    );
    const emptySnap = makeMessage({
      type: MessageType.MsgSnap,
      from: 1,
      to: 3,
      term: 1,
      snapshot: emptySnapshot(),
    });
    expect(describeMessage(emptySnap)).toBe('1->3 MsgSnap Term:1 Log:0/0');
  });

  it('formats storage messages with their nested responses', () => {
    const m = makeMessage({
      type: MessageType.MsgStorageAppend,
      from: 1,
      to: localAppendThread,
      term: 1,
      commit: 10,
      vote: 1,
      responses: [
        makeMessage({ type: MessageType.MsgVoteResp, from: 1, to: 1, term: 1 }),
        makeMessage({
          type: MessageType.MsgStorageApply,
          from: 1,
          to: localApplyThread,
          entries: [makeEntry({ term: 1, index: 11 }), makeEntry({ term: 1, index: 12 })],
          responses: [
            makeMessage({ type: MessageType.MsgStorageApplyResp, from: localApplyThread, to: 1 }),
          ],
        }),
      ],
    });
    expect(describeMessage(m)).toBe(
      [
        '1->AppendThread MsgStorageAppend Term:1 Log:0/0 Commit:10 Vote:1 Responses:[',
        '  1->1 MsgVoteResp Term:1 Log:0/0',
        '  1->ApplyThread MsgStorageApply Term:0 Log:0/0 Entries:[',
        '    1/11 EntryNormal ""',
        '    1/12 EntryNormal ""',
        '  ] Responses:[',
        '    ApplyThread->1 MsgStorageApplyResp Term:0 Log:0/0',
        '  ]',
        ']',
      ].join('\n'),
    );
  });
});

describe('describe: Ready', () => {
  it('prints <empty Ready> when there is nothing', () => {
    expect(describeReady(emptyReady())).toBe('<empty Ready>');
  });

  it('prints each non-empty field in etcd order', () => {
    const ready: Ready = {
      softState: { lead: 1, raftState: StateType.StateLeader },
      hardState: { term: 1, vote: 1, commit: 4 },
      readStates: [{ index: 5, requestCtx: utf8('hi') }],
      entries: [makeEntry({ term: 1, index: 5 })],
      snapshot,
      committedEntries: [
        makeEntry({ term: 1, index: 3 }),
        makeEntry({ term: 1, index: 4, data: utf8('x') }),
      ],
      messages: [
        makeMessage({ type: MessageType.MsgHeartbeat, from: 1, to: 2, term: 1, commit: 4 }),
      ],
      mustSync: true,
    };
    expect(describeReady(ready)).toBe(
      [
        'Ready MustSync=true:',
        'Lead:1 State:StateLeader',
        'HardState Term:1 Vote:1 Commit:4',
        'ReadStates [{5 [104 105]}]',
        'Entries:',
        '1/5 EntryNormal ""',
        'Snapshot Index:4 Term:1 ConfState:Voters:[1 2 3] VotersOutgoing:[1] Learners:[] LearnersNext:[] AutoLeave:true',
        'CommittedEntries:',
        '1/3 EntryNormal ""',
        '1/4 EntryNormal "x"',
        'Messages:',
        '1->2 MsgHeartbeat Term:1 Log:0/0 Commit:4',
        '',
      ].join('\n'),
    );
  });

  it('prints MustSync=false and skips empty fields', () => {
    const ready = { ...emptyReady(), hardState: { term: 1, vote: 1, commit: 2 } };
    expect(describeReady(ready)).toBe('Ready MustSync=false:\nHardState Term:1 Vote:1 Commit:2\n');
  });
});
