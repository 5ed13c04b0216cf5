// What a person (the app, a scenario builder) may do to a running simulation besides the
// nemesis's faults: start an election, hand leadership over, change the configuration, tamper
// with one message in flight or one direction of one link, send client operations by hand, and
// fork the clients' future (a new random stream for their choices).
// Each applies at once, writes one `inject` line to the transcript, and replays exactly: the
// same actions after the same events give the same run.
import type { NodeId } from '../raft/types';
import { describeAction, describeRatio, type NemesisAction } from './nemesis/plan';
import type { Ratio } from './random-streams';
import { describeCommand } from './simulation-text';
import type { KvCommand } from './workload/kv-codec';

/** How a conf change treats a node. */
export type MembershipChange = 'add-voter' | 'remove' | 'add-learner';

export type InterventionAction =
  | NemesisAction
  /** The node starts an election now (etcd's Campaign). */
  | { kind: 'campaign'; node: NodeId }
  /** The current leader hands leadership to `to` (etcd's TransferLeader). */
  | { kind: 'transfer-leadership'; to: NodeId }
  /** The current leader proposes a conf change; it takes effect on each node as it applies it. */
  | { kind: 'membership'; node: NodeId; change: MembershipChange }
  /** The message in flight with this id (see Simulation.inFlight) never arrives. */
  | { kind: 'drop-message'; flightId: number }
  /** A copy of the message in flight arrives delayMs after it. */
  | { kind: 'duplicate-message'; flightId: number; delayMs: number }
  /** Messages from `from` to `to` are lost (the other direction still works) until restored. */
  | { kind: 'cut-link'; from: NodeId; to: NodeId }
  | { kind: 'restore-link'; from: NodeId; to: NodeId }
  /** Extra latency and loss on one direction of a link; zero and 0/1 clear them. */
  | { kind: 'link-faults'; from: NodeId; to: NodeId; extraLatencyMs: number; lossRatio: Ratio }
  /** A client operation sent by hand, recorded in the history like the workload's. */
  | { kind: 'client'; command: KvCommand }
  /**
   * The clients draw their choices (when, which key, which value, which node to ask) from a new
   * random stream seeded by `salt` from now on: the app's "fork a new future" from a past point.
   */
  | { kind: 'fork-workload'; salt: number };

/** Delay of a duplicated message at most (a named bound like every other). */
export const duplicateDelayMsMax = 60_000;
export const extraLatencyMsMax = 60_000;

export function isNemesisAction(action: InterventionAction): action is NemesisAction {
  switch (action.kind) {
    case 'partition':
    case 'heal':
    case 'crash':
    case 'restart':
    case 'pause':
      return true;
    default:
      return false;
  }
}

export function describeIntervention(action: InterventionAction): string {
  if (isNemesisAction(action)) return describeAction(action);
  switch (action.kind) {
    case 'campaign':
      return `campaign ${action.node}`;
    case 'transfer-leadership':
      return `transfer-leadership to ${action.to}`;
    case 'membership':
      return `membership ${action.change} ${action.node}`;
    case 'drop-message':
      return `drop-message f${action.flightId}`;
    case 'duplicate-message':
      return `duplicate-message f${action.flightId} +${action.delayMs}ms`;
    case 'cut-link':
      return `cut-link ${action.from}->${action.to}`;
    case 'restore-link':
      return `restore-link ${action.from}->${action.to}`;
    case 'link-faults':
      return `link-faults ${action.from}->${action.to} +${action.extraLatencyMs}ms loss ${describeRatio(action.lossRatio)}`;
    case 'client':
      return `client ${describeCommand(action.command)}`;
    case 'fork-workload':
      return `fork-workload ${action.salt}`;
  }
}
