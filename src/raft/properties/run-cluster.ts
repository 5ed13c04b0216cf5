// One random run: build the cluster, hand the bootstrap entries to every state machine, then run
// the operations one by one and check the safety properties after each.
import { ClusterHost, type ClusterOptions } from './cluster-host';
import { SafetyChecker } from './safety-checker';
import { describeOperation, type Operation } from './operations';

export interface RunOptions extends ClusterOptions {
  /**
   * Campaign on this node (modulo the node count) and stabilize before the operations, or not.
   * Simulated time moves slowly in a run, and the first election could otherwise take much of it.
   */
  startWithLeader: number | null;
}

export interface RunSummary {
  /** Entries known committed at the end (the bootstrap ones included). */
  commits: number;
  /** Operations after which some node was leader. */
  stepsWithLeader: number;
  stats: ClusterHost['stats'];
}

export class RunFailure extends Error {}

/** Runs the operations; throws a RunFailure naming the step and operation that broke a property. */
export function runCluster(options: RunOptions, operations: readonly Operation[]): RunSummary {
  const host = new ClusterHost(options);
  const checker = new SafetyChecker();
  host.onRestart = (node, commits) => checker.restarted(node, commits);
  host.onStateMachineReplaced = (node) => checker.stateMachineReplaced(node.id);
  host.onReadRequested = (_node, context) => checker.readRequested(context);
  host.onReadAnswered = (node, state) => {
    const committedNow = Math.max(
      ...[...host.nodes.values()].map((n) => n.rawNode.raft.raftLog.committed),
    );
    checker.readAnswered(node.id, state.context, state.index, committedNow);
  };
  const steps: Array<{ label: string; action: () => void }> = [
    {
      label: 'bootstrap',
      action: () => host.nodes.forEach((node) => host.handleReady(node, false)),
    },
  ];
  if (options.startWithLeader !== null) {
    const first = options.startWithLeader;
    steps.push({
      label: `campaign node=${first}; stabilize`,
      action: () =>
        [{ kind: 'campaign', node: first } as const, { kind: 'stabilize' } as const].forEach((op) =>
          host.run(op),
        ),
    });
  }
  operations.forEach((op, i) =>
    steps.push({ label: `step ${i} (${describeOperation(op)})`, action: () => host.run(op) }),
  );

  let stepsWithLeader = 0;
  for (const step of steps) {
    try {
      step.action();
      checker.check(host.nodes.values());
    } catch (error) {
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new RunFailure(`${step.label}: ${text}`, { cause: error });
    }
    if (host.leader() !== null) stepsWithLeader++;
  }
  return { commits: checker.committedCount(), stepsWithLeader, stats: host.stats };
}
