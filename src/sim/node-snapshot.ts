// Plain data describing a node at one instant: what the UI draws and what tests compare.
// Nothing here refers back to the engine, so a snapshot can be cloned, posted or serialised.
import { StateType } from '../raft/ready';
import { noLimit } from '../raft/config';
import { EntryType, type Entry, type LogIndex, type NodeId, type Term } from '../raft/types';
import type { NodeHost } from './node-host';

export type NodeRole = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

export interface LogEntrySnapshot {
  index: LogIndex;
  term: Term;
  type: 'normal' | 'conf-change' | 'conf-change-v2';
  /** The payload as text: printable ASCII as is, other bytes as \xNN. */
  dataText: string;
}

export interface NodeSnapshot {
  id: NodeId;
  role: NodeRole;
  term: Term;
  vote: NodeId;
  commit: LogIndex;
  applied: LogIndex;
  lead: NodeId;
  /** The index the persisted log starts after (its snapshot's index). */
  snapshotIndex: LogIndex;
  lastIndex: LogIndex;
  /** The persisted log's last entries, oldest first, at most the requested number. */
  log: LogEntrySnapshot[];
}

export function roleOf(state: StateType): NodeRole {
  switch (state) {
    case StateType.StateFollower:
      return 'follower';
    case StateType.StatePreCandidate:
      return 'pre-candidate';
    case StateType.StateCandidate:
      return 'candidate';
    case StateType.StateLeader:
      return 'leader';
    default:
      throw new Error(`unknown raft state ${String(state)}`);
  }
}

export function snapshotNode(host: NodeHost, logEntriesMax: number): NodeSnapshot {
  const raft = host.rawNode.raft;
  const firstIndex = host.storage.firstIndex();
  const lastIndex = host.storage.lastIndex();
  const from = Math.max(firstIndex, lastIndex + 1 - logEntriesMax);
  const entries = from <= lastIndex ? host.storage.entries(from, lastIndex + 1, noLimit) : [];
  return {
    id: host.id,
    role: roleOf(raft.state),
    term: raft.term,
    vote: raft.vote,
    commit: raft.raftLog.committed,
    applied: host.appliedIndex,
    lead: raft.lead,
    snapshotIndex: firstIndex - 1,
    lastIndex,
    log: entries.map(snapshotEntry),
  };
}

function snapshotEntry(entry: Entry): LogEntrySnapshot {
  return {
    index: entry.index,
    term: entry.term,
    type: entryTypeName(entry.type),
    dataText: dataText(entry.data),
  };
}

function entryTypeName(type: EntryType): LogEntrySnapshot['type'] {
  switch (type) {
    case EntryType.EntryNormal:
      return 'normal';
    case EntryType.EntryConfChange:
      return 'conf-change';
    case EntryType.EntryConfChangeV2:
      return 'conf-change-v2';
  }
}

/** Bytes as text without TextDecoder (src/sim compiles without DOM or Node types). */
export function dataText(data: Uint8Array | null): string {
  if (data === null) return '';
  let text = '';
  for (const byte of data) {
    const printable = byte >= 0x20 && byte < 0x7f && byte !== 0x5c;
    text += printable ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return text;
}

/** Text as bytes: the UTF-16 code units of ASCII text; anything else is refused. */
export function textData(text: string): Uint8Array {
  const data = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80)
      throw new Error(`textData: only ASCII is supported, got ${JSON.stringify(text)}`);
    data[i] = code;
  }
  return data;
}
