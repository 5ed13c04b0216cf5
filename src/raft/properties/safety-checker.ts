// The Raft safety properties (Raft paper Figure 3), checked over a cluster after every step:
// Election Safety, Log Matching, Leader Completeness and State Machine Safety, plus the engine's
// own promises: applied never passes committed, and the commit index never decreases except
// across a crash, where it falls back to what was persisted.
import { StateType } from '../ready';
import type { Entry, LogIndex, NodeId, Term } from '../types';
import type { RawNode } from '../rawnode';

/** An entry as the checker compares it: same index, term, type and payload. */
export interface EntryRecord {
  index: LogIndex;
  term: Term;
  /** The entry type and payload bytes, as one string. */
  content: string;
}

/** What the checker reads from a node of the cluster. */
export interface CheckedNode {
  id: NodeId;
  rawNode: RawNode;
  /** The entries the host applied to its state machine, index 1 first. */
  applied: readonly EntryRecord[];
}

export class SafetyViolation extends Error {
  override name = 'SafetyViolation';
}

/** Entry terms are far below this; it makes (index, term) one number. */
const termsMax = 1 << 20;

const contentCache = new WeakMap<Uint8Array, string>();

export function entryContent(entry: Entry): string {
  if (entry.data === null) return `${entry.type}:`;
  let text = contentCache.get(entry.data);
  if (text === undefined) {
    text = `${entry.type}:${String.fromCharCode(...entry.data)}`;
    contentCache.set(entry.data, text);
  }
  return text;
}

export function entryRecord(entry: Entry): EntryRecord {
  return { index: entry.index, term: entry.term, content: entryContent(entry) };
}

interface CommittedRecord extends EntryRecord {
  /** The term of the node that first saw it committed: the entry was committed in this term or before. */
  observedTerm: Term;
}

export class SafetyChecker {
  private readonly leaderByTerm = new Map<Term, NodeId>();
  /** Every (index, term) ever seen in a log, with the term before it and its content. */
  private readonly entriesSeen = new Map<number, { previousTerm: Term; content: string }>();
  /** The single global sequence of committed entries; committed[i] has index i. */
  private readonly committed: CommittedRecord[] = [];
  private readonly lastCommit = new Map<NodeId, LogIndex>();
  private readonly appliedChecked = new Map<NodeId, number>();
  /** Each read asked for, by context, with the highest committed index at that moment. */
  private readonly readsPending = new Map<string, LogIndex>();

  /** Checks every property; throws SafetyViolation naming the first one broken. */
  check(nodes: Iterable<CheckedNode>): void {
    const all = [...nodes];
    for (const node of all) {
      this.checkElectionSafety(node);
      this.checkCommitAndApplied(node);
      this.checkLog(node);
    }
    for (const node of all) {
      this.checkLeaderCompleteness(node);
      this.checkAppliedSequence(node);
    }
  }

  /**
   * A node restarted from persisted state: its commit index may fall back, but only to the
   * persisted one, and its state machine was rebuilt (its applied sequence is checked again).
   */
  restarted(node: CheckedNode, commits: { beforeCrash: LogIndex; persisted: LogIndex }): void {
    const after = node.rawNode.raft.raftLog.committed;
    if (commits.persisted > commits.beforeCrash) {
      this.fail(
        `node ${node.id} persisted commit ${commits.persisted} beyond its commit ${commits.beforeCrash} before the crash`,
      );
    }
    if (after !== commits.persisted) {
      this.fail(
        `node ${node.id} restarted with commit ${after}, but ${commits.persisted} was persisted`,
      );
    }
    this.lastCommit.set(node.id, after);
    this.appliedChecked.set(node.id, 0);
  }

  /** The host replaced a node's state machine (a snapshot); check its applied sequence again. */
  stateMachineReplaced(id: NodeId): void {
    this.appliedChecked.set(id, 0);
  }

  /**
   * A read was requested: under ReadOnlySafe its answer must reflect every entry committed by now
   * (thesis 6.4), so its read index may not be below the highest index known committed.
   */
  readRequested(context: string): void {
    this.readsPending.set(context, this.committedCount());
  }

  /** `committedNow` is the highest commit index among the nodes as the answer is handed out. */
  readAnswered(id: NodeId, context: string, index: LogIndex, committedNow: LogIndex): void {
    const committedAtRequest = this.readsPending.get(context);
    if (committedAtRequest === undefined)
      this.fail(`node ${id} answered read ${context}, never asked`);
    if (index < committedAtRequest) {
      this.fail(
        `ReadIndex: node ${id} answered read ${context} at index ${index}, but ${committedAtRequest} ` +
          'was committed when it was asked (a stale read)',
      );
    }
    if (index > Math.max(committedNow, this.committedCount())) {
      this.fail(
        `ReadIndex: node ${id} answered read ${context} at index ${index}, which is not committed`,
      );
    }
  }

  /** How many committed entries are known, for reporting. */
  committedCount(): number {
    return Math.max(0, this.committed.length - 1);
  }

  private fail(text: string): never {
    throw new SafetyViolation(text);
  }

  private checkElectionSafety(node: CheckedNode): void {
    const r = node.rawNode.raft;
    if (r.state !== StateType.StateLeader) return;
    const leader = this.leaderByTerm.get(r.term);
    if (leader !== undefined && leader !== node.id) {
      this.fail(
        `Election Safety: nodes ${leader} and ${node.id} are both leaders of term ${r.term}`,
      );
    }
    this.leaderByTerm.set(r.term, node.id);
  }

  private checkCommitAndApplied(node: CheckedNode): void {
    const log = node.rawNode.raft.raftLog;
    const before = this.lastCommit.get(node.id) ?? 0;
    if (log.committed < before) {
      this.fail(`node ${node.id}: commit index went back from ${before} to ${log.committed}`);
    }
    this.lastCommit.set(node.id, log.committed);
    if (log.committed > log.lastIndex()) {
      this.fail(`node ${node.id}: committed ${log.committed} beyond last index ${log.lastIndex()}`);
    }
    if (log.applied > log.committed) {
      this.fail(`node ${node.id}: applied ${log.applied} passes committed ${log.committed}`);
    }
    if (node.applied.length > log.committed) {
      this.fail(
        `node ${node.id}: the host applied ${node.applied.length} entries, committed is ${log.committed}`,
      );
    }
  }

  /** Log Matching, and committed entries never change. */
  private checkLog(node: CheckedNode): void {
    const r = node.rawNode.raft;
    const log = r.raftLog;
    const first = log.firstIndex();
    let previousTerm = log.term(first - 1);
    for (const entry of log.allEntries()) {
      if (entry.term >= termsMax) this.fail(`term ${entry.term} is out of the checker's range`);
      const key = entry.index * termsMax + entry.term;
      const content = entryContent(entry);
      const seen = this.entriesSeen.get(key);
      if (seen === undefined) {
        this.entriesSeen.set(key, { previousTerm, content });
      } else if (seen.previousTerm !== previousTerm || seen.content !== content) {
        this.fail(
          `Log Matching: node ${node.id} has entry ${entry.index}/${entry.term} after term ${previousTerm} ` +
            `with content ${JSON.stringify(content)}; seen before after term ${seen.previousTerm} ` +
            `with content ${JSON.stringify(seen.content)}`,
        );
      }
      if (entry.index <= log.committed) this.recordCommitted(node.id, entryRecord(entry), r.term);
      previousTerm = entry.term;
    }
  }

  private recordCommitted(id: NodeId, record: EntryRecord, observedTerm: Term): void {
    const known = this.committed[record.index];
    if (known === undefined) {
      this.committed[record.index] = { ...record, observedTerm };
      return;
    }
    if (known.term !== record.term || known.content !== record.content) {
      this.fail(
        `State Machine Safety: node ${id} has committed entry ${record.index}/${record.term} ` +
          `${JSON.stringify(record.content)}, but ${record.index}/${known.term} ` +
          `${JSON.stringify(known.content)} was committed`,
      );
    }
  }

  /** Every entry committed in a term before a leader's term is in that leader's log. */
  private checkLeaderCompleteness(node: CheckedNode): void {
    const r = node.rawNode.raft;
    if (r.state !== StateType.StateLeader) return;
    const log = r.raftLog;
    const compacted = log.firstIndex() - 1;
    for (let index = compacted; index < this.committed.length; index++) {
      const known = this.committed[index];
      if (known === undefined || known.observedTerm >= r.term) continue;
      const term = index <= log.lastIndex() ? log.term(index) : null;
      if (term !== known.term) {
        this.fail(
          `Leader Completeness: leader ${node.id} of term ${r.term} lacks entry ${index}/${known.term}, ` +
            `committed by term ${known.observedTerm} (it has term ${String(term)} there)`,
        );
      }
    }
  }

  /** The applied sequence of every node is a prefix of the one committed sequence. */
  private checkAppliedSequence(node: CheckedNode): void {
    const from = this.appliedChecked.get(node.id) ?? 0;
    for (let k = from; k < node.applied.length; k++) {
      const record = node.applied[k];
      if (record.index !== k + 1) {
        this.fail(`node ${node.id} applied entry ${record.index} at position ${k + 1}`);
      }
      this.recordCommitted(node.id, record, Number.MAX_SAFE_INTEGER);
    }
    this.appliedChecked.set(node.id, node.applied.length);
  }
}
