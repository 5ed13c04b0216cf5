// The storage each interaction node runs on: a MemoryStorage whose snapshot() returns the node's
// most recent applied state (the last entry of its history) rather than MemoryStorage's own
// snapshot, as etcd's rafttest snapOverrideStorage does. A leader that must send a snapshot thus
// sends everything it has applied.
import type { EntryEncodingSize } from '../encoding/sizes';
import type { InitialState, Storage } from '../log/log-storage';
import { MemoryStorage } from '../log/log-storage';
import type { Entry, HardState, LogIndex, Snapshot } from '../types';

/** The engine's Storage plus the writes the harness performs while handling Ready. */
export interface InteractionStorage extends Storage {
  setHardState(state: HardState): void;
  applySnapshot(snapshot: Snapshot): void;
  compact(newFirstIndex: LogIndex): void;
  append(entries: readonly Entry[]): void;
}

export class SnapOverrideStorage implements InteractionStorage {
  readonly memory = new MemoryStorage();

  constructor(private readonly snapshotOverride: () => Snapshot) {}

  initialState(): InitialState {
    return this.memory.initialState();
  }

  entries(lo: LogIndex, hi: LogIndex, maxSize: EntryEncodingSize): Entry[] {
    return this.memory.entries(lo, hi, maxSize);
  }

  term(index: LogIndex): number {
    return this.memory.term(index);
  }

  lastIndex(): LogIndex {
    return this.memory.lastIndex();
  }

  firstIndex(): LogIndex {
    return this.memory.firstIndex();
  }

  snapshot(): Snapshot {
    return this.snapshotOverride();
  }

  setHardState(state: HardState): void {
    this.memory.setHardState(state);
  }

  applySnapshot(snapshot: Snapshot): void {
    this.memory.applySnapshot(snapshot);
  }

  compact(newFirstIndex: LogIndex): void {
    this.memory.compact(newFirstIndex);
  }

  append(entries: readonly Entry[]): void {
    this.memory.append(entries);
  }
}
