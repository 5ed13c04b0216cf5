// How each engine's host takes a membership change and shows its configuration, for the
// membership side by side (membership-pane.ts). The two engines differ exactly here:
// - HashiCorp: AddVoter / AddNonvoter / DemoteVoter / RemoveServer with prevIndex, one server at
//   a time; a configuration is used once appended (the latest) and committed later, so a leader
//   holds two; replacing a server is two changes, the second queued behind the first.
// - etcd: a conf change applied from the log; several changes in one ConfChangeV2 enter joint
//   consensus (voters (new)&&(old), both majorities needed) and leave it automatically.
// The hosts are the real ones on memory disks; the etcd host is extended only to read its
// tracker's configuration (the status reports the incoming voters alone).
import { EtcdNodeHost } from '../../engines/etcd/node-host';
import type { EtcdHostSettings } from '../../engines/etcd/settings';
import type { EtcdNode } from '../../engines/etcd/etcd-node';
import type { HashicorpAdminRequest } from '../../engines/hashicorp/batch';
import { HashicorpNodeHost } from '../../engines/hashicorp/node-host';
import type { HashicorpHostSettings } from '../../engines/hashicorp/settings';
import { Suffrage, type RpcMessage } from '../../engines/hashicorp/types';
import type { AdminRequest, ClientRequest, EngineBatchResult, NodeCommand, PeerSpec, RoutedMessage } from '../../engines/host-types';
import { marshalConfChangeV2 } from '../../raft/encoding/conf-change';
import { ConfChangeTransition, ConfChangeType, EntryType, MessageType, makeMessage, type Message, type NodeId } from '../../raft/types';
import type { DurableEngine } from '../../sim/durable/durable-run';
import { MemoryBackend } from '../../storage/fs/memory-backend';
import { encodeConfChangeContext } from '../../storage/peers/context-codec';

/** A membership change as a scenario names it, with its target resolved to a node id. */
export type MembershipChange =
  | { kind: 'addVoter' | 'addLearner' | 'promote' | 'demote' | 'remove'; node: NodeId }
  /** One server in, another out: etcd in one joint change, HashiCorp as two single changes. */
  | { kind: 'replace'; node: NodeId; removed: NodeId };

/** One engine's configuration as its leader holds it, and each member's place in it. */
export interface ConfigurationView {
  /** etcd: one line (joint while changing); HashiCorp: the latest and the committed one. */
  lines: string[];
  /** etcd in joint consensus (two voter sets). */
  joint: boolean;
  /** HashiCorp: the latest configuration is not committed yet. */
  uncommitted: boolean;
  /** Each member's role in the configuration (a node missing here is not a member). */
  roles: Record<number, string>;
}

export interface MembershipBatch<TMessage extends RoutedMessage> {
  commands: NodeCommand[];
  messages: TMessage[];
  requests: ClientRequest[];
  /** Membership changes this node (the pane's leader) is asked to make, with their request ids. */
  changes: { requestId: number; change: MembershipChange; prevIndex: number }[];
  ticks: number;
}

export interface MembershipHost<TMessage extends RoutedMessage> {
  handleBatch(batch: MembershipBatch<TMessage>): Promise<EngineBatchResult<TMessage>>;
  /** The configuration as this node holds it; null when it is not running. */
  configuration(): ConfigurationView | null;
}

export interface MembershipEngine<TMessage extends RoutedMessage> {
  readonly engine: DurableEngine;
  createHost(id: NodeId, bootstrapVoters: readonly NodeId[] | null): MembershipHost<TMessage>;
  /** A message that carries a snapshot to a follower (etcd MsgSnap, HashiCorp InstallSnapshot). */
  isSnapshot(message: TMessage): boolean;
  /** What the transport tells the sender once `message` was sent (etcd's ReportSnapshot), or null. */
  afterSend(message: TMessage, delivered: boolean): NodeCommand | null;
  /** What each request id of a change asks, for the pane's log. */
  describeRequests(change: MembershipChange): string[];
}

export function peerAddress(id: NodeId): string {
  return `node-${id}:7000`;
}

function peerSpecs(ids: readonly NodeId[]): PeerSpec[] {
  return ids.map((nodeId) => ({ nodeId, address: peerAddress(nodeId) }));
}

function ids(list: Iterable<number>): string {
  return [...list].sort((a, b) => a - b).join(' ');
}

// ---- etcd ----

/** The etcd host with its running node readable (the status reports only the incoming voters). */
class InspectableEtcdHost extends EtcdNodeHost {
  get current(): EtcdNode | null {
    return this.node;
  }
}

function etcdConfiguration(node: EtcdNode): ConfigurationView {
  const confState = node.rawNode.raft.trk.confState();
  const joint = confState.votersOutgoing.length > 0;
  const roles: Record<number, string> = {};
  const incoming = new Set(confState.voters);
  const outgoing = new Set(confState.votersOutgoing);
  for (const id of new Set([...incoming, ...outgoing])) {
    if (!joint || (incoming.has(id) && outgoing.has(id))) roles[id] = 'voter';
    else if (incoming.has(id)) roles[id] = 'voter (incoming only)';
    else roles[id] = confState.learnersNext.includes(id) ? 'voter (outgoing only), then learner' : 'voter (outgoing only)';
  }
  for (const id of confState.learners) roles[id] = 'learner';
  const voters = joint ? `(${ids(confState.voters)})&&(${ids(confState.votersOutgoing)})` : `(${ids(confState.voters)})`;
  const learners = confState.learners.length === 0 ? '' : ` learners=(${ids(confState.learners)})`;
  const next = confState.learnersNext.length === 0 ? '' : ` learners_next=(${ids(confState.learnersNext)})`;
  const line = `voters=${voters}${learners}${next}${confState.autoLeave ? ' autoleave' : ''} · applied at index ${Number(node.peers.index)}`;
  return { lines: [line], joint, uncommitted: false, roles };
}

function etcdAdmin(requestId: number, change: MembershipChange, prevIndex: number): AdminRequest {
  const address = peerAddress(change.node);
  switch (change.kind) {
    case 'addVoter':
    case 'promote':
      return { kind: 'addVoter', requestId, nodeId: change.node, address, prevIndex };
    case 'addLearner':
    case 'demote':
      return { kind: 'addLearner', requestId, nodeId: change.node, address, prevIndex };
    default:
      return { kind: 'removeServer', requestId, nodeId: change.node, prevIndex };
  }
}

/** Both changes in one ConfChangeV2 (auto transition): etcd enters joint consensus and leaves it. */
function etcdJointProposal(self: NodeId, requestId: number, change: { node: NodeId; removed: NodeId }): Message {
  const context = encodeConfChangeContext(BigInt(requestId), { nodeId: BigInt(change.node), id: String(change.node), address: peerAddress(change.node) });
  const data = marshalConfChangeV2({
    transition: ConfChangeTransition.ConfChangeTransitionAuto,
    changes: [
      { type: ConfChangeType.ConfChangeAddNode, nodeId: change.node },
      { type: ConfChangeType.ConfChangeRemoveNode, nodeId: change.removed },
    ],
    context,
  });
  return makeMessage({ type: MessageType.MsgProp, from: self, to: self, entries: [{ term: 0, index: 0, type: EntryType.EntryConfChangeV2, data }] });
}

export function etcdMembershipEngine(settings: Partial<EtcdHostSettings>): MembershipEngine<Message> {
  return {
    engine: 'etcd',
    createHost(id, bootstrapVoters) {
      const host = new InspectableEtcdHost({ id, bootstrapPeers: bootstrapVoters === null ? null : peerSpecs(bootstrapVoters), settings }, new MemoryBackend());
      return {
        configuration: () => (host.current === null ? null : etcdConfiguration(host.current)),
        handleBatch: (batch) => {
          const joint = batch.changes.filter((item) => item.change.kind === 'replace');
          const admin = batch.changes.filter((item) => item.change.kind !== 'replace').map((item) => etcdAdmin(item.requestId, item.change, item.prevIndex));
          const proposals = joint.map((item) => etcdJointProposal(id, item.requestId, item.change as { node: NodeId; removed: NodeId }));
          return host.handleBatch({ commands: batch.commands, messages: [...batch.messages, ...proposals], requests: batch.requests, admin, ticks: batch.ticks });
        },
      };
    },
    isSnapshot: (message) => message.type === MessageType.MsgSnap,
    afterSend: (message, delivered) => (message.type === MessageType.MsgSnap ? { kind: 'reportSnapshot', peer: message.to, delivered } : null),
    describeRequests: (change) =>
      change.kind === 'replace'
        ? [`ConfChangeV2 [add ${change.node}, remove ${change.removed}] (joint consensus, auto leave)`]
        : [`${etcdAdmin(0, change, 0).kind} ${change.node} (ConfChange${change.kind === 'remove' ? 'RemoveNode' : change.kind === 'addLearner' || change.kind === 'demote' ? 'AddLearnerNode' : 'AddNode'})`],
  };
}

// ---- HashiCorp ----

function hashicorpRole(suffrage: Suffrage | undefined): string {
  return suffrage === undefined ? 'not a member' : suffrage === Suffrage.Voter ? 'voter' : 'nonvoter';
}

function hashicorpConfiguration(host: HashicorpNodeHost): ConfigurationView | null {
  const raft = host.current?.raft;
  if (raft === undefined) return null;
  const { latest, latestIndex, committed, committedIndex } = raft.configurations;
  const describe = (servers: typeof latest.servers) =>
    `voters ${ids(servers.filter((s) => s.suffrage === Suffrage.Voter).map((s) => s.id)) || '-'}` +
    `, nonvoters ${ids(servers.filter((s) => s.suffrage !== Suffrage.Voter).map((s) => s.id)) || '-'}`;
  const roles: Record<number, string> = {};
  for (const id of new Set([...latest.servers, ...committed.servers].map((s) => s.id))) {
    const now = hashicorpRole(latest.servers.find((s) => s.id === id)?.suffrage);
    const before = hashicorpRole(committed.servers.find((s) => s.id === id)?.suffrage);
    roles[id] = now === before ? now : `${before} → ${now} (latest, not committed)`;
  }
  return {
    lines: [`latest (index ${latestIndex}): ${describe(latest.servers)}`, `committed (index ${committedIndex}): ${describe(committed.servers)}`],
    joint: false,
    uncommitted: latestIndex !== committedIndex,
    roles,
  };
}

function hashicorpAdmin(requestId: number, change: MembershipChange, prevIndex: number): HashicorpAdminRequest[] {
  const address = peerAddress(change.node);
  switch (change.kind) {
    case 'addVoter':
    case 'promote':
      return [{ kind: 'addVoter', requestId, nodeId: change.node, address, prevIndex }];
    case 'addLearner':
      return [{ kind: 'addNonvoter', requestId, nodeId: change.node, address, prevIndex }];
    case 'demote':
      return [{ kind: 'demoteVoter', requestId, nodeId: change.node, prevIndex }];
    case 'remove':
      return [{ kind: 'removeServer', requestId, nodeId: change.node, prevIndex }];
    case 'replace':
      // One at a time: the removal waits behind the addition (prevIndex 0: whatever is latest then).
      return [
        { kind: 'addVoter', requestId, nodeId: change.node, address, prevIndex },
        { kind: 'removeServer', requestId: requestId + 1, nodeId: change.removed, prevIndex: 0 },
      ];
  }
}

export function hashicorpMembershipEngine(settings: Partial<HashicorpHostSettings>): MembershipEngine<RpcMessage> {
  return {
    engine: 'hashicorp',
    createHost(id, bootstrapVoters) {
      const host = new HashicorpNodeHost({ id, bootstrapPeers: bootstrapVoters === null ? null : peerSpecs(bootstrapVoters), settings }, new MemoryBackend());
      return {
        configuration: () => hashicorpConfiguration(host),
        handleBatch: (batch) => {
          const admin = batch.changes.flatMap((item) => hashicorpAdmin(item.requestId, item.change, item.prevIndex));
          return host.handleBatch({ commands: batch.commands, messages: batch.messages, requests: batch.requests, admin, ticks: batch.ticks });
        },
      };
    },
    isSnapshot: (message) => message.type === 'InstallSnapshotRequest',
    afterSend: () => null,
    describeRequests: (change) => hashicorpAdmin(0, change, 0).map((request) => `${request.kind[0].toUpperCase()}${request.kind.slice(1)} ${request.nodeId}`),
  };
}
