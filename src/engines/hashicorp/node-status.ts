// The status a HashiCorp-style host returns with every batch, in the shared NodeStatus shape so the
// scheduler, checkers and UI follow either engine alike. Roles use the shared names
// (Follower -> StateFollower, ...; a shut-down server is 'removed'); voters and learners are the
// latest configuration's Voters and Nonvoters (hashicorp uses a configuration once appended);
// `vote` is LastVoteCand when LastVoteTerm is the current term.
import type { NodeStatus } from '../host-types';
import type { HashicorpNode } from './hashicorp-node';
import { LogType, RaftRole, Suffrage } from './types';

export const statusLogTailMax = 5;
export const statusKeysMax = 64;

const roleNames: Record<RaftRole, NodeStatus['role']> = {
  [RaftRole.Follower]: 'StateFollower',
  [RaftRole.Candidate]: 'StateCandidate',
  [RaftRole.Leader]: 'StateLeader',
  [RaftRole.Shutdown]: 'removed',
};

const typeNames: Record<LogType, string> = {
  [LogType.Command]: 'command',
  [LogType.Noop]: 'noop',
  [LogType.Configuration]: 'config',
};

export function hashicorpNodeStatus(node: HashicorpNode): NodeStatus {
  const raft = node.raft;
  const { latest, latestIndex } = raft.configurations;
  const log = raft.log;
  const last = log.lastIndex();
  const first = log.firstStoredIndex === 0 ? last + 1 : log.firstStoredIndex;
  const tail = log.all().slice(-statusLogTailMax);
  return {
    id: node.id,
    role: roleNames[raft.role],
    error: null,
    term: raft.currentTerm,
    vote: raft.stable.lastVoteTerm === raft.currentTerm ? raft.stable.lastVoteCand : 0,
    commit: raft.commitIndex,
    applied: raft.lastApplied,
    lead: raft.leaderId,
    voters: latest.servers.filter((s) => s.suffrage === Suffrage.Voter).map((s) => s.id).sort((a, b) => a - b),
    learners: latest.servers.filter((s) => s.suffrage !== Suffrage.Voter).map((s) => s.id).sort((a, b) => a - b),
    firstIndex: first,
    lastIndex: last,
    snapshotIndex: log.lastSnapshotIndex,
    logTail: tail.map((entry) => `${entry.index}/${entry.term}/${typeNames[entry.type]}`),
    configIndex: latestIndex,
    peers: latest.servers.map((s) => ({ nodeId: String(s.id), id: String(s.id), address: s.address })),
    kv: node.fsm.entries().slice(0, statusKeysMax),
  };
}
