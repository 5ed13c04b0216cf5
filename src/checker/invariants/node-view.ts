// What the live invariants see of a node after each simulated event: plain numbers, the entries
// the event wrote and applied, and a lookup into the persisted log. The simulator builds these;
// the checker knows nothing of how a node is hosted.
import type { LogIndex, NodeId, Term } from '../../raft/types';

export type NodeRoleName = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/** An entry as the invariants compare it: its position and a hash of its type and data. */
export interface EntryView {
  index: LogIndex;
  term: Term;
  dataHash: number;
}

export interface DurableView {
  term: Term;
  vote: NodeId;
  commit: LogIndex;
  lastIndex: LogIndex;
}

export interface NodeView {
  id: NodeId;
  /** False while crashed: only durable state exists then. */
  up: boolean;
  /** True on the first observation after a restart. */
  restarted: boolean;
  role: NodeRoleName;
  term: Term;
  lead: NodeId;
  /** The volatile commit index (raftLog.committed). */
  commit: LogIndex;
  applied: LogIndex;
  /** The persisted log's bounds: entries (snapshotIndex, lastIndex]. */
  snapshotIndex: LogIndex;
  lastIndex: LogIndex;
  durable: DurableView;
  /** Entries written to the persisted log during the event, in order. */
  appended: readonly EntryView[];
  /** The persisted term just before the first appended entry (0 when there is none). */
  appendedPrevTerm: Term;
  /** Entries handed to the state machine during the event, in order. */
  appliedEntries: readonly EntryView[];
  /** The term of the persisted entry at index; undefined when compacted or beyond lastIndex. */
  termAt(index: LogIndex): Term | undefined;
}

/** FNV-1a over an entry's type and bytes: equal entries hash equal; collisions are harmless but rare. */
export function entryDataHash(type: number, data: Uint8Array | null): number {
  let hash = (0x811c9dc5 ^ type) >>> 0;
  hash = Math.imul(hash, 0x01000193) >>> 0;
  if (data === null) return hash;
  for (let i = 0; i < data.length; i++) {
    hash ^= data[i];
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (hash ^ data.length) >>> 0;
}
