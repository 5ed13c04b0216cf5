// One run as the app drives it: a Simulation from the seed and options, stepped one event at a
// time, recording a trace of what each event did (transcript lines, each message's flight, the
// engines' log lines); the user's interventions (faults, elections, conf changes, tampering with
// messages and links, client operations) at the event they happened after; and seeking. A seek back restores the latest checkpoint (a
// clone of the simulation, taken every so many events) at or before the target and replays the
// events and interventions from there. The run is deterministic, so the replayed lines must
// equal the recorded ones; a difference is a bug and throws.
import type { NodeId } from '../../raft/types';
import type { FaultKind as NemesisFaultKind } from '../../sim/nemesis/plan';
import type { InterventionAction } from '../../sim/interventions';
import type { Intervention } from './intervention-text';
import { createSimulation, resolveRunOptions, type RunOptions } from '../../sim/run';
import { SimulationCheckpoints } from '../../sim/checkpoints';
import type { LinkOverride } from '../../sim/network/faulty-network';
import type { Simulation, ViolationReport } from '../../sim/simulation';
import type { SimEventRecord } from '../../sim/simulation-events';
import { nodeStateOf, type NodeState, type UiRole } from './node-state';
import type { HistoryEvent } from '../../sim/workload/history';
import { linearizabilityViewOf, type LinearizabilityView } from './linearizability-view';
import { RunTrace, traceEngineLogLinesMax } from './run-trace';
import { duplicateFlightId, parseTranscriptLine } from './transcript-events';
import { MessageType } from '../../raft/types';
import type { ReadMode } from '../../sim/process/kv-node';

/** 'seed' lets the seed choose the faults (as `npx raftlab run` does); a list switches those on. */
export type NemesisChoice = 'seed' | readonly NemesisFaultKind[];

export interface RunConfig {
  seed: number;
  nodeCount: number;
  nemesis: NemesisChoice;
  /** A built-in scenario (src/ui/scenarios): its plan and options replace the nemesis choice. */
  scenario?: ScenarioRunConfig;
  /**
   * Options chosen beside the defaults: the read mode and bug switches (the controls), the time
   * (a sweep's). They override a scenario's, as the CLI's flags would.
   */
  options?: RunConfigOptions;
}

/** The run options the controls, the URL and a sweep may set (`--time`, `--reads`, `--bug`). */
export type RunConfigOptions = Pick<RunOptions, 'timeMs' | 'reads' | 'bugs'>;

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

export type { Intervention };

/** The options `raftlab run` takes for this run (interventions aside), as a trace records them. */
export function runOptionsOf(config: RunConfig): RunOptions {
  return {
    seed: config.seed,
    nodeCount: config.nodeCount,
    ...(config.nemesis === 'seed' ? {} : { nemesis: [...config.nemesis] }),
    ...config.scenario?.options,
    ...config.options,
  };
}

/** The read mode a run uses: the one chosen, or the seed's pick (as `raftlab run` prints it). */
export function readModeOf(config: RunConfig): ReadMode {
  return resolveRunOptions(runOptionsOf(config)).reads;
}

/** Which future of a run the cursor is on (1: the seed's own; each fork adds one). */
export interface FutureInfo {
  number: number;
  count: number;
  /** The event the current future forked after; null on the seed's own future. */
  forkedAtEvent: number | null;
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
  /** The transcript hash of the finished run, kept while the cursor stays at its end. */
  private finishedHash: { eventCount: number; hash: string } | null = null;
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
    // The trace keeps every line (the observer hands them over), so the simulation keeps none:
    // that keeps its checkpoints small.
    const simulation = createSimulation(runOptionsOf(this.config));
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
    const line = record.lines[0];
    if (this.events <= this.trace.eventCount) {
      const recorded = this.trace.events[this.events - 1].line;
      if (recorded !== line)
        throw new Error(`replay diverged at event ${this.events}: "${line}" != "${recorded}"`);
      this.noteRoleChanges(false);
    } else {
      this.record(record);
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
   * Moves to just after event `eventCount`. Behind, or ahead by more than a checkpoint spacing,
   * it restores the latest checkpoint at or before it and replays from there (at most a
   * checkpoint spacing of events).
   */
  seek(eventCount: number): void {
    if (!(Number.isSafeInteger(eventCount) && eventCount >= 0))
      throw new Error(`seek needs an event count >= 0, got ${eventCount}`);
    // Far ahead within the known run, a checkpoint past the cursor saves replaying the gap
    // (checkpoints sit at multiples of the spacing up to the furthest event reached).
    const behind = eventCount < this.events;
    const spacing = this.checkpoints.spacingEvents;
    const farAhead = Math.floor(eventCount / spacing) * spacing > this.events;
    if (behind || farAhead) {
      const checkpoint = this.checkpoints.restore(eventCount);
      if (checkpoint !== null && (behind || checkpoint.eventCount > this.events))
        this.adopt(checkpoint.simulation, checkpoint.eventCount);
      else if (behind) this.restart();
    }
    while (this.events < eventCount && this.step()) {
      // Each step replays (or runs) one event.
    }
  }

  /** Applies a user action now; after a rewind this forks the run, forgetting the old future. */
  intervene(action: InterventionAction): string {
    this.finishedHash = null;
    this.trace.truncate(this.events);
    this.checkpoints.forgetFrom(this.events);
    this.interventions = this.interventions.filter((item) => item.afterEvent <= this.events);
    this.interventions.push({ afterEvent: this.events, action });
    const line = this.applyIntervention(action);
    this.checkpoints.offer(this.events, this.simulation);
    return line;
  }

  /** Which future the cursor is on: forks (fork-workload) at or before it, and in all. */
  future(): FutureInfo {
    const forks = this.interventions.filter((item) => item.action.kind === 'fork-workload');
    const behind = forks.filter((item) => item.afterEvent <= this.events);
    return {
      number: behind.length + 1,
      count: forks.length + 1,
      forkedAtEvent: behind.length === 0 ? null : behind[behind.length - 1].afterEvent,
    };
  }

  /**
   * Forks a new future here: the past stays, the recorded future (events and interventions
   * ahead) is dropped, and from now on the clients draw from a new random stream, so the run
   * goes another way. Recorded like any intervention, so a rewind, the URL and a trace keep it.
   */
  fork(): string {
    // The salt only has to differ from the forks kept at or before this point.
    return this.intervene({ kind: 'fork-workload', salt: this.future().number + 1 });
  }

  private applyInterventionsAt(eventCount: number): void {
    for (const item of this.interventions)
      if (item.afterEvent === eventCount) this.applyIntervention(item.action);
  }

  /** Injects the action; records it in the trace unless a replay already recorded it. */
  private applyIntervention(action: InterventionAction): string {
    this.stepRecord = null;
    const line = this.simulation.inject(action);
    const fault = parseTranscriptLine(line).fault;
    if (fault === null) throw new Error(`an intervention the transcript cannot read: ${line}`);
    const known = this.trace.faults.some(
      (marker) =>
        marker.injected && marker.eventCount === this.events && marker.text === fault.text,
    );
    if (!known) {
      const timeMs = this.nowMs;
      this.trace.faults.push({ ...fault, eventCount: this.events, timeMs, injected: true });
      const record = this.stepRecord as SimEventRecord | null;
      if (record !== null) this.recordMessagesAndLogs(record, this.events, timeMs);
      this.recordFlightTampering(action, fault.text);
    }
    this.noteRoleChanges(!known);
    return line;
  }

  /** A drop marks the flight lost from now on; a duplicate adds the copy's flight. */
  private recordFlightTampering(action: InterventionAction, text: string): void {
    if (action.kind !== 'drop-message' && action.kind !== 'duplicate-message') return;
    const index = this.trace.flightIndexOf(action.flightId);
    if (index < 0) return;
    const flight = this.trace.flights[index];
    if (action.kind === 'drop-message') {
      if (text.endsWith(')')) return; // refused: it was no longer in flight
      flight.droppedAt = { eventCount: this.events, timeMs: this.nowMs };
      this.trace.drops.push({ eventCount: this.events, flightIndex: index });
      return;
    }
    const copyId = duplicateFlightId(text);
    if (copyId === null || flight.arriveMs === null) return;
    this.trace.addFlight({
      ...flight,
      sentEvent: this.events,
      sentMs: this.nowMs,
      arriveMs: flight.arriveMs + action.delayMs,
      copy: flight.copy + 1,
      flightId: copyId,
      message: null,
      droppedAt: null,
    });
  }

  private record(record: SimEventRecord): void {
    const [line, ...extraLines] = record.lines;
    const parsed = parseTranscriptLine(line);
    const eventCount = this.events;
    const { timeMs } = parsed;
    this.trace.events.push({ eventCount, timeMs, kind: parsed.kind, node: parsed.node, line });
    this.recordMessagesAndLogs(record, eventCount, timeMs);
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

  /** The messages an event (or intervention) sent, each copy a flight, and the engines' lines. */
  private recordMessagesAndLogs(record: SimEventRecord, eventCount: number, timeMs: number): void {
    for (const sent of record.sent) {
      const { message } = sent;
      const base = {
        type: MessageType[message.type],
        from: message.from,
        to: message.to,
        term: message.term,
        sentEvent: eventCount,
        sentMs: timeMs,
        droppedAt: null,
      };
      if (sent.lostBecause !== null) {
        const lostBecause = sent.lostBecause;
        this.trace.addFlight({
          ...base,
          arriveMs: null,
          lostBecause,
          copy: 0,
          flightId: null,
          message,
        });
        continue;
      }
      sent.deliverAtMs.forEach((arriveMs, copy) =>
        this.trace.addFlight({
          ...base,
          arriveMs,
          lostBecause: null,
          copy,
          flightId: sent.flightIds[copy],
          message: copy === 0 ? message : null,
        }),
      );
    }
    const room = traceEngineLogLinesMax - this.trace.engineLog.length;
    for (const entry of record.engineLog.slice(0, Math.max(0, room)))
      this.trace.engineLog.push({
        eventCount,
        timeMs,
        node: entry.node,
        level: entry.level,
        text: entry.text,
      });
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

  /**
   * The whole run's transcript hash once the run is over, as `raftlab run` prints it (with
   * interventions it covers their lines too); null before the end. Hashing a clone leaves this
   * simulation's transcript open.
   */
  transcriptHash(): string | null {
    if (!this.done) return null;
    if (this.finishedHash?.eventCount !== this.events)
      this.finishedHash = {
        eventCount: this.events,
        hash: this.simulation.clone().result().transcriptHash,
      };
    return this.finishedHash.hash;
  }

  nodeStates(): NodeState[] {
    return this.simulation.nodeDetails(logCellsMax).map(nodeStateOf);
  }

  /** The directed links cut now (by the partition, or by hand). */
  cutLinks(): [NodeId, NodeId][] {
    return this.simulation.cutLinks().map((link) => [link.from, link.to]);
  }

  /** What was done by hand to the link from `from` to `to` (null: nothing). */
  linkOverride(from: NodeId, to: NodeId): LinkOverride | null {
    const found = this.simulation
      .linkState()
      .overrides.find((item) => item.from === from && item.to === to);
    return found === undefined ? null : { ...found.override };
  }

  /** Every link changed by hand now (cut, slower or lossy), one entry per direction. */
  linkOverrides(): { from: NodeId; to: NodeId; override: LinkOverride }[] {
    return this.simulation
      .linkState()
      .overrides.map(({ from, to, override }) => ({ from, to, override: { ...override } }));
  }

  /** The client history so far (invocations and completions, in order). */
  history(): readonly HistoryEvent[] {
    return this.simulation.history();
  }

  /**
   * Checks the client history so far (operations still open count as indeterminate), with what
   * the linearizability timeline draws.
   */
  checkHistory(stepsMax?: number): LinearizabilityView {
    return linearizabilityViewOf(this.simulation.history(), stepsMax);
  }
}
