// The replication RPC handlers every server runs in the HashiCorp-style engine (hashicorp's
// appendEntries, installSnapshot and timeoutNow), each answering its request with a response:
// - AppendEntries: refused for an older term; a newer term (or any leader's request to a
//   candidate) makes this server a follower; the entry before the new ones must match
//   (prevLogEntry/prevLogTerm); a conflicting suffix is deleted, duplicates skipped, the rest
//   appended; the commit index follows leaderCommit as far as the log goes;
// - InstallSnapshot: the leader's snapshot replaces the state machine, the configuration and
//   the log behind it;
// - TimeoutNow: start an election at once, flagged as a leadership transfer.
// The functions take the core and change its state; raft.ts calls them and owns the state.
import { cloneConfiguration, describeConfiguration } from './configuration';
import { electSelf } from './election';
import type { HashicorpRaft } from './raft';
import {
  RaftRole,
  type AppendEntriesRequest,
  type InstallSnapshotRequest,
  type LogEntry,
  type SnapshotMeta,
  type TimeoutNowRequest,
} from './types';

export function appendEntries(raft: HashicorpRaft, request: AppendEntriesRequest): void {
  const response = {
    type: 'AppendEntriesResponse' as const,
    from: raft.id,
    to: request.from,
    rpcId: request.rpcId,
    term: raft.currentTerm,
    lastLog: raft.log.lastIndex(),
    success: false,
    noRetryBackoff: false,
  };
  const reply = () => raft.out.send({ ...response, term: raft.currentTerm });
  if (request.term < raft.currentTerm || raft.leaderKeepsRole(request.term)) return reply();
  if (request.term > raft.currentTerm || (raft.role !== RaftRole.Follower && !raft.candidateFromLeadershipTransfer)) {
    raft.setState(RaftRole.Follower);
    raft.setCurrentTerm(request.term);
  }
  raft.leaderId = request.leader;
  if (request.prevLogEntry > 0 && !prevLogMatches(raft, request)) {
    response.noRetryBackoff = true;
    return reply();
  }
  if (request.entries.length > 0 && !storeEntries(raft, request.entries)) return reply();
  // The apply-before-commit bug: whatever is in the log goes to the state machine now.
  if (raft.bugs.has('apply-before-commit')) raft.processLogs(raft.log.lastIndex());
  if (request.leaderCommitIndex > 0 && request.leaderCommitIndex > raft.commitIndex) {
    const index = Math.min(request.leaderCommitIndex, raft.log.lastIndex());
    raft.commitIndex = Math.max(raft.commitIndex, index);
    if (raft.configurations.latestIndex <= index) raft.setCommittedConfigurationToLatest();
    raft.processLogs(index);
  }
  response.success = true;
  raft.setLastContact();
  reply();
}

function prevLogMatches(raft: HashicorpRaft, request: AppendEntriesRequest): boolean {
  const last = raft.log.lastEntry();
  if (request.prevLogEntry === last.index) return request.prevLogTerm === last.term;
  const previous = raft.log.get(request.prevLogEntry);
  if (previous !== undefined) {
    if (previous.term !== request.prevLogTerm) raft.logger.warning(`${raft.id}: previous log term mis-match: ours ${previous.term} remote ${request.prevLogTerm}`);
    return previous.term === request.prevLogTerm;
  }
  // Our snapshot covers it: committed entries, which every later leader holds unchanged.
  if (request.prevLogEntry < raft.log.lastSnapshotIndex) return true;
  raft.logger.warning(`${raft.id}: failed to get previous log ${request.prevLogEntry} (last index ${last.index})`);
  return false;
}

/** Deletes a conflicting suffix, skips duplicates, appends the rest; false if an entry is missing. */
function storeEntries(raft: HashicorpRaft, entries: readonly LogEntry[]): boolean {
  const lastLogIndex = raft.log.lastStoredIndex;
  let newEntries: LogEntry[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.index <= raft.log.lastSnapshotIndex && raft.log.get(entry.index) === undefined) continue;
    if (entry.index > lastLogIndex) {
      newEntries = entries.slice(i);
      break;
    }
    const stored = raft.log.get(entry.index);
    if (stored === undefined) {
      raft.logger.warning(`${raft.id}: failed to get log entry ${entry.index}`);
      return false;
    }
    if (stored.term !== entry.term) {
      // The no-truncate-conflict bug: the conflicting entry stays, as if it were the same one.
      if (raft.bugs.has('no-truncate-conflict')) continue;
      raft.logger.warning(`${raft.id}: clearing log suffix from ${entry.index} to ${lastLogIndex}`);
      raft.log.deleteFrom(entry.index);
      raft.out.write({ kind: 'deleteLogsFrom', index: entry.index });
      if (entry.index <= raft.configurations.latestIndex) {
        raft.configurations.latest = raft.configurations.committed;
        raft.configurations.latestIndex = raft.configurations.committedIndex;
      }
      newEntries = entries.slice(i);
      break;
    }
  }
  if (newEntries.length === 0) return true;
  raft.log.append(newEntries);
  raft.out.write({ kind: 'appendLogs', entries: newEntries });
  for (const entry of newEntries) raft.processConfigurationLogEntry(entry);
  return true;
}

export function installSnapshot(raft: HashicorpRaft, request: InstallSnapshotRequest): void {
  const reply = (ok: boolean) =>
    raft.out.send({ type: 'InstallSnapshotResponse', from: raft.id, to: request.from, rpcId: request.rpcId, term: raft.currentTerm, success: ok });
  if (request.term < raft.currentTerm || raft.leaderKeepsRole(request.term)) return reply(false);
  if (request.term > raft.currentTerm) {
    raft.setState(RaftRole.Follower);
    raft.setCurrentTerm(request.term);
  }
  raft.leaderId = request.leader;
  if (request.size !== request.data.length) {
    raft.logger.error(`${raft.id}: failed to receive whole snapshot: ${request.data.length} / ${request.size}`);
    return reply(false);
  }
  const meta: SnapshotMeta = {
    index: request.lastLogIndex,
    term: request.lastLogTerm,
    configuration: cloneConfiguration(request.configuration),
    configurationIndex: request.configurationIndex,
    size: request.size,
  };
  raft.out.write({ kind: 'saveSnapshot', meta, data: request.data });
  raft.out.apply({ kind: 'restore', meta, data: request.data });
  raft.latestSnapshot = { meta, data: request.data };
  raft.lastApplied = meta.index;
  raft.commitIndex = Math.max(raft.commitIndex, meta.index);
  raft.log.lastSnapshotIndex = meta.index;
  raft.log.lastSnapshotTerm = meta.term;
  raft.configurations = {
    committed: cloneConfiguration(meta.configuration),
    committedIndex: meta.configurationIndex,
    latest: cloneConfiguration(meta.configuration),
    latestIndex: meta.configurationIndex,
  };
  discardLogBehindSnapshot(raft, meta);
  raft.logger.info(`${raft.id}: installed remote snapshot ${meta.index}/${meta.term} ${describeConfiguration(meta.configuration)}`);
  raft.setLastContact();
  reply(true);
}

/**
 * Raft's rule for an installed snapshot: keep the entries after it only when the log holds the
 * snapshot's last entry with its term; otherwise the whole log is stale and goes.
 */
function discardLogBehindSnapshot(raft: HashicorpRaft, meta: SnapshotMeta): void {
  const held = raft.log.get(meta.index);
  if (held !== undefined && held.term === meta.term) return raft.compactLogs(meta.index);
  const first = raft.log.firstStoredIndex;
  if (first === 0) {
    raft.log.deleteThrough(meta.index);
    return;
  }
  raft.log.deleteFrom(first);
  raft.log.deleteThrough(meta.index);
  raft.out.write({ kind: 'deleteLogsFrom', index: first });
}

export function timeoutNow(raft: HashicorpRaft, request: TimeoutNowRequest): void {
  raft.leaderId = 0;
  raft.candidateFromLeadershipTransfer = true;
  raft.out.send({ type: 'TimeoutNowResponse', from: raft.id, to: request.from, rpcId: request.rpcId });
  if (raft.role === RaftRole.Candidate) electSelf(raft);
  else raft.setState(RaftRole.Candidate);
}
