// What the app reads from a Simulation beyond its public API. The simulation does not yet expose
// its transcript lines, the time of its next event, the engine state of its nodes (election
// timer, learner flag, log entry types), its current partition or its client history, and the
// views need all of them. This module is the one place that reaches into those fields, and it
// checks their shape at runtime, so a change in src/sim fails here loudly instead of drawing
// nonsense. (Reported upstream: the fields should become public accessors.)
import type { KvNode } from '../../sim/process/kv-node';
import type { PartitionShape } from '../../sim/network/partitions';
import type { Simulation } from '../../sim/simulation';
import type { HistoryEvent } from '../../sim/workload/history';
import type { NodeId } from '../../raft/types';

export interface SimulationProbe {
  /** Transcript lines written so far (kept only up to the simulation's transcriptLinesKeptMax). */
  lines(): readonly string[];
  lineCount(): number;
  /** When the next queued event is due; undefined when the queue is empty. */
  nextEventMs(): number | undefined;
  node(id: NodeId): KvNode;
  partition(): PartitionShape | null;
  history(): readonly HistoryEvent[];
}

interface SimulationInternals {
  transcript: { lines: readonly string[]; lineCount: number };
  queue: { peek(): { timeMs: number } | undefined };
  nodes: Map<NodeId, KvNode>;
  network: { partitions: { shape: PartitionShape | null } };
  workload: { history: HistoryEvent[] };
}

function internalsOf(simulation: Simulation): SimulationInternals {
  const internals = simulation as unknown as Partial<SimulationInternals>;
  const missing = [
    internals.transcript?.lines === undefined && 'transcript.lines',
    typeof internals.queue?.peek !== 'function' && 'queue.peek',
    !(internals.nodes instanceof Map) && 'nodes',
    internals.network?.partitions === undefined && 'network.partitions',
    !Array.isArray(internals.workload?.history) && 'workload.history',
  ].filter((name): name is string => typeof name === 'string');
  if (missing.length > 0) {
    throw new Error(
      `the Simulation no longer has ${missing.join(', ')}; update src/ui/model/simulation-probe.ts`,
    );
  }
  return internals as SimulationInternals;
}

export function probeSimulation(simulation: Simulation): SimulationProbe {
  const internals = internalsOf(simulation);
  return {
    lines: () => internals.transcript.lines,
    lineCount: () => internals.transcript.lineCount,
    nextEventMs: () => internals.queue.peek()?.timeMs,
    node(id) {
      const node = internals.nodes.get(id);
      if (node === undefined) throw new Error(`no node ${id} in this simulation`);
      return node;
    },
    partition: () => internals.network.partitions.shape,
    history: () => internals.workload.history,
  };
}
