// Side by side: the same seed and faults on an etcd-engine cluster and a HashiCorp-engine
// cluster, two durable simulations (src/sim/durable) in-process on memory disks, advanced in
// lockstep on simulated time. Every frameMs of simulated time a frame of both panes is recorded
// (each node's role, term, commit and leader; the leader changes so far), so the shared time
// control can step forward by computing and back by seeking into the recorded frames.
import type { NodeStatus } from '../../engines/etcd/batch';
import type { NodeId } from '../../raft/types';
import { prepareDurableRun, type DurableEngine } from '../../sim/durable/durable-run';
import type { DurableSimulation } from '../../sim/durable/durable-simulation';
import { hashicorpDriverFactory } from '../../sim/durable/hashicorp-driver';
import { inProcessDriverFactory } from '../../sim/durable/in-process-driver';
import type { NodeDriver, NodeDriverFactory, WireMessage } from '../../sim/durable/node-driver';
import { describeAction, type FaultKind } from '../../sim/nemesis/plan';

export const sideBySideEngines: readonly DurableEngine[] = ['etcd', 'hashicorp'];
/** Simulated time between recorded frames. */
export const frameMs = 50;
export const sideBySideFramesMax = 2_000;
/** Events one pane may process to reach one frame before the run is declared stuck. */
const eventsPerFrameMax = 200_000;

export interface SideBySideConfig {
  seed: number;
  nodeCount: number;
  /** The faults both clusters suffer (the same plan, since the plan comes from the seed). */
  nemesis: readonly FaultKind[];
  /** Length of the safety phase, ms; the liveness phase follows. */
  timeMs: number;
}

export interface PaneNode {
  id: NodeId;
  /** leader, follower, candidate, precandidate, down, failed, removed. */
  role: string;
  term: number;
  commit: number;
  lead: number;
  /** Membership scenarios: the node's place in the configuration (voter, learner, nonvoter, ...). */
  configRole?: string;
  applied?: number;
  /** The index of the newest configuration the node holds. */
  configIndex?: number;
}

export interface LeaderChange {
  timeMs: number;
  node: NodeId;
  term: number;
}

/** A step of the nemesis plan both clusters follow (a partition, heal, crash, restart, pause). */
export interface FaultStep {
  atMs: number;
  text: string;
}

export interface PaneFrame {
  engine: DurableEngine;
  nowMs: number;
  eventCount: number;
  nodes: PaneNode[];
  /** How many leader changes had happened (a prefix of the pane's list). */
  leaderChangeCount: number;
  done: boolean;
}

export interface SideBySideFrame {
  timeMs: number;
  panes: PaneFrame[];
}

class Pane {
  readonly simulation: DurableSimulation;
  private readonly statuses = new Map<NodeId, NodeStatus>();
  readonly leaderChanges: LeaderChange[] = [];
  readonly faults: FaultStep[];
  private leaderTerm = new Map<NodeId, number>();
  events = 0;
  done = false;

  constructor(
    readonly engine: DurableEngine,
    config: SideBySideConfig,
  ) {
    const factory = (engine === 'hashicorp' ? hashicorpDriverFactory : inProcessDriverFactory) as NodeDriverFactory<WireMessage>;
    const { simulation, report } = prepareDurableRun({
      seed: config.seed,
      nodeCount: config.nodeCount,
      nemesis: config.nemesis,
      timeMs: config.timeMs,
      diskFaults: [],
      engine,
      drivers: (init) => this.observed(factory(init)),
    });
    this.simulation = simulation;
    this.faults = report.options.plan.steps.map((step) => ({ atMs: step.atMs, text: describeAction(step.action) }));
  }

  /** Processes events until the pane's time reaches `targetMs` (or the run ends). */
  async advanceTo(targetMs: number): Promise<void> {
    for (let events = 0; !this.done && this.simulation.now < targetMs; events++) {
      if (events >= eventsPerFrameMax) throw new Error(`${this.engine}: more than ${eventsPerFrameMax} events before ${targetMs} ms`);
      this.done = !(await this.simulation.step());
      this.events++;
    }
  }

  frame(): PaneFrame {
    const nodes = this.simulation.nodeIds.map((id) => paneNode(id, this.statuses.get(id)));
    return {
      engine: this.engine,
      nowMs: this.simulation.now,
      eventCount: this.events,
      nodes,
      leaderChangeCount: this.leaderChanges.length,
      done: this.done,
    };
  }

  private observed(driver: NodeDriver<WireMessage>): NodeDriver<WireMessage> {
    return {
      terminate: () => driver.terminate(),
      handleBatch: async (batch) => {
        const result = await driver.handleBatch(batch);
        this.remember(result.status);
        return result;
      },
    };
  }

  private remember(status: NodeStatus): void {
    const before = this.statuses.get(status.id);
    const up = status.role.startsWith('State');
    // A node that is down keeps showing the numbers it had when it went down.
    this.statuses.set(status.id, up || before === undefined ? status : { ...before, role: status.role });
    if (status.role !== 'StateLeader' || this.leaderTerm.get(status.id) === status.term) return;
    this.leaderTerm.set(status.id, status.term);
    this.leaderChanges.push({ timeMs: this.simulation.now, node: status.id, term: status.term });
  }
}

function paneNode(id: NodeId, status: NodeStatus | undefined): PaneNode {
  if (status === undefined) return { id, role: 'down', term: 0, commit: 0, lead: 0 };
  const role = status.role.startsWith('State') ? status.role.slice('State'.length).toLowerCase() : status.role;
  return { id, role, term: status.term, commit: status.commit, lead: status.lead };
}

export class SideBySideRun {
  readonly panes: Pane[];
  readonly frames: SideBySideFrame[] = [];
  /** The nemesis plan's steps, the same for both panes (the plan comes from the seed alone). */
  readonly faults: readonly FaultStep[];

  constructor(readonly config: SideBySideConfig) {
    if (!Number.isSafeInteger(config.seed) || config.seed < 0) throw new RangeError(`seed ${config.seed} must be a non-negative integer`);
    this.panes = sideBySideEngines.map((engine) => new Pane(engine, config));
    this.faults = this.panes[0].faults;
    if (JSON.stringify(this.panes[1].faults) !== JSON.stringify(this.faults)) throw new Error(`seed ${config.seed}: the two engines got different fault plans`);
    this.frames.push(this.snapshot(0));
  }

  get done(): boolean {
    return this.panes.every((pane) => pane.done);
  }

  leaderChanges(engine: DurableEngine): readonly LeaderChange[] {
    return this.panes.find((pane) => pane.engine === engine)?.leaderChanges ?? [];
  }

  /** Records frames until one at `timeMs` exists (or both runs ended); returns the last frame's index. */
  async recordUntil(timeMs: number): Promise<number> {
    while (!this.done && this.frames[this.frames.length - 1].timeMs < timeMs) {
      if (this.frames.length >= sideBySideFramesMax) break;
      const next = this.frames[this.frames.length - 1].timeMs + frameMs;
      // Lockstep: both panes reach the same simulated time before the frame is taken.
      for (const pane of this.panes) await pane.advanceTo(next);
      this.frames.push(this.snapshot(next));
    }
    return this.frames.length - 1;
  }

  /** The recorded frame at or before `timeMs`. */
  frameAt(timeMs: number): SideBySideFrame {
    const index = Math.min(this.frames.length - 1, Math.max(0, Math.floor(timeMs / frameMs)));
    return this.frames[index];
  }

  async terminate(): Promise<void> {
    for (const pane of this.panes) await pane.simulation.terminate();
  }

  private snapshot(timeMs: number): SideBySideFrame {
    return { timeMs, panes: this.panes.map((pane) => pane.frame()) };
  }
}
