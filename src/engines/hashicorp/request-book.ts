// The requests a HashiCorp-style node host waits on, as hashicorp's futures: an Apply future is
// answered when its entry is applied on the leader (ErrLeadershipLost when the leader steps down
// first: the entry may still commit, so the outcome is unknown); a configuration change when its
// entry is applied; a transfer when it finishes. Reads go through the log as a `get` command
// (hashicorp has no ReadIndex; a log read is linearizable), so only the leader serves them.
import type { NodeId } from '../../raft/types';
import { encodeProposalEnvelope } from '../../storage/peers/context-codec';
import { encodeKvCommand, type KvCommand, type KvOutcome } from '../kv-state-machine';
import type { ClientRequest, HostErrorCode, RequestResponse } from '../host-types';
import type { HashicorpAdminRequest } from './batch';
import type { ConfigurationChangeRequest } from './configuration';
import type { HashicorpRaft } from './raft';
import type { RaftEvent } from './raft-output';

type Waiting = { kind: 'apply' } | { kind: 'configuration' };

export class HashicorpRequestBook {
  private readonly responses: RequestResponse[] = [];
  private readonly requestIds = new Set<number>();
  /** Requests waiting for the entry at an index to be applied. */
  private readonly byIndex = new Map<number, { requestId: number; waiting: Waiting }>();

  constructor(
    private readonly raft: HashicorpRaft,
    private readonly pendingRequestsMax: number,
    private readonly nowMs: () => number,
  ) {}

  client(request: ClientRequest): void {
    const command: KvCommand = request.kind === 'read' ? { op: 'get', key: request.key } : request.command;
    if (!this.admit(request.requestId)) return;
    const data = encodeProposalEnvelope(BigInt(request.requestId), encodeKvCommand(command));
    const result = this.raft.apply(data, this.nowMs());
    if (!result.ok) {
      const code: HostErrorCode = result.error === 'ErrNotLeader' ? 'not-leader' : 'proposal-dropped';
      return this.fail(request.requestId, code, this.describeApplyError(result.error));
    }
    this.wait(result.value.index, request.requestId, { kind: 'apply' });
  }

  admin(request: HashicorpAdminRequest): void {
    if (!this.admit(request.requestId)) return;
    if (request.kind === 'transferLeadership') {
      const refused = this.raft.transferLeadership(request.nodeId === 0 ? null : request.nodeId, request.requestId, this.nowMs());
      if (refused !== null) this.fail(request.requestId, this.raft.leader === null ? 'not-leader' : 'proposal-dropped', refused);
      return;
    }
    const change = configurationChange(request);
    const refused = this.raft.requestConfigurationChange(change, request.requestId, this.nowMs());
    if (refused === null) return;
    if (this.raft.leader === null) return this.fail(request.requestId, 'not-leader', this.describeApplyError('ErrNotLeader'));
    this.fail(request.requestId, 'too-many-pending-configs', refused);
  }

  event(event: RaftEvent): void {
    switch (event.kind) {
      case 'configurationAppended':
        return this.wait(event.index, event.tag, { kind: 'configuration' });
      case 'configurationRefused': {
        const code: HostErrorCode = event.error.startsWith('Configuration changed since') ? 'prev-index-mismatch' : event.error === 'node is not the leader' ? 'not-leader' : 'proposal-dropped';
        return this.fail(event.tag, code, event.error);
      }
      case 'transferFinished':
        if (event.error === null) return this.succeed(event.tag, { ok: true, value: null }, 0);
        return this.fail(event.tag, 'proposal-dropped', event.error);
      case 'leadershipLost':
        for (const [index, { requestId }] of [...this.byIndex]) {
          this.byIndex.delete(index);
          this.fail(requestId, 'outcome-unknown', 'leadership lost while committing log');
        }
        return;
      case 'shutdown':
        return;
    }
  }

  /** The entry at `index` was applied; `requestId` is its envelope's (null: none) and `outcome` the command's. */
  applied(index: number, requestId: number | null, outcome: KvOutcome | null): void {
    const waiting = this.byIndex.get(index);
    if (waiting === undefined) return;
    this.byIndex.delete(index);
    if (waiting.waiting.kind === 'configuration') return this.succeed(waiting.requestId, { ok: true, value: null }, index);
    if (waiting.requestId === requestId && outcome !== null) return this.succeed(waiting.requestId, outcome, index);
    this.fail(waiting.requestId, 'proposal-lost', `another entry was committed at index ${index}`);
  }

  /** A snapshot replaced the state up to `index`: what waited there may or may not have applied. */
  restored(index: number): void {
    for (const [at, { requestId }] of [...this.byIndex]) {
      if (at > index) continue;
      this.byIndex.delete(at);
      this.fail(requestId, 'outcome-unknown', `a snapshot at index ${index} replaced the log past index ${at}`);
    }
  }

  takeResponses(): RequestResponse[] {
    return this.responses.splice(0, this.responses.length);
  }

  private describeApplyError(error: string): string {
    if (error === 'ErrNotLeader') return `node is not the leader (leader is ${this.raft.leaderId === 0 ? 'unknown' : this.raft.leaderId})`;
    if (error === 'ErrLeadershipTransferInProgress') return 'leadership transfer in progress';
    return `too many entries in flight (${this.raft.config.inflightEntriesMax})`;
  }

  private admit(requestId: number): boolean {
    if (this.requestIds.has(requestId)) {
      this.responses.push({ requestId, result: { ok: false, code: 'duplicate-request', message: `request ${requestId} is already pending` } });
      return false;
    }
    if (this.requestIds.size >= this.pendingRequestsMax) {
      const message = `${this.pendingRequestsMax} requests pending (pendingRequestsMax)`;
      this.responses.push({ requestId, result: { ok: false, code: 'too-many-pending-requests', message } });
      return false;
    }
    this.requestIds.add(requestId);
    return true;
  }

  private wait(index: number, requestId: number, waiting: Waiting): void {
    // An older request at the same index lost its entry when this node lost leadership.
    const replaced = this.byIndex.get(index);
    if (replaced !== undefined) this.fail(replaced.requestId, 'proposal-lost', `the entry at index ${index} was replaced`);
    this.byIndex.set(index, { requestId, waiting });
  }

  private succeed(requestId: number, outcome: KvOutcome, index: number): void {
    this.requestIds.delete(requestId);
    this.responses.push({ requestId, result: { ok: true, value: outcome.value, swapped: outcome.ok, index } });
  }

  private fail(requestId: number, code: HostErrorCode, message: string): void {
    this.requestIds.delete(requestId);
    this.responses.push({ requestId, result: { ok: false, code, message } });
  }
}

function configurationChange(request: Exclude<HashicorpAdminRequest, { kind: 'transferLeadership' }>): ConfigurationChangeRequest {
  const address = 'address' in request ? request.address : '';
  const command = {
    addVoter: 'AddVoter',
    addNonvoter: 'AddNonvoter',
    addLearner: 'AddNonvoter',
    demoteVoter: 'DemoteVoter',
    removeServer: 'RemoveServer',
  } as const;
  return { command: command[request.kind], serverId: request.nodeId as NodeId, serverAddress: address, prevIndex: request.prevIndex };
}
