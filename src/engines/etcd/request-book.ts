// The requests an etcd node host is waiting on: client proposals (by the log index they were
// appended at), ReadIndex reads (by request id), and configuration changes (a local queue, one
// proposed at a time, at most pendingConfChangesMax waiting, as elastickv caps them).
//
// A proposal is answered when its index is applied: with the command's outcome when the entry
// there is the proposal, 'proposal-lost' when a new leader put another entry there, and
// 'outcome-unknown' when a snapshot jumped over it.
import { errProposalDropped } from '../../raft/errors';
import type { RawNode } from '../../raft/rawnode';
import { StateType } from '../../raft/ready';
import { ConfChangeTransition, ConfChangeType, type ConfChangeV2, type LogIndex } from '../../raft/types';
import { encodeConfChangeContext, encodeProposalEnvelope, encodeReadContext, errConfChangeContextTooLarge } from '../../storage/peers/context-codec';
import { encodeKvCommand, type KvOutcome } from '../kv-state-machine';
import type { AdminRequest, ClientRequest, HostErrorCode, RequestResponse } from './batch';
import type { PeerTable } from './peer-table';
import type { EtcdHostSettings } from './settings';

interface PendingRead {
  key: string;
  /** The read index once the ReadState arrived, else null. */
  index: LogIndex | null;
}

interface QueuedConfChange {
  requestId: number;
  cc: ConfChangeV2;
}

export const errTooManyPendingConfigs = 'etcd raft: too many pending configuration changes';

export class RequestBook {
  readonly responses: RequestResponse[] = [];
  private readonly requestIds = new Set<number>();
  private readonly proposalsByIndex = new Map<LogIndex, number>();
  private readonly reads = new Map<number, PendingRead>();
  private confQueue: QueuedConfChange[] = [];
  private confInFlight: { requestId: number; index: LogIndex } | null = null;

  constructor(
    private readonly rawNode: RawNode,
    private readonly settings: EtcdHostSettings,
  ) {}

  private get isLeader(): boolean {
    return this.rawNode.raft.state === StateType.StateLeader;
  }

  client(request: ClientRequest): void {
    const refusal = this.admit(request.requestId, request.kind === 'propose');
    if (refusal !== null) return this.refuse(request.requestId, refusal.code, refusal.message);
    if (request.kind === 'read') {
      this.requestIds.add(request.requestId);
      this.reads.set(request.requestId, { key: request.key, index: null });
      this.rawNode.readIndex(encodeReadContext(BigInt(request.requestId)));
      return;
    }
    const data = encodeProposalEnvelope(BigInt(request.requestId), encodeKvCommand(request.command));
    try {
      this.rawNode.propose(data);
    } catch (error) {
      if (error !== errProposalDropped) throw error;
      return this.refuse(request.requestId, 'proposal-dropped', errProposalDropped.message);
    }
    const index = this.rawNode.raft.raftLog.lastIndex();
    // An older proposal at the same index was truncated away when this node lost leadership.
    const replaced = this.proposalsByIndex.get(index);
    if (replaced !== undefined) this.fail(replaced, 'proposal-lost', `the entry at index ${index} was replaced`);
    this.requestIds.add(request.requestId);
    this.proposalsByIndex.set(index, request.requestId);
  }

  admin(request: AdminRequest, peers: PeerTable): void {
    const refusal = this.admit(request.requestId, true);
    if (refusal !== null) return this.refuse(request.requestId, refusal.code, refusal.message);
    if (request.kind === 'transferLeadership') {
      this.rawNode.transferLeader(request.nodeId);
      this.responses.push({ requestId: request.requestId, result: { ok: true, value: null, swapped: false, index: 0 } });
      return;
    }
    const configIndex = Number(peers.index);
    if (request.prevIndex !== 0 && request.prevIndex !== configIndex) {
      const message = `etcd raft: configuration index mismatch: prevIndex ${request.prevIndex}, current ${configIndex}`;
      return this.refuse(request.requestId, 'prev-index-mismatch', message);
    }
    if (this.confQueue.length + (this.confInFlight === null ? 0 : 1) >= this.settings.pendingConfChangesMax) {
      return this.refuse(request.requestId, 'too-many-pending-configs', errTooManyPendingConfigs);
    }
    const type = {
      addVoter: ConfChangeType.ConfChangeAddNode,
      addLearner: ConfChangeType.ConfChangeAddLearnerNode,
      removeServer: ConfChangeType.ConfChangeRemoveNode,
    }[request.kind];
    const address = request.kind === 'removeServer' ? (peers.get(request.nodeId)?.address ?? '') : request.address;
    let context: Uint8Array;
    try {
      const peer = { nodeId: BigInt(request.nodeId), id: String(request.nodeId), address };
      context = encodeConfChangeContext(BigInt(request.requestId), peer);
    } catch (error) {
      if (error !== errConfChangeContextTooLarge) throw error;
      return this.refuse(request.requestId, 'conf-change-context-too-large', errConfChangeContextTooLarge.message);
    }
    const cc: ConfChangeV2 = {
      transition: ConfChangeTransition.ConfChangeTransitionAuto,
      changes: [{ type, nodeId: request.nodeId }],
      context,
    };
    this.requestIds.add(request.requestId);
    this.confQueue.push({ requestId: request.requestId, cc });
  }

  /** Proposes the next queued conf change once Raft has applied the previous one. */
  maybeProposeConfChange(): void {
    if (this.confQueue.length === 0 || this.confInFlight !== null) return;
    if (!this.isLeader) return this.failQueuedConfChanges();
    const raft = this.rawNode.raft;
    if (raft.pendingConfIndex > raft.raftLog.applied || raft.trk.config.voters.outgoing.size > 0) return;
    const next = this.confQueue.shift()!;
    try {
      this.rawNode.proposeConfChange(next.cc);
    } catch (error) {
      if (error !== errProposalDropped) throw error;
      return this.fail(next.requestId, 'proposal-dropped', errProposalDropped.message);
    }
    this.confInFlight = { requestId: next.requestId, index: raft.raftLog.lastIndex() };
  }

  /** Leadership was lost: conf changes not yet proposed will not be. */
  failQueuedConfChanges(): void {
    for (const queued of this.confQueue) {
      this.fail(queued.requestId, 'leadership-lost', 'etcd raft: leadership lost before the change was proposed');
    }
    this.confQueue = [];
  }

  /** A normal entry at `index` was applied; `requestId` is its envelope's id (null: none). */
  appliedEntry(index: LogIndex, requestId: number | null, outcome: KvOutcome | null): void {
    const waiting = this.proposalsByIndex.get(index);
    if (waiting === undefined) return;
    this.proposalsByIndex.delete(index);
    if (waiting === requestId && outcome !== null) return this.succeed(waiting, outcome, index);
    this.fail(waiting, 'proposal-lost', `another entry was committed at index ${index}`);
  }

  /** A conf change entry at `index` was applied; `requestId` comes from its context. */
  appliedConfChange(index: LogIndex, requestId: number | null): void {
    this.appliedEntry(index, null, null);
    const inFlight = this.confInFlight;
    if (inFlight === null || inFlight.index !== index) return;
    this.confInFlight = null;
    if (inFlight.requestId === requestId) return this.succeed(requestId, { ok: true, value: null }, index);
    this.fail(inFlight.requestId, 'proposal-lost', `another entry was committed at index ${index}`);
  }

  /** A snapshot replaced the log up to `index`: what was waiting there may or may not have applied. */
  snapshotApplied(index: LogIndex): void {
    for (const [at, requestId] of [...this.proposalsByIndex]) {
      if (at > index) continue;
      this.proposalsByIndex.delete(at);
      this.fail(requestId, 'outcome-unknown', `a snapshot at index ${index} replaced the log past index ${at}`);
    }
    const inFlight = this.confInFlight;
    if (inFlight !== null && inFlight.index <= index) {
      this.confInFlight = null;
      this.fail(inFlight.requestId, 'outcome-unknown', `a snapshot at index ${index} replaced the change's index`);
    }
  }

  readState(requestId: number, index: LogIndex): void {
    const read = this.reads.get(requestId);
    if (read !== undefined && read.index === null) read.index = index;
  }

  /** Answers every read whose read index has been applied. */
  answerReads(applied: LogIndex, get: (key: string) => string | null): void {
    for (const [requestId, read] of [...this.reads]) {
      if (read.index === null || read.index > applied) continue;
      this.reads.delete(requestId);
      this.succeed(requestId, { ok: true, value: get(read.key) }, read.index);
    }
  }

  takeResponses(): RequestResponse[] {
    return this.responses.splice(0, this.responses.length);
  }

  private admit(requestId: number, leaderOnly: boolean): { code: HostErrorCode; message: string } | null {
    if (this.requestIds.has(requestId)) return { code: 'duplicate-request', message: `request ${requestId} is already pending` };
    if (this.requestIds.size >= this.settings.pendingRequestsMax) {
      return { code: 'too-many-pending-requests', message: `${this.settings.pendingRequestsMax} requests pending (pendingRequestsMax)` };
    }
    if (!leaderOnly || this.isLeader) return null;
    const lead = this.rawNode.raft.lead;
    return { code: 'not-leader', message: `etcd raft: not the leader (leader is ${lead === 0 ? 'unknown' : lead})` };
  }

  private succeed(requestId: number, outcome: KvOutcome, index: LogIndex): void {
    this.requestIds.delete(requestId);
    this.responses.push({ requestId, result: { ok: true, value: outcome.value, swapped: outcome.ok, index } });
  }

  private fail(requestId: number, code: HostErrorCode, message: string): void {
    this.requestIds.delete(requestId);
    this.refuse(requestId, code, message);
  }

  /** Answers a request that was never admitted (the id stays with whoever holds it). */
  private refuse(requestId: number, code: HostErrorCode, message: string): void {
    this.responses.push({ requestId, result: { ok: false, code, message } });
  }
}
