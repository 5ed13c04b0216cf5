// One durable simulator run (`raftlab run --durable`): the same options and seed choices as an
// in-memory run, plus the disk faults, with every node an engine's node host on its own disk
// (etcd's, or the HashiCorp-style one with `engine: 'hashicorp'`), driven by the given
// NodeDriverFactory (in-process unless the caller injects another).
import { etcdHostBugs } from '../../engines/etcd/bugs';
import { hashicorpBugs } from '../../engines/hashicorp/bugs';
import { raftBugs } from '../../raft/bugs';
import type { BugName } from '../bugs';
import { checkLinearizability, resolveRunOptions, type RunOptions, type RunReport } from '../run';
import { diskFaultPlan, faultsStreamAfterPlan, type DiskFaultKind, type DiskFaultPlan } from './disk-faults';
import { DurableSimulation } from './durable-simulation';
import { hashicorpDriverFactory } from './hashicorp-driver';
import { inProcessDriverFactory } from './in-process-driver';
import type { NodeDriverFactory, WireMessage } from './node-driver';

export const durableEngines = ['etcd', 'hashicorp'] as const;
export type DurableEngine = (typeof durableEngines)[number];

export function isDurableEngine(name: string): name is DurableEngine {
  return (durableEngines as readonly string[]).includes(name);
}

/** The bug switches each engine's node host implements (the others are refused, not ignored). */
export const durableBugs: Record<DurableEngine, readonly BugName[]> = {
  // The engine core's switches reach RawNode; apply-before-commit is the host's own (etcd/bugs.ts).
  etcd: [...raftBugs, ...etcdHostBugs, 'lease-no-clock-bound'],
  // The lease of lease reads lives on the simulator's side of the node, the same for both hosts.
  hashicorp: [...hashicorpBugs, 'lease-no-clock-bound'],
};

/** Why a durable run cannot switch on `bugs` on `engine`, or null when it can. */
export function durableBugsRefusal(engine: DurableEngine, bugs: readonly BugName[]): string | null {
  const missing = bugs.filter((bug) => !durableBugs[engine].includes(bug));
  if (missing.length === 0) return null;
  const available = durableBugs[engine].length === 0 ? 'none' : durableBugs[engine].join(', ');
  return `bug ${missing.join(', ')} is not available on the durable ${engine} host (available: ${available})`;
}

export interface DurableRunOptions extends RunOptions {
  /** The disk faults to switch on; undefined lets the seed choose. */
  diskFaults?: readonly DiskFaultKind[];
  /** A fixed disk fault plan instead of the seed's (tests, hand-written fault stories). */
  diskPlan?: DiskFaultPlan;
  /** The node host every node runs: etcd's (the default) or the HashiCorp-style one. */
  engine?: DurableEngine;
  /** Who runs the nodes; in-process by default (an injected driver must run `engine`'s host). */
  drivers?: NodeDriverFactory<WireMessage>;
  /** How the drivers run the nodes, for the report ("in-process", "worker_threads"). */
  driverName?: string;
}

export interface DurableReport {
  engine: DurableEngine;
  driver: string;
  disk: DiskFaultPlan;
  /**
   * The seed picked lease reads, which a durable run takes only when asked for (`--reads lease`):
   * its reads use ReadIndex instead.
   */
  seedPickedLease: boolean;
  /** Nodes that refused to boot from their disk in the liveness phase, and why. */
  unbootable: { node: number; reason: string }[];
}

export interface DurableRunReport extends RunReport {
  durable: DurableReport;
}

/** Everything a durable run decides before it starts (tests use it to build a simulation). */
export function prepareDurableRun(options: DurableRunOptions): { simulation: DurableSimulation; report: Omit<DurableRunReport, 'simulation' | 'counts' | 'history' | 'linearizability' | 'failed'> } {
  const engine = options.engine ?? 'etcd';
  if (!isDurableEngine(engine)) throw new Error(`unknown engine ${String(engine)}: expected ${durableEngines.join(' or ')}`);
  const bugsRefused = durableBugsRefusal(engine, options.bugs ?? []);
  if (bugsRefused !== null) throw new Error(bugsRefused);
  const resolved = resolveRunOptions(options);
  // Seeds keep the durable runs they always had: lease reads only when asked for.
  const seedPickedLease = resolved.reads === 'lease' && options.reads !== 'lease';
  if (seedPickedLease) resolved.reads = 'index';
  if ((options.bugs ?? []).includes('lease-no-clock-bound') && resolved.reads !== 'lease') {
    throw new Error('lease-no-clock-bound needs --reads lease');
  }
  const nodeIds = Array.from({ length: resolved.nodeCount }, (_, i) => i + 1);
  const faults = faultsStreamAfterPlan(
    resolved.seed,
    options.plan === undefined
      ? {
          nodeIds,
          safetyMs: resolved.timeMs,
          faults: options.nemesis,
          driftPpmMax: options.driftPpmMax,
          speedup: options.nemesisSpeedup,
        }
      : null,
  );
  const disk =
    options.diskPlan ?? diskFaultPlan({ random: faults, nodeIds, safetyMs: resolved.timeMs, faults: options.diskFaults });
  const simulation = new DurableSimulation({
    seed: resolved.seed,
    nodeCount: resolved.nodeCount,
    tickMs: resolved.tickMs,
    safetyMs: resolved.timeMs,
    livenessBoundMs: resolved.livenessBoundMs,
    readMode: resolved.reads,
    leaseUnbounded: (options.bugs ?? []).includes('lease-no-clock-bound'),
    plan: resolved.plan,
    disk,
    faults,
    workload: resolved.workload,
    drivers: options.drivers ?? (engine === 'hashicorp' ? hashicorpDriverFactory : inProcessDriverFactory),
    maxSizePerMsg: resolved.maxSizePerMsg,
    // The lease is the simulator's side of the node: its bug stays here, the hosts get the rest.
    bugs: (options.bugs ?? []).filter((bug) => bug !== 'lease-no-clock-bound'),
    transcriptLinesKeptMax: options.transcriptLinesKeptMax,
  });
  return { simulation, report: { options: resolved, durable: { engine, driver: options.driverName ?? 'in-process', disk, seedPickedLease, unbootable: [] } } };
}

export async function runDurableSimulation(options: DurableRunOptions): Promise<DurableRunReport> {
  const { simulation, report } = prepareDurableRun(options);
  const { workload, ...result } = await simulation.run();
  for (const [node, reason] of simulation.unbootable) report.durable.unbootable.push({ node, reason });
  const history = workload.history;
  const linearizability = result.violation === null ? checkLinearizability(history, options.checkStepsMax) : null;
  const failed =
    result.violation !== null || result.liveness?.converged !== true || linearizability?.verdict === 'not-linearizable';
  return { ...report, simulation: result, counts: { ...workload.counts }, history, linearizability, failed };
}
