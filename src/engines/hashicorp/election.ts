// Elections in the HashiCorp-style engine (hashicorp's runFollower heartbeat timer, runCandidate
// and the requestVote handler):
// - a follower that has not heard from a leader within the randomized HeartbeatTimeout starts
//   an election, unless it has no vote in the latest configuration;
// - a candidate takes a new term, votes for itself, asks every other voter of the latest
//   configuration, wins with a quorum of that configuration, and starts over when the
//   randomized ElectionTimeout passes;
// - a voter grants at most one vote per term, never while it follows a live leader (unless the
//   request comes from a leadership transfer), and only to a candidate whose log is at least as
//   up to date as its own (Raft 5.4.1).
// The functions take the core and change its state; raft.ts calls them and owns the state.
import { hasVote, quorumSize, voterIds } from './configuration';
import type { HashicorpRaft } from './raft';
import { randomTimeoutMs } from './raft-config';
import { RaftRole, type RequestVoteRequest, type RequestVoteResponse, type ServerId } from './types';

export interface Election {
  granted: Set<ServerId>;
  votesNeeded: number;
  /** The rpc ids of this election's requests: older elections' answers are ignored. */
  pending: Set<number>;
  deadlineMs: number;
}

/** Follower state on entry: the heartbeat timer starts over and warnings may show again. */
export function enterFollower(raft: HashicorpRaft): void {
  raft.didWarn = false;
  raft.heartbeatDeadlineMs = raft.nowMs + randomTimeoutMs(raft.random, raft.config.heartbeatTimeoutMs);
}

/** The follower's heartbeat timer: without contact from a leader within the timeout, campaign. */
export function followerTick(raft: HashicorpRaft): void {
  if (raft.nowMs < raft.heartbeatDeadlineMs) return;
  raft.heartbeatDeadlineMs = raft.nowMs + randomTimeoutMs(raft.random, raft.config.heartbeatTimeoutMs);
  if (raft.nowMs - raft.lastContactMs < raft.config.heartbeatTimeoutMs) return;
  raft.leaderId = 0;
  const { latest, latestIndex, committedIndex } = raft.configurations;
  if (latestIndex === 0) return warnOnce(raft, 'no known peers, aborting election');
  if (latestIndex === committedIndex && !hasVote(latest, raft.id)) return warnOnce(raft, 'not part of stable configuration, aborting election');
  if (!hasVote(latest, raft.id)) return warnOnce(raft, 'heartbeat timeout reached, not part of a stable configuration or a non-voter, not triggering a leader election');
  raft.logger.warning(`${raft.id}: heartbeat timeout reached, starting election`);
  raft.setState(RaftRole.Candidate);
}

/** The candidate's election timer: a timed-out election starts over in a new term. */
export function candidateTick(raft: HashicorpRaft): void {
  if (raft.election === null || raft.nowMs < raft.election.deadlineMs) return;
  raft.logger.warning(`${raft.id}: Election timeout reached, restarting election`);
  raft.candidateFromLeadershipTransfer = false;
  electSelf(raft);
}

function warnOnce(raft: HashicorpRaft, text: string): void {
  if (raft.didWarn) return;
  raft.didWarn = true;
  raft.logger.warning(`${raft.id}: ${text}`);
}

/** A new term, a vote for ourselves, RequestVote to every other voter of the latest configuration. */
export function electSelf(raft: HashicorpRaft): void {
  raft.setCurrentTerm(raft.currentTerm + 1);
  const term = raft.currentTerm;
  const last = raft.log.lastEntry();
  const election: Election = {
    granted: new Set(),
    votesNeeded: quorumSize(raft.configurations.latest),
    pending: new Set(),
    deadlineMs: raft.nowMs + randomTimeoutMs(raft.random, raft.config.electionTimeoutMs),
  };
  raft.election = election;
  raft.logger.info(`${raft.id}: entering candidate state at term ${term}, votes needed ${election.votesNeeded}`);
  for (const voter of voterIds(raft.configurations.latest)) {
    if (voter === raft.id) {
      raft.persistVote(term, raft.id);
      election.granted.add(raft.id);
      continue;
    }
    const rpcId = raft.newRpcId();
    election.pending.add(rpcId);
    raft.out.send({
      type: 'RequestVoteRequest',
      from: raft.id,
      to: voter,
      rpcId,
      term,
      candidate: raft.id,
      lastLogIndex: last.index,
      lastLogTerm: last.term,
      leadershipTransfer: raft.candidateFromLeadershipTransfer,
    });
  }
  maybeWinElection(raft);
}

export function voteResponse(raft: HashicorpRaft, response: RequestVoteResponse): void {
  const election = raft.election;
  if (raft.role !== RaftRole.Candidate || election === null || !election.pending.delete(response.rpcId)) return;
  if (response.term > raft.currentTerm) {
    raft.logger.info(`${raft.id}: newer term discovered, fallback to follower`);
    raft.setState(RaftRole.Follower);
    raft.setCurrentTerm(response.term);
    return;
  }
  if (response.granted) election.granted.add(response.from);
  maybeWinElection(raft);
}

function maybeWinElection(raft: HashicorpRaft): void {
  const election = raft.election;
  if (election === null || election.granted.size < election.votesNeeded) return;
  raft.logger.info(`${raft.id}: election won, term ${raft.currentTerm}, tally ${election.granted.size}`);
  raft.setState(RaftRole.Leader);
  raft.leaderId = raft.id;
}

/** The RequestVote handler every server runs. */
export function requestVote(raft: HashicorpRaft, request: RequestVoteRequest): void {
  const reply = (granted: boolean) =>
    raft.out.send({ type: 'RequestVoteResponse', from: raft.id, to: request.from, rpcId: request.rpcId, term: raft.currentTerm, granted });
  const candidate = request.candidate;
  if (raft.configurations.latest.servers.length > 0 && !hasVote(raft.configurations.latest, candidate)) {
    raft.logger.warning(`${raft.id}: rejecting vote request since node is not a voter: from ${candidate}`);
    return reply(false);
  }
  if (raft.leaderId !== 0 && raft.leaderId !== candidate && !request.leadershipTransfer) {
    raft.logger.warning(`${raft.id}: rejecting vote request since we have a leader: from ${candidate}, leader ${raft.leaderId}`);
    return reply(false);
  }
  if (request.term < raft.currentTerm) return reply(false);
  if (request.term > raft.currentTerm) {
    raft.setState(RaftRole.Follower);
    raft.setCurrentTerm(request.term);
  }
  if (raft.stable.lastVoteTerm === request.term && raft.stable.lastVoteCand !== 0) {
    raft.logger.info(`${raft.id}: duplicate requestVote for same term ${request.term}`);
    return reply(raft.stable.lastVoteCand === candidate);
  }
  // The vote-no-uptodate-check bug skips this: any candidate gets the vote, however far behind.
  const behind = raft.bugs.has('vote-no-uptodate-check') ? null : candidateBehind(raft, request);
  if (behind !== null) {
    raft.logger.warning(`${raft.id}: rejecting vote request since our last ${behind}`);
    return reply(false);
  }
  raft.grantVote(request.term, candidate);
  raft.setLastContact();
  reply(true);
}

/** Why the candidate's log is behind ours (Raft 5.4.1), or null when it is at least as up to date. */
function candidateBehind(raft: HashicorpRaft, request: RequestVoteRequest): string | null {
  const last = raft.log.lastEntry();
  if (last.term > request.lastLogTerm) return `term is greater (${last.term} > ${request.lastLogTerm})`;
  if (last.term === request.lastLogTerm && last.index > request.lastLogIndex) return `index is greater (${last.index} > ${request.lastLogIndex})`;
  return null;
}
