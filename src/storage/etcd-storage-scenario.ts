// A scripted run of Ready-like saves, local snapshots and compactions against EtcdStorage, and a
// comparable view of what the engine would recover, shared by the storage and crash tests.
import type { MemoryStorage } from '../raft/log/log-storage';
import {
  emptyHardState,
  emptySnapshot,
  makeEntry,
  type Entry,
  type HardState,
  type Snapshot,
} from '../raft/types';
import type { EtcdStorage, ReadyToSave } from './etcd-storage';

export type ScenarioStep =
  | { kind: 'save'; ready: ReadyToSave }
  | { kind: 'createSnapshot'; index: number; data: Uint8Array }
  | { kind: 'compact'; index: number };

/** What the engine sees after recovery, normalised for comparison. */
export interface StorageView {
  hardState: HardState;
  snapshot: { index: number; term: number; voters: number[]; data: number[] | null };
  /** Entries after the snapshot, as "term/index:data". */
  entries: string[];
}

const entries = (term: number, from: number, to: number): Entry[] => {
  const result: Entry[] = [];
  for (let index = from; index <= to; index++) {
    result.push(makeEntry({ term, index, data: new Uint8Array([term, index, 0xaa]) }));
  }
  return result;
};

const save = (hardState: HardState, newEntries: Entry[], snapshot: Snapshot = emptySnapshot()): ScenarioStep => ({
  kind: 'save',
  ready: { hardState, entries: newEntries, snapshot },
});

const receivedSnapshot: Snapshot = {
  data: new Uint8Array([1, 2, 3, 4]),
  metadata: {
    index: 10,
    term: 3,
    confState: { voters: [1, 2, 3], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false },
  },
};

/** Appends, an overwrite, a snapshot from a leader, a local snapshot, a compaction, more appends. */
export const scenarioSteps: ScenarioStep[] = [
  save({ term: 1, vote: 1, commit: 0 }, entries(1, 1, 3)),
  save({ term: 1, vote: 1, commit: 2 }, entries(1, 4, 5)),
  save({ term: 2, vote: 1, commit: 3 }, entries(2, 4, 6)),
  save({ term: 3, vote: 0, commit: 10 }, [], receivedSnapshot),
  save({ term: 3, vote: 0, commit: 12 }, entries(3, 11, 14)),
  { kind: 'createSnapshot', index: 12, data: new Uint8Array([12, 12]) },
  { kind: 'compact', index: 12 },
  save({ term: 3, vote: 0, commit: 14 }, entries(3, 15, 18)),
  save(emptyHardState(), entries(3, 19, 20)),
  save({ term: 4, vote: 2, commit: 20 }, []),
];

export async function runStep(storage: EtcdStorage, step: ScenarioStep): Promise<void> {
  switch (step.kind) {
    case 'save':
      return storage.save(step.ready);
    case 'createSnapshot':
      await storage.createSnapshot(step.index, null, step.data);
      return;
    case 'compact':
      return storage.compact(step.index);
  }
}

export function viewOf(storage: MemoryStorage): StorageView {
  const snapshot = storage.snapshot();
  const first = storage.firstIndex();
  const last = storage.lastIndex();
  const all = last >= first ? storage.entries(first, last + 1, Number.MAX_SAFE_INTEGER) : [];
  return {
    hardState: storage.initialState().hardState,
    snapshot: {
      index: snapshot.metadata.index,
      term: snapshot.metadata.term,
      voters: snapshot.metadata.confState.voters,
      data: snapshot.data === null ? null : Array.from(snapshot.data),
    },
    entries: all
      .filter((entry) => entry.index > snapshot.metadata.index)
      .map((entry) => `${entry.term}/${entry.index}:${entry.data === null ? 'nil' : Array.from(entry.data).join(',')}`),
  };
}
