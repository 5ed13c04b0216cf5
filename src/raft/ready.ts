// The data a RawNode hands back to its host: etcd/raft's Ready and the small types inside it.
// The engine does no I/O; the host persists, sends and applies what a Ready lists, in the order
// each field documents, and then calls advance().
import type { Entry, HardState, LogIndex, Message, NodeId, Snapshot } from './types';

/** A node's role (etcd's StateType). */
export enum StateType {
  StateFollower = 0,
  StateCandidate = 1,
  StateLeader = 2,
  StatePreCandidate = 3,
}

const stateTypeNames = ['StateFollower', 'StateCandidate', 'StateLeader', 'StatePreCandidate'];

/** etcd's StateType.String(): "StateFollower", "StateCandidate", ... */
export function stateTypeString(state: StateType): string {
  const name = stateTypeNames[state];
  if (name === undefined) throw new Error(`stateTypeString: unknown StateType ${state}`);
  return name;
}

/** Volatile state that is useful for logging and display; it is never persisted. */
export interface SoftState {
  /** The current leader, or NONE. */
  lead: NodeId;
  raftState: StateType;
}

export function isSoftStateEqual(a: SoftState, b: SoftState): boolean {
  return a.lead === b.lead && a.raftState === b.raftState;
}

/** The answer to a read-only request: it may be served once the node has applied `index`. */
export interface ReadState {
  index: LogIndex;
  requestCtx: Uint8Array;
}

/**
 * Everything that is ready to be persisted, sent or applied. With synchronous storage writes,
 * the host must write `entries`, `hardState` and `snapshot` to stable storage (durably when
 * `mustSync`) BEFORE sending `messages`, and may apply `committedEntries` once they are stored.
 */
export interface Ready {
  /** The new soft state; null when it has not changed since the last Ready. */
  softState: SoftState | null;
  /** The state to persist before sending messages; empty (all zero) when unchanged. */
  hardState: HardState;
  /** Read-only requests that can now be served once their index is applied. */
  readStates: ReadState[];
  /** Entries to append to stable storage before messages are sent. */
  entries: Entry[];
  /** A snapshot to save to stable storage; empty (index 0) when there is none. */
  snapshot: Snapshot;
  /** Committed entries to apply to the state machine, already stored or allowed to be unstable. */
  committedEntries: Entry[];
  /** Messages to send after the entries and hard state above are persisted. */
  messages: Message[];
  /** Whether the hard state and entries must be written durably (fsync) rather than buffered. */
  mustSync: boolean;
}

/** The outcome of sending a snapshot, reported back through RawNode.reportSnapshot. */
export enum SnapshotStatus {
  SnapshotFinish = 1,
  SnapshotFailure = 2,
}
