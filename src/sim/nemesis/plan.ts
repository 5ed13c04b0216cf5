// A nemesis plan: which faults a run injects, their parameters, and the timed steps of its
// safety phase. Plans come from the seed (swarm testing) or from a scenario file; either way
// the simulation only ever executes a plan, so both replay the same way.
import type { NodeId } from '../../raft/types';
import { describePartition, type PartitionShape } from '../network/partitions';
import type { LinkFaults } from '../network/faulty-network';
import type { Ratio } from '../random-streams';

export const faultKinds = [
  'partition',
  'crash',
  'pause',
  'loss',
  'duplicate',
  'reorder',
  'latency',
  'clock',
] as const;

export type FaultKind = (typeof faultKinds)[number];

export type NemesisAction =
  | { kind: 'partition'; shape: PartitionShape }
  | { kind: 'heal' }
  | { kind: 'crash'; node: NodeId }
  | { kind: 'restart'; node: NodeId }
  /** The node stops ticking and processing for durationMs, like a long GC pause. */
  | { kind: 'pause'; node: NodeId; durationMs: number };

export interface NemesisStep {
  atMs: number;
  action: NemesisAction;
}

export interface NemesisPlan {
  /** The faults switched on, in faultKinds order. */
  faults: FaultKind[];
  /** How the faults were chosen: "seed" (swarm), "list" (--nemesis) or "scenario". */
  source: 'seed' | 'list' | 'scenario';
  /** The link faults of the safety phase. */
  links: LinkFaults;
  /** Each node's clock drift in parts per million (it ticks every tickMs * (1 + drift)). */
  driftPpm: Record<NodeId, number>;
  steps: NemesisStep[];
  /** Every parameter the seed chose, for printing: name -> value. */
  parameters: [string, string][];
}

export function describeRatio(ratio: Ratio): string {
  return `${ratio.numerator}/${ratio.denominator}`;
}

export function describeAction(action: NemesisAction): string {
  switch (action.kind) {
    case 'partition':
      return `partition ${describePartition(action.shape)}`;
    case 'heal':
      return 'heal';
    case 'crash':
      return `crash ${action.node}`;
    case 'restart':
      return `restart ${action.node}`;
    case 'pause':
      return `pause ${action.node} for ${action.durationMs} ms`;
  }
}

/** Asserts the plan's internal consistency (a programmer error otherwise). */
export function assertPlan(plan: NemesisPlan, nodeIds: readonly NodeId[], safetyMs: number): void {
  let previous = 0;
  for (const [position, step] of plan.steps.entries()) {
    if (!(Number.isSafeInteger(step.atMs) && step.atMs >= previous && step.atMs < safetyMs)) {
      throw new Error(
        `nemesis step ${position} at ${step.atMs} ms is out of order or past the safety phase`,
      );
    }
    previous = step.atMs;
    const action = step.action;
    if ('node' in action && !nodeIds.includes(action.node)) {
      throw new Error(`nemesis step ${position} names node ${action.node}, not in the cluster`);
    }
  }
}
