// The steps a random cluster can take, as plain data: fast-check generates and shrinks arrays of
// them, and the cluster host interprets each one. Every choice of node or message is a raw number
// that the host reduces modulo what exists at that moment, so a shrunk sequence stays runnable.
import {
  ConfChangeTransition,
  ConfChangeType,
  type ConfChange,
  type ConfChangeSingle,
  type ConfChangeV2,
  type ConfState,
  type NodeId,
} from '../types';
import type { ConfChangeI } from '../encoding/conf-change';

export type Operation =
  /** `count` ticks on one node. */
  | { kind: 'tick'; node: number; count: number }
  /** `count` ticks on every node: time passes for all. */
  | { kind: 'tick-all'; count: number }
  /** Handle one Ready on a node: persist, send, apply, advance. */
  | { kind: 'ready'; node: number }
  /** Persist a Ready, then crash before sending its messages or applying anything. */
  | { kind: 'ready-then-crash'; node: number }
  /** Every node handles a Ready, then every message in flight is delivered in order. */
  | { kind: 'flush' }
  /** Flush until nothing is left to do (a calm spell), within a bound. */
  | { kind: 'stabilize' }
  /** Deliver any message in flight, however long ago it was sent. */
  | { kind: 'deliver'; pick: number }
  /** Deliver one of the oldest messages in flight: a network that reorders a little. */
  | { kind: 'deliver-early'; pick: number }
  | { kind: 'duplicate'; pick: number }
  | { kind: 'drop'; pick: number }
  | { kind: 'propose'; node: number }
  /** A linearizable read (ReadIndex) with a fresh context, asked of any node. */
  | { kind: 'read'; node: number }
  | { kind: 'campaign'; node: number }
  /** Restart from persisted state only. */
  | { kind: 'crash'; node: number }
  /** Cut a node off: messages from or to it are dropped when delivered. */
  | { kind: 'isolate'; node: number }
  | { kind: 'heal' }
  /** Snapshot the node's applied state and compact its storage up to it. */
  | { kind: 'compact'; node: number }
  /** A membership change proposed on the leader of the highest term. */
  | { kind: 'conf-change'; change: ConfChangeKind; pick: number; style: ConfChangeStyle }
  /** Leave an explicit joint configuration (an empty ConfChangeV2). */
  | { kind: 'leave-joint' };

export type ConfChangeKind = 'add-voter' | 'remove-voter' | 'add-learner' | 'promote' | 'demote';
/** v1: a ConfChange; v2: one simple ConfChangeV2; joint/joint-explicit: a replacement via joint consensus. */
export type ConfChangeStyle = 'v1' | 'v2' | 'joint' | 'joint-explicit';

export function describeOperation(op: Operation): string {
  const { kind, ...rest } = op;
  const fields = Object.entries(rest).map(([key, value]) => `${key}=${String(value)}`);
  return [kind, ...fields].join(' ');
}

/** What a conf-change operation needs to know about the cluster when it is built. */
export interface ConfChangeContext {
  /** The configuration of the leader that will receive the proposal. */
  confState: ConfState;
  /** An id never used in this cluster, for a node that joins. */
  freshId: NodeId;
}

/**
 * Builds the conf change an operation asks for, or null when the configuration does not allow it
 * (nothing to promote, too few voters to remove one). Removals keep at least two voters.
 */
export function buildConfChange(
  op: Extract<Operation, { kind: 'conf-change' }>,
  context: ConfChangeContext,
): { cc: ConfChangeI; joining: NodeId | null } | null {
  const { voters, learners } = context.confState;
  const pickFrom = (ids: NodeId[]): NodeId | null =>
    ids.length === 0 ? null : ids[op.pick % ids.length];
  let single: ConfChangeSingle | null = null;
  let joining: NodeId | null = null;
  switch (op.change) {
    case 'add-voter':
    case 'add-learner':
      joining = context.freshId;
      single = {
        type:
          op.change === 'add-voter'
            ? ConfChangeType.ConfChangeAddNode
            : ConfChangeType.ConfChangeAddLearnerNode,
        nodeId: joining,
      };
      break;
    case 'remove-voter':
    case 'demote': {
      const id = voters.length >= 3 ? pickFrom(voters) : null;
      if (id === null) return null;
      const type =
        op.change === 'demote'
          ? ConfChangeType.ConfChangeAddLearnerNode
          : ConfChangeType.ConfChangeRemoveNode;
      single = { type, nodeId: id };
      break;
    }
    case 'promote': {
      const id = pickFrom(learners);
      if (id === null) return null;
      single = { type: ConfChangeType.ConfChangeAddNode, nodeId: id };
      break;
    }
  }
  return { cc: shapeConfChange(op.style, single, context), joining };
}

function shapeConfChange(
  style: ConfChangeStyle,
  single: ConfChangeSingle,
  context: ConfChangeContext,
): ConfChangeI {
  if (style === 'v1') {
    const cc: ConfChange = { type: single.type, nodeId: single.nodeId, context: null, id: 0 };
    return cc;
  }
  if (style === 'v2') {
    const cc: ConfChangeV2 = {
      transition: ConfChangeTransition.ConfChangeTransitionAuto,
      changes: [single],
      context: null,
    };
    return cc;
  }
  // A replacement: the change plus the removal of another voter, through a joint configuration.
  const others = context.confState.voters.filter((id) => id !== single.nodeId);
  const changes = [single];
  if (others.length >= 3)
    changes.push({ type: ConfChangeType.ConfChangeRemoveNode, nodeId: others[0] });
  const transition =
    style === 'joint'
      ? ConfChangeTransition.ConfChangeTransitionJointImplicit
      : ConfChangeTransition.ConfChangeTransitionJointExplicit;
  return { transition, changes, context: null };
}
