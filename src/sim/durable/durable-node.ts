// The simulator's side of one durable node: its driver, whether it is up, and the NodeView the
// invariants see, rebuilt from each batch's status and observation (the node itself may live in
// another thread). It also translates the workload's requests into the host's and the host's
// responses into the workload's replies.
import type { BatchObservation, ClientRequest as HostRequest, NodeCommand, RequestResponse } from '../../engines/etcd/batch';
import type { EntryView, NodeRoleName, NodeView } from '../../checker/invariants/node-view';
import type { LogIndex, NodeId, Term } from '../../raft/types';
import type { ClientRequest, NodeReply, ReadMode } from '../process/kv-node';
import type { KvCommand } from '../workload/kv-codec';
import { statusKeysMax } from '../../engines/etcd/node-status';
import type { DurableLease } from './durable-lease';
import type { DriverBatch, DriverResult, NodeDriver, WireMessage } from './node-driver';

/** Commands waiting for a node's next batch (snapshot reports, unreachable peers). */
export const pendingCommandsMax = 16;

const roles: Record<string, NodeRoleName> = {
  StateFollower: 'follower',
  StatePreCandidate: 'pre-candidate',
  StateCandidate: 'candidate',
  StateLeader: 'leader',
};

export class DurableNode {
  up = false;
  pausedUntilMs = 0;
  /** A crash is armed at one of the node's next disk writes and has not fired yet. */
  crashArmed = false;
  /** The node's disk is full (a disk-full window is open). */
  diskFull = false;
  /** Why the node last went down, when it did on its own (a failed boot, ENOSPC, an armed crash). */
  downReason: string | null = null;
  /** Lease reads (`--reads lease`): set by the simulation, null otherwise. */
  lease: DurableLease | null = null;
  /** The applied state from the last status, when it listed every key (lease reads read it). */
  private kv: Map<string, string> | null = null;
  private readonly pending: NodeCommand[] = [];
  /** Requests sent to the host: their kind, to shape the reply. */
  private readonly requestKinds = new Map<number, KvCommand['f']>();
  private readonly view: NodeView & { appended: EntryView[]; appliedEntries: EntryView[] };
  private runs: [LogIndex, Term][] = [];

  constructor(
    readonly id: NodeId,
    readonly driver: NodeDriver<WireMessage>,
  ) {
    this.view = {
      id,
      up: false,
      restarted: false,
      role: 'follower',
      term: 0,
      lead: 0,
      commit: 0,
      applied: 0,
      snapshotIndex: 0,
      lastIndex: 0,
      durable: { term: 0, vote: 0, commit: 0, lastIndex: 0 },
      appended: [],
      appendedPrevTerm: 0,
      appliedEntries: [],
      termAt: (index) => this.termAt(index),
    };
  }

  get role(): NodeRoleName {
    return this.view.role;
  }

  get lead(): NodeId {
    return this.view.lead;
  }

  /** Queues a command for the node's next batch; the oldest is dropped beyond the limit. */
  queueCommand(command: NodeCommand): void {
    if (this.pending.length >= pendingCommandsMax) this.pending.shift();
    this.pending.push(command);
  }

  /** Sends one batch (with any queued commands first) and folds its result into the view. */
  async exchange(fields: Partial<DriverBatch<WireMessage>>): Promise<DriverResult<WireMessage>> {
    const batch: DriverBatch<WireMessage> = {
      commands: [...this.pending.splice(0), ...(fields.commands ?? [])],
      messages: fields.messages ?? [],
      requests: fields.requests ?? [],
      admin: [],
      ticks: fields.ticks ?? 0,
    };
    const result = await this.driver.handleBatch(batch);
    this.absorb(result);
    return result;
  }

  private absorb(result: DriverResult<WireMessage>): void {
    const { status, observation } = result;
    if (observation === undefined) throw new Error(`node ${this.id}: the driver returned no observation`);
    const view = this.view;
    const role = roles[status.role];
    const wasUp = this.up;
    this.up = role !== undefined;
    this.kv = this.up && status.kv.length < statusKeysMax ? new Map(status.kv) : null;
    if (!this.up) {
      this.crashArmed = false;
      this.lease?.forget();
      this.forgetRequests();
      if (wasUp || status.error !== null) this.downReason = status.error ?? status.role;
    } else if (!wasUp) this.downReason = null;
    view.up = this.up;
    view.restarted = observation.restarted && this.up;
    view.appended.push(...observation.appended);
    if (view.appended.length === observation.appended.length) view.appendedPrevTerm = observation.appendedPrevTerm;
    view.appliedEntries.push(...observation.applied);
    this.absorbDurable(result, observation);
    if (!this.up) {
      view.role = 'follower';
      view.lead = 0;
      view.term = view.durable.term;
      view.commit = view.durable.commit;
      return;
    }
    view.role = role;
    view.term = status.term;
    view.lead = status.lead;
    view.commit = status.commit;
    view.applied = status.applied;
    view.snapshotIndex = status.firstIndex - 1;
    view.lastIndex = status.lastIndex;
    this.runs = observation.termRuns;
  }

  /** The durable state: reported whole when up; folded from the persisted records otherwise. */
  private absorbDurable(result: DriverResult<WireMessage>, observation: BatchObservation): void {
    const durable = this.view.durable;
    if (observation.durable !== null) {
      Object.assign(durable, observation.durable);
      return;
    }
    for (const record of result.persisted) {
      if (record.hardState !== null) Object.assign(durable, record.hardState);
      if (record.snapshot !== null) durable.lastIndex = record.snapshot.index;
      if (record.entries !== null) durable.lastIndex = record.entries.last;
    }
  }

  /** The node as the invariants see it after this event (settleView() resets its per-event parts). */
  takeView(): NodeView {
    return this.view;
  }

  /** Forgets the per-event parts of the view once the invariants have seen it. */
  settleView(): void {
    const view = this.view;
    if (view.appended.length > 0) view.appended.length = 0;
    if (view.appliedEntries.length > 0) view.appliedEntries.length = 0;
    view.appendedPrevTerm = 0;
    view.restarted = false;
  }

  /** The node now (a copy the caller may keep). */
  snapshotView(): NodeView {
    const runs = this.runs;
    const lastIndex = this.view.lastIndex;
    return {
      ...this.view,
      durable: { ...this.view.durable },
      appended: [...this.view.appended],
      appliedEntries: [...this.view.appliedEntries],
      termAt: (index) => termInRuns(runs, lastIndex, index),
    };
  }

  termAt(index: LogIndex): Term | undefined {
    return termInRuns(this.runs, this.view.lastIndex, index);
  }

  /**
   * A lease read answered from the node's applied state without asking the host, or null when the
   * lease does not allow it now (`localMs`: the node's own clock).
   */
  leaseRead(request: ClientRequest, localMs: number): NodeReply | null {
    const lease = this.lease;
    const command = request.command;
    if (lease === null || command.f !== 'get' || this.kv === null) return null;
    const view = this.view;
    const leaseView = { leader: view.role === 'leader', term: view.term, commit: view.commit, applied: view.applied, commitTerm: this.termAt(view.commit) };
    if (!lease.held(leaseView, localMs)) return null;
    return { requestId: request.requestId, kind: 'ok', result: { f: 'get', value: this.kv.get(command.key) ?? null } };
  }

  /**
   * The host's request for a workload request; null when a read must go to the leader first. A
   * read sent while leading renews the lease (if any) when it completes: it was issued at `localMs`.
   */
  hostRequest(request: ClientRequest, readMode: ReadMode, localMs = 0): HostRequest | null {
    const command = request.command;
    this.requestKinds.set(request.requestId, command.f);
    const requestId = request.requestId;
    switch (command.f) {
      case 'get':
        if (this.lease !== null && this.view.role === 'leader') this.lease.issued(requestId, localMs, this.view.term);
        if (readMode === 'log') return { kind: 'propose', requestId, command: { op: 'get', key: command.key } };
        // A follower would forward the ReadIndex; like the in-memory nodes, send clients on.
        if (this.view.role !== 'leader') {
          this.requestKinds.delete(requestId);
          return null;
        }
        return { kind: 'read', requestId, key: command.key };
      case 'put':
        return { kind: 'propose', requestId, command: { op: 'put', key: command.key, value: command.value } };
      case 'cas':
        return { kind: 'propose', requestId, command: { op: 'cas', key: command.key, expected: command.from, value: command.to } };
    }
  }

  /**
   * The workload's reply to a host response, or null for none: an outcome the host cannot vouch
   * for (a lost or unknown proposal) is left to the client's timeout, which records it unknown.
   */
  reply(response: RequestResponse): NodeReply | null {
    const { requestId, result } = response;
    const kind = this.requestKinds.get(requestId);
    this.requestKinds.delete(requestId);
    if (kind === undefined) return null;
    if (result.ok) {
      if (kind === 'get' && this.view.role === 'leader') this.lease?.completed(requestId, this.view.term);
      if (kind === 'get') return { requestId, kind: 'ok', result: { f: 'get', value: result.value } };
      if (kind === 'put') return { requestId, kind: 'ok', result: { f: 'put' } };
      return { requestId, kind: 'ok', result: { f: 'cas', swapped: result.swapped } };
    }
    switch (result.code) {
      case 'not-leader':
      case 'proposal-dropped':
      case 'too-many-pending-requests':
        // Nothing was proposed: the client may safely try elsewhere.
        return { requestId, kind: 'redirect', leader: this.view.lead };
      default:
        return null;
    }
  }

  /** Requests the node forgot by going down: they will never be answered. */
  forgetRequests(): void {
    this.requestKinds.clear();
  }
}

/** The term at `index` from term runs [first index, term] covering up to lastIndex. */
export function termInRuns(runs: readonly [LogIndex, Term][], lastIndex: LogIndex, index: LogIndex): Term | undefined {
  if (runs.length === 0 || index < runs[0][0] || index > lastIndex) return undefined;
  let low = 0;
  let high = runs.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (runs[middle][0] <= index) low = middle;
    else high = middle - 1;
  }
  return runs[low][1];
}
