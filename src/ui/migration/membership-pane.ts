// One engine's cluster in the membership side by side: the real node hosts on memory disks in
// lockstep rounds of one tick (messages sent in a round arrive in the next unless a link is cut),
// a script's actions applied between rounds, and what the view compares: each node's role and
// place in the configuration, the configuration changes as the leader sees them, the answers to
// the change requests, and every catch-up of a node that restarted or was added (the index it
// had to reach, how long it took, and whether the leader had to send a snapshot).
import type { ClientRequest, EngineBatchResult, NodeCommand, NodeStatus, RequestResult, RoutedMessage } from '../../engines/host-types';
import type { NodeId } from '../../raft/types';
import type { ConfigurationView, MembershipChange, MembershipEngine, MembershipHost } from './membership-engines';
import type { ConfigurationState } from './role-strip-layout';
import type { LeaderChange, PaneFrame, PaneNode } from './side-by-side';

/**
 * A node a script names: an id, or a node picked in each pane when the action runs: its leader,
 * a follower (the highest running voter that does not lead), a node that is down, a learner.
 */
export type NodeTarget = NodeId | 'leader' | 'follower' | 'down' | 'learner';
export const nodeTargetNames = ['leader', 'follower', 'down', 'learner'] as const;

export type ScriptAction =
  | { kind: 'addVoter' | 'addLearner' | 'promote' | 'demote' | 'remove'; node: NodeTarget }
  | { kind: 'replace'; node: NodeId; removed: NodeTarget }
  | { kind: 'crash' | 'restart' | 'isolate'; node: NodeTarget }
  | { kind: 'heal' }
  /** Client writes to the leader every `everyMs` (0: none). */
  | { kind: 'writes'; everyMs: number };

export interface CatchUp {
  node: NodeId;
  reason: 'restarted' | 'added';
  startMs: number;
  /** The leader's commit index when the catch-up began: caught up once applied reaches it. */
  targetIndex: number;
  doneMs: number | null;
  /** Snapshots the leader sent the node meanwhile (MsgSnap / InstallSnapshot). */
  snapshots: number;
}

export interface PaneLogLine {
  timeMs: number;
  kind: 'action' | 'answer' | 'configuration' | 'catch-up';
  text: string;
  /** Configuration lines: joint (etcd), not yet committed (HashiCorp's latest), or stable. */
  state?: ConfigurationState;
}

export interface PaneMembership {
  configuration: ConfigurationView | null;
  /** Lines of the pane's log so far (a prefix of the pane's list). */
  logCount: number;
  catchUps: CatchUp[];
  writes: { sent: number; ok: number; failed: number };
  /** Simulated ms since the first election in which no running node was leader (elections after a loss). */
  leaderlessMs: number;
}

export interface MembershipPaneOptions {
  seed: number;
  voters: readonly NodeId[];
  /** Nodes that start empty, waiting to be added. */
  spares: readonly NodeId[];
  tickMs: number;
}

type ChangeAction = Extract<ScriptAction, { kind: MembershipChange['kind'] }>;

interface QueuedChange {
  requestId: number;
  change: MembershipChange;
  prevIndex: number;
}

/** The restart seed of a node's incarnation, derived from the run's seed. */
export function bootSeed(seed: number, node: NodeId, incarnation: number): number {
  return (seed * 1_000_003 + node * 7919 + incarnation * 104_729) >>> 0;
}

/** Messages waiting for one node, beyond which new ones are dropped. */
const inboxMessagesMax = 10_000;

export class MembershipPane<TMessage extends RoutedMessage> {
  readonly nodeIds: NodeId[];
  readonly statuses = new Map<NodeId, NodeStatus>();
  readonly log: PaneLogLine[] = [];
  readonly catchUps: CatchUp[] = [];
  readonly leaderChanges: LeaderChange[] = [];
  readonly writes = { sent: 0, ok: 0, failed: 0 };
  nowMs = 0;
  events = 0;
  leaderlessMs = 0;
  private readonly hosts = new Map<NodeId, MembershipHost<TMessage>>();
  private readonly inbox = new Map<NodeId, TMessage[]>();
  private readonly commands = new Map<NodeId, NodeCommand[]>();
  private readonly incarnations = new Map<NodeId, number>();
  private readonly isolated = new Set<NodeId>();
  private readonly leaderTerm = new Map<NodeId, number>();
  private readonly requestText = new Map<number, string>();
  private readonly catchUpOfRequest = new Map<number, CatchUp>();
  /** Changes waiting for a leader to send them to. */
  private pending: ChangeAction[] = [];
  private readonly changes = new Map<NodeId, QueuedChange[]>();
  private nextRequestId = 1;
  private writeEveryMs = 0;
  private nextWriteMs = 0;
  private configurationText = '';

  constructor(
    readonly engine: MembershipEngine<TMessage>,
    private readonly options: MembershipPaneOptions,
  ) {
    this.nodeIds = [...options.voters, ...options.spares].sort((a, b) => a - b);
    for (const id of this.nodeIds) {
      this.hosts.set(id, engine.createHost(id, options.spares.includes(id) ? null : options.voters));
      this.queueCommand(id, { kind: 'restart', seed: bootSeed(options.seed, id, 0) });
      this.incarnations.set(id, 0);
    }
  }

  /** The leader with the highest term among the running nodes, or null. */
  leader(): NodeId | null {
    let best: NodeStatus | null = null;
    for (const status of this.statuses.values()) {
      if (status.role === 'StateLeader' && (best === null || status.term > best.term)) best = status;
    }
    return best === null ? null : best.id;
  }

  /** The configuration as the leader holds it (without one: the running node with the newest). */
  configuration(): ConfigurationView | null {
    const leader = this.leader();
    if (leader !== null) return this.hosts.get(leader)!.configuration();
    const newest = [...this.statuses.values()]
      .filter((status) => status.role.startsWith('State'))
      .sort((a, b) => b.configIndex - a.configIndex || a.id - b.id)[0];
    return newest === undefined ? null : this.hosts.get(newest.id)!.configuration();
  }

  /** Runs a script action now (before the next round). */
  apply(action: ScriptAction): void {
    switch (action.kind) {
      case 'writes':
        this.writeEveryMs = action.everyMs;
        this.nextWriteMs = this.nowMs;
        return this.note('action', action.everyMs === 0 ? 'client writes stop' : `client writes every ${action.everyMs} ms`);
      case 'heal':
        this.isolated.clear();
        return this.note('action', 'network healed');
      case 'crash':
      case 'restart':
      case 'isolate':
        return this.applyToNode(action.kind, action.node);
      default:
        this.pending.push(action);
        this.sendPendingChanges();
    }
  }

  private applyToNode(kind: 'crash' | 'restart' | 'isolate', target: NodeTarget): void {
    const node = this.resolve(target);
    if (node === null) return this.note('action', `${kind} ${target}: no such node now, skipped`);
    if (!this.nodeIds.includes(node)) return this.note('action', `${kind} node ${node}: not in this cluster, skipped`);
    const which = typeof target === 'number' ? `node ${node}` : `${target} ${node}`;
    if (kind === 'isolate') {
      this.isolated.add(node);
      return this.note('action', `${which} cut off from the others`);
    }
    if (kind === 'crash') {
      this.queueCommand(node, { kind: 'crash' });
      this.inbox.set(node, []);
      return this.note('action', `${which} crashes`);
    }
    const incarnation = (this.incarnations.get(node) ?? 0) + 1;
    this.incarnations.set(node, incarnation);
    this.queueCommand(node, { kind: 'restart', seed: bootSeed(this.options.seed, node, incarnation) });
    this.note('action', `${which} restarts`);
    this.startCatchUp(node, 'restarted');
  }

  private resolve(target: NodeTarget): NodeId | null {
    if (typeof target === 'number') return target;
    const leader = this.leader();
    if (target === 'leader') return leader;
    const roles = this.configuration()?.roles ?? {};
    const running = (id: NodeId) => this.statuses.get(id)?.role.startsWith('State') === true;
    if (target === 'down') return this.nodeIds.find((id) => this.statuses.get(id)?.role === 'down' && roles[id] !== undefined) ?? null;
    if (target === 'learner') return this.nodeIds.find((id) => roles[id] === 'learner' || roles[id] === 'nonvoter') ?? null;
    return [...this.nodeIds].reverse().find((id) => id !== leader && roles[id] === 'voter' && running(id)) ?? null;
  }

  /** Sends waiting changes to the leader, with prevIndex = the configuration index it reported. */
  private sendPendingChanges(): void {
    const leader = this.leader();
    if (leader === null || this.pending.length === 0) return;
    const configuration = this.hosts.get(leader)!.configuration();
    for (const wanted of this.pending) {
      const node = this.resolve(wanted.node);
      const removed = wanted.kind === 'replace' ? this.resolve(wanted.removed) : null;
      if (node === null || (wanted.kind === 'replace' && removed === null)) {
        this.note('action', `${wanted.kind}: no ${node === null ? wanted.node : (wanted as { removed: NodeTarget }).removed} node now, skipped`);
        continue;
      }
      const change: MembershipChange = wanted.kind === 'replace' ? { kind: 'replace', node, removed: removed! } : { kind: wanted.kind, node };
      const texts = this.engine.describeRequests(change);
      const requestId = this.nextRequestId;
      this.nextRequestId += texts.length;
      texts.forEach((text, i) => this.requestText.set(requestId + i, text));
      const prevIndex = this.statuses.get(leader)?.configIndex ?? 0;
      this.queueChange(leader, { requestId, change, prevIndex });
      this.note('action', `to leader ${leader}: ${texts.join(', then ')} (prevIndex ${prevIndex})`);
      const added = change.kind === 'addVoter' || change.kind === 'addLearner' || change.kind === 'replace';
      if (added && configuration !== null && configuration.roles[node] === undefined) this.startCatchUp(node, 'added', requestId);
    }
    this.pending = [];
  }

  private queueChange(node: NodeId, item: QueuedChange): void {
    this.changes.set(node, [...(this.changes.get(node) ?? []), item]);
  }

  private queueCommand(node: NodeId, command: NodeCommand): void {
    this.commands.set(node, [...(this.commands.get(node) ?? []), command]);
  }

  /** A catch-up begins; one for an addition is dropped if the leader refuses the change (`requestId`). */
  private startCatchUp(node: NodeId, reason: CatchUp['reason'], requestId?: number): void {
    const leader = this.leader();
    const commits = [...this.statuses.values()].map((status) => status.commit);
    const targetIndex = Math.max(1, leader === null ? Math.max(0, ...commits) : this.statuses.get(leader)!.commit);
    this.catchUps.push({ node, reason, startMs: this.nowMs, targetIndex, doneMs: null, snapshots: 0 });
    if (requestId !== undefined) this.catchUpOfRequest.set(requestId, this.catchUps[this.catchUps.length - 1]);
  }

  /** One lockstep round: every node gets its batch with one tick, then the messages are routed. */
  async runRound(): Promise<void> {
    this.sendPendingChanges();
    const requests = this.clientWrites();
    const results: EngineBatchResult<TMessage>[] = [];
    for (const id of this.nodeIds) {
      const batch = {
        commands: this.commands.get(id) ?? [],
        messages: this.inbox.get(id) ?? [],
        requests: requests.get(id) ?? [],
        changes: this.changes.get(id) ?? [],
        ticks: 1,
      };
      this.commands.delete(id);
      this.inbox.delete(id);
      this.changes.delete(id);
      results.push(await this.hosts.get(id)!.handleBatch(batch));
      this.events++;
    }
    this.nowMs += this.options.tickMs;
    results.forEach((result) => this.observe(result));
    if (this.leaderChanges.length > 0 && this.leader() === null) this.leaderlessMs += this.options.tickMs;
    for (const result of results) for (const message of result.messages) this.route(message);
    this.observeConfiguration();
    this.observeCatchUps();
  }

  /** The client's write due this round, to the leader. */
  private clientWrites(): Map<NodeId, ClientRequest[]> {
    const requests = new Map<NodeId, ClientRequest[]>();
    const leader = this.leader();
    if (this.writeEveryMs === 0 || this.nowMs < this.nextWriteMs || leader === null) return requests;
    this.nextWriteMs = this.nowMs + this.writeEveryMs;
    const requestId = this.nextRequestId++;
    this.writes.sent++;
    requests.set(leader, [{ kind: 'propose', requestId, command: { op: 'put', key: `k${this.writes.sent % 4}`, value: `v${this.writes.sent}` } }]);
    return requests;
  }

  private observe(result: EngineBatchResult<TMessage>): void {
    const status = result.status;
    const before = this.statuses.get(status.id);
    const up = status.role.startsWith('State');
    // A node that is down keeps showing the numbers it had when it went down.
    this.statuses.set(status.id, up || before === undefined ? status : { ...before, role: status.role });
    for (const response of result.responses) this.answer(response.requestId, response.result);
    if (status.role !== 'StateLeader' || this.leaderTerm.get(status.id) === status.term) return;
    this.leaderTerm.set(status.id, status.term);
    this.leaderChanges.push({ timeMs: this.nowMs, node: status.id, term: status.term });
  }

  private answer(requestId: number, result: RequestResult): void {
    const text = this.requestText.get(requestId);
    if (text === undefined) {
      if (result.ok) this.writes.ok++;
      else this.writes.failed++;
      return;
    }
    this.requestText.delete(requestId);
    const catchUp = this.catchUpOfRequest.get(requestId);
    this.catchUpOfRequest.delete(requestId);
    // A refused addition adds nobody: its node has nothing to catch up with.
    if (!result.ok && catchUp !== undefined && catchUp.doneMs === null) this.catchUps.splice(this.catchUps.indexOf(catchUp), 1);
    this.note('answer', result.ok ? `${text}: done (configuration entry ${result.index})` : `${text}: refused, ${result.message}`);
  }

  private route(message: TMessage): void {
    const delivered = this.hosts.has(message.to) && !this.isolated.has(message.from) && !this.isolated.has(message.to);
    const report = this.engine.afterSend(message, delivered);
    if (report !== null) this.queueCommand(message.from, report);
    if (!delivered) return;
    if (this.engine.isSnapshot(message)) {
      const catchUp = this.openCatchUp(message.to);
      if (catchUp !== null) catchUp.snapshots++;
    }
    const inbox = this.inbox.get(message.to) ?? [];
    if (inbox.length >= inboxMessagesMax) return;
    inbox.push(message);
    this.inbox.set(message.to, inbox);
  }

  private openCatchUp(node: NodeId): CatchUp | null {
    for (let i = this.catchUps.length - 1; i >= 0; i--) {
      if (this.catchUps[i].node === node) return this.catchUps[i].doneMs === null ? this.catchUps[i] : null;
    }
    return null;
  }

  private observeConfiguration(): void {
    const configuration = this.configuration();
    const text = configuration === null ? '' : configuration.lines.join(' | ');
    if (text === '' || text === this.configurationText) return;
    this.configurationText = text;
    const joint = configuration!.joint ? ' (joint consensus)' : '';
    this.note('configuration', `${text}${joint}`);
    this.log[this.log.length - 1].state = configuration!.joint ? 'joint' : configuration!.uncommitted ? 'uncommitted' : 'stable';
  }

  private observeCatchUps(): void {
    for (const catchUp of this.catchUps) {
      if (catchUp.doneMs !== null) continue;
      const status = this.statuses.get(catchUp.node);
      if (status === undefined || !status.role.startsWith('State') || status.applied < catchUp.targetIndex) continue;
      catchUp.doneMs = this.nowMs;
      const how = catchUp.snapshots === 0 ? 'by log replication' : `by snapshot (${catchUp.snapshots} sent)`;
      this.note('catch-up', `node ${catchUp.node} (${catchUp.reason}) caught up to index ${catchUp.targetIndex} in ${catchUp.doneMs - catchUp.startMs} ms ${how}`);
    }
  }

  private note(kind: PaneLogLine['kind'], text: string): void {
    this.log.push({ timeMs: this.nowMs, kind, text });
  }

  frame(done: boolean): PaneFrame & { membership: PaneMembership } {
    const configuration = this.configuration();
    const nodes = this.nodeIds.map((id) => paneNode(id, this.statuses.get(id), configuration));
    return {
      engine: this.engine.engine,
      nowMs: this.nowMs,
      eventCount: this.events,
      nodes,
      leaderChangeCount: this.leaderChanges.length,
      done,
      membership: { configuration, logCount: this.log.length, catchUps: this.catchUps.map((catchUp) => ({ ...catchUp })), writes: { ...this.writes }, leaderlessMs: this.leaderlessMs },
    };
  }
}

function paneNode(id: NodeId, status: NodeStatus | undefined, configuration: ConfigurationView | null): PaneNode {
  const configRole = configuration?.roles[id] ?? 'not a member';
  if (status === undefined) return { id, role: 'down', term: 0, commit: 0, lead: 0, configRole, applied: 0, configIndex: 0 };
  let role = status.role.startsWith('State') ? status.role.slice('State'.length).toLowerCase() : status.role;
  // A spare that no leader has contacted yet is not part of the cluster's story.
  if (role === 'follower' && configRole === 'not a member' && status.term === 0) role = 'spare';
  return { id, role, term: status.term, commit: status.commit, lead: status.lead, configRole, applied: status.applied, configIndex: status.configIndex };
}
