// One run as the app drives it: a Simulation from the seed and options, stepped one event at a
// time, recording a trace of what each event did; the user's interventions (crash, restart) at
// the event they happened after; and seeking. A seek back restores the latest checkpoint (a
// clone of the simulation, taken every so many events) at or before the target and replays the
// events and interventions from there. The run is deterministic, so the replayed lines must
// equal the recorded ones; a difference is a bug and throws.
import type { NodeId } from '../../raft/types';
import type { FaultKind as NemesisFaultKind, NemesisAction } from '../../sim/nemesis/plan';
import {
  checkLinearizability,
  createSimulation,
  type LinearizabilityReport,
  type RunOptions,
} from '../../sim/run';
import { SimulationCheckpoints } from '../../sim/checkpoints';
import type { Simulation, ViolationReport } from '../../sim/simulation';
import type { SimEventRecord } from '../../sim/simulation-events';
import { nodeStateOf, type NodeState, type UiRole } from './node-state';
import type { HistoryEvent } from '../../sim/workload/history';
import { RunTrace } from './run-trace';
import { parseTranscriptLine } from './transcript-events';

/** 'seed' lets the seed choose the faults (as `npx raftlab run` does); a list switches those on. */
export type NemesisChoice = 'seed' | readonly NemesisFaultKind[];

export interface RunConfig {
  seed: number;
  nodeCount: number;
  nemesis: NemesisChoice;
  /** A built-in scenario (src/ui/scenarios): its plan and options replace the nemesis choice. */
  scenario?: ScenarioRunConfig;
}

/** The run options a built-in scenario fixes besides the seed and the node count. */
export type ScenarioRunOptions = Pick<
  RunOptions,
  'timeMs' | 'reads' | 'plan' | 'bugs' | 'maxSizePerMsg' | 'workload' | 'livenessBoundMs'
>;

export interface ScenarioRunConfig {
  /** The scenario's id, as the URL parameter `scenario` names it. */
  id: string;
  options: ScenarioRunOptions;
}

/** A user's action, applied right after event `afterEvent` (0: before the first event). */
export interface Intervention {
  afterEvent: number;
  action: NemesisAction;
}

/** Log entries per node the views get. */
export const logCellsMax = 64;

export class AppRun {
  readonly trace = new RunTrace();
  private simulation!: Simulation;
  /** The record of the event the last step processed (the simulation's onEvent). */
  private stepRecord: SimEventRecord | null = null;
  /** Clones of the simulation every so many events: a seek back restores one and steps on. */
  private checkpoints = new SimulationCheckpoints();
  private interventions: Intervention[] = [];
  private lastRoles = new Map<NodeId, { role: UiRole; term: number }>();
  /** Each node's commit index after the last event, to record its changes for the charts. */
  private lastCommits = new Map<NodeId, number>();

  /** Events processed so far. */
  private events = 0;
  /** True once the run is over: a violation, convergence, or the liveness bound. */
  done = false;

  /** `interventions` replay a shared run: each applies after its event, as it did originally. */
  constructor(
    readonly config: RunConfig,
    interventions: readonly Intervention[] = [],
  ) {
    this.interventions = [...interventions].sort((a, b) => a.afterEvent - b.afterEvent);
    this.restart();
  }

  get eventCount(): number {
    return this.events;
  }

  get nowMs(): number {
    return this.simulation.now;
  }

  get nodeIds(): readonly NodeId[] {
    return this.simulation.nodeIds;
  }

  get violation(): ViolationReport | null {
    return this.simulation.violationFound;
  }

  get interventionList(): readonly Intervention[] {
    return this.interventions;
  }

  /** When the next event is due (undefined once the run is over). */
  get nextEventMs(): number | undefined {
    return this.done ? undefined : this.simulation.nextEventMs;
  }

  private restart(): void {
    const { seed, nodeCount, nemesis } = this.config;
    // The trace keeps every line (the observer hands them over), so the simulation keeps none:
    // that keeps its checkpoints small.
    const simulation = createSimulation({
      seed,
      nodeCount,
      nemesis: nemesis === 'seed' ? undefined : nemesis,
      ...this.config.scenario?.options,
    });
    this.checkpoints = new SimulationCheckpoints();
    this.adopt(simulation, 0);
    this.applyInterventionsAt(0);
    this.checkpoints.offer(0, this.simulation);
  }

  /** Makes `simulation` (fresh, or a restored checkpoint after `eventCount` events) the run's. */
  private adopt(simulation: Simulation, eventCount: number): void {
    this.simulation = simulation;
    simulation.onEvent((record) => {
      this.stepRecord = record;
    });
    this.events = eventCount;
    this.done = simulation.over;
    this.lastRoles = new Map(this.nodeIds.map((id) => [id, this.roleOf(id)]));
    this.lastCommits = new Map(this.nodeIds.map((id) => [id, simulation.nodeSummary(id).commit]));
  }

  private roleOf(id: NodeId): { role: UiRole; term: number } {
    const { role, term } = this.simulation.nodeSummary(id);
    return { role, term };
  }

  /** Processes one event; false when the run is already over. */
  step(): boolean {
    if (this.done) return false;
    this.stepRecord = null;
    const more = this.simulation.step();
    this.done = !more;
    const record = this.stepRecord as SimEventRecord | null;
    if (record === null) return false;
    this.events++;
    const [line, ...extraLines] = record.lines;
    if (this.events <= this.trace.eventCount) {
      const recorded = this.trace.events[this.events - 1].line;
      if (recorded !== line)
        throw new Error(`replay diverged at event ${this.events}: "${line}" != "${recorded}"`);
      this.noteRoleChanges(false);
    } else {
      this.record(line, extraLines);
    }
    this.applyInterventionsAt(this.events);
    this.checkpoints.offer(this.events, this.simulation);
    return true;
  }

  /** Steps every event due at or before timeMs. */
  runUntil(timeMs: number, eventsMax = Number.MAX_SAFE_INTEGER): void {
    for (let stepped = 0; stepped < eventsMax; stepped++) {
      const next = this.nextEventMs;
      if (next === undefined || next > timeMs || !this.step()) return;
    }
  }

  /**
   * Moves to just after event `eventCount`. Behind, it restores the latest checkpoint at or
   * before it and replays from there (at most a checkpoint spacing of events).
   */
  seek(eventCount: number): void {
    if (!(Number.isSafeInteger(eventCount) && eventCount >= 0))
      throw new Error(`seek needs an event count >= 0, got ${eventCount}`);
    if (eventCount < this.events) {
      const checkpoint = this.checkpoints.restore(eventCount);
      if (checkpoint === null) this.restart();
      else this.adopt(checkpoint.simulation, checkpoint.eventCount);
    }
    while (this.events < eventCount && this.step()) {
      // Each step replays (or runs) one event.
    }
  }

  /** Applies a user action now; after a rewind this forks the run, forgetting the old future. */
  intervene(action: NemesisAction): string {
    this.trace.truncate(this.events);
    this.checkpoints.forgetFrom(this.events);
    this.interventions = this.interventions.filter((item) => item.afterEvent <= this.events);
    this.interventions.push({ afterEvent: this.events, action });
    const line = this.applyIntervention(action);
    this.checkpoints.offer(this.events, this.simulation);
    return line;
  }

  private applyInterventionsAt(eventCount: number): void {
    for (const item of this.interventions)
      if (item.afterEvent === eventCount) this.applyIntervention(item.action);
  }

  /** Injects the action; records it in the trace unless a replay already recorded it. */
  private applyIntervention(action: NemesisAction): string {
    const line = this.simulation.inject(action);
    const fault = parseTranscriptLine(line).fault;
    if (fault === null) throw new Error(`an intervention that is no fault: ${line}`);
    const known = this.trace.faults.some(
      (marker) =>
        marker.injected && marker.eventCount === this.events && marker.text === fault.text,
    );
    if (!known)
      this.trace.faults.push({
        ...fault,
        eventCount: this.events,
        timeMs: this.nowMs,
        injected: true,
      });
    this.noteRoleChanges(!known);
    return line;
  }

  private record(line: string, extraLines: readonly string[]): void {
    const parsed = parseTranscriptLine(line);
    const eventCount = this.events;
    const { timeMs } = parsed;
    this.trace.events.push({ eventCount, timeMs, kind: parsed.kind, node: parsed.node, line });
    for (const sent of parsed.sent) {
      const base = { ...sent, sentEvent: eventCount, sentMs: timeMs };
      if (sent.lostBecause !== null) {
        this.trace.addFlight({ ...base, arriveMs: null, copy: 0 });
        continue;
      }
      sent.deliverAtMs.forEach((arriveMs, copy) =>
        this.trace.addFlight({ ...base, arriveMs, lostBecause: null, copy }),
      );
    }
    if (parsed.fault !== null)
      this.trace.faults.push({ ...parsed.fault, eventCount, timeMs, injected: false });
    for (const text of extraLines)
      this.trace.notes.push({
        eventCount,
        timeMs,
        node: null,
        text: text.slice(text.indexOf(' ') + 1),
      });
    this.noteRoleChanges(true);
  }

  /** Follows each node's role and term; `recordIt` adds the changes to the trace. */
  private noteRoleChanges(recordIt: boolean): void {
    this.noteCommitChanges(recordIt);
    for (const id of this.nodeIds) {
      const now = this.roleOf(id);
      const before = this.lastRoles.get(id)!;
      if (now.role === before.role && now.term === before.term) continue;
      this.lastRoles.set(id, now);
      if (!recordIt) continue;
      const change = { eventCount: this.events, timeMs: this.nowMs, node: id, ...now };
      this.trace.roleChanges.push(change);
      if (now.role !== before.role) {
        const text =
          now.role === 'down' ? `${id} is down` : `${id} became ${now.role} at term ${now.term}`;
        this.trace.notes.push({ eventCount: this.events, timeMs: this.nowMs, node: id, text });
      }
    }
  }

  /** Follows each node's commit index; `recordIt` adds the changes to the trace. */
  private noteCommitChanges(recordIt: boolean): void {
    for (const id of this.nodeIds) {
      const commit = this.simulation.nodeSummary(id).commit;
      if (commit === this.lastCommits.get(id)) continue;
      this.lastCommits.set(id, commit);
      if (recordIt)
        this.trace.commitChanges.push({
          eventCount: this.events,
          timeMs: this.nowMs,
          node: id,
          commit,
        });
    }
  }

  nodeStates(): NodeState[] {
    return this.simulation.nodeDetails(logCellsMax).map(nodeStateOf);
  }

  /** The directed links cut now (by the partition, or by hand). */
  cutLinks(): [NodeId, NodeId][] {
    return this.simulation.cutLinks().map((link) => [link.from, link.to]);
  }

  /** The client history so far (invocations and completions, in order). */
  history(): readonly HistoryEvent[] {
    return this.simulation.history();
  }

  /** Checks the client history so far (operations still open count as indeterminate). */
  checkHistory(stepsMax?: number): LinearizabilityReport {
    return checkLinearizability(this.simulation.history(), stepsMax);
  }
}
