// A durable run as the app keeps it across rewinds: the config, the person's interventions at the
// events they followed, the trace of everything seen so far (RunTrace, as in memory), and the
// DurableAppRun now on screen. The run is deterministic, so a rewind replays it from the start
// into a new branch of disks (new IndexedDB databases named with the branch), checking each
// replayed line against the recorded one; the branch it leaves is retired only once the new one
// stands at the target, so a failed or abandoned seek never costs the stored run. An
// intervention after a rewind forks the run: the trace ahead of it is forgotten.
import type { NodeId } from '../../raft/types';
import type { DurableInjection } from '../../sim/durable/durable-simulation';
import type { InterventionAction } from '../../sim/interventions';
import { checkLinearizability, type LinearizabilityReport } from '../../sim/run';
import { RunTrace } from '../model/run-trace';
import { DurableAppRun, type DurableRunConfig, type InspectableDrivers } from './durable-app-run';
import { durableLineKind, recordLine, RoleFollower, type AnsweredBatch } from './durable-trace';

/** A person's action in durable mode, applied right after event `afterEvent`. */
export interface DurableIntervention {
  afterEvent: number;
  action: DurableInjection;
}

export interface DurableSessionHooks {
  /** The drivers for a branch's disks. */
  drivers: (config: DurableRunConfig) => InspectableDrivers;
  /** Called once a branch is left for good (its processes ended): delete its disks. */
  retire?: (config: DurableRunConfig) => Promise<void>;
  /** Keeps a copy of the branch's disks as found (a resumed run's starting point). */
  keepBase?: (config: DurableRunConfig) => Promise<void>;
  /** Gives a new branch the kept copy's disks (before its processes start). */
  restoreBase?: (config: DurableRunConfig) => Promise<void>;
}

/** A durable run does what the nemesis can (crash, restart, pause, isolate, heal), and campaign. */
export function durableInjection(action: InterventionAction): DurableInjection | null {
  switch (action.kind) {
    case 'crash':
    case 'restart':
    case 'pause':
    case 'heal':
    case 'campaign':
      return action;
    case 'partition':
      return action.shape.kind === 'isolate' ? action : null;
    default:
      return null;
  }
}

/** Replayed events between two progress reports during a seek. */
const seekProgressEvents = 100;

export class DurableSession {
  readonly trace = new RunTrace();
  private interventions: DurableIntervention[] = [];
  private roles = new RoleFollower();
  private pendingBatches: AnsweredBatch[] = [];
  /** The run began from disks an earlier page left; baseKept: a copy of them is kept for new branches. */
  private resumed = false;
  private baseKept = false;
  /** Events the current branch has written lines for (boots included). */
  private lineEvents = 0;
  run: DurableAppRun;

  /** `interventions` replay a shared run: each applies after its event, as it did originally. */
  constructor(
    readonly config: DurableRunConfig,
    private readonly hooks: DurableSessionHooks,
    interventions: readonly DurableIntervention[] = [],
  ) {
    this.interventions = [...interventions].sort((a, b) => a.afterEvent - b.afterEvent);
    this.run = this.makeRun(config.branch ?? 0);
  }

  get branch(): number {
    return this.run.config.branch ?? 0;
  }

  get eventCount(): number {
    return this.run.eventCount;
  }

  get interventionList(): readonly DurableIntervention[] {
    return this.interventions;
  }

  private makeRun(branch: number): DurableAppRun {
    const config = { ...this.config, branch };
    const run = new DurableAppRun(config, this.hooks.drivers(config));
    run.onBatch((node, result) =>
      this.pendingBatches.push({ node, messages: result.messages, logLines: result.logLines }),
    );
    run.simulation.onLine((line) => this.onLine(run, line));
    this.lineEvents = 0;
    this.pendingBatches = [];
    this.roles.reset(run.nodeStates());
    return run;
  }

  /** Records a line (or, replaying, checks it equals the recorded one). */
  private onLine(run: DurableAppRun, line: string): void {
    if (run !== this.run) return;
    const batches = this.pendingBatches;
    this.pendingBatches = [];
    const kind = durableLineKind(line);
    if (kind === 'note') {
      const text = line.slice(line.indexOf(' ') + 1);
      const at = { eventCount: this.lineEvents, timeMs: Number(line.slice(0, line.indexOf(' '))) };
      const known = this.trace.notes.some(
        (note) => note.eventCount === at.eventCount && note.text === text,
      );
      if (!known) this.trace.notes.push({ ...at, node: null, text });
      return;
    }
    if (kind === 'inject') {
      const text = line.slice(line.indexOf(' inject ') + ' inject '.length);
      const known = this.trace.faults.some(
        (marker) =>
          marker.injected &&
          marker.eventCount === this.lineEvents &&
          text.startsWith(marker.text.split(' | ')[0]),
      );
      if (!known) recordLine(this.trace, line, this.lineEvents, batches, 'inject');
      return;
    }
    this.lineEvents++;
    if (this.lineEvents <= this.trace.eventCount) {
      const recorded = this.trace.events[this.lineEvents - 1].line;
      if (recorded !== line)
        throw new Error(`replay diverged at event ${this.lineEvents}: "${line}" != "${recorded}"`);
      return;
    }
    recordLine(this.trace, line, this.lineEvents, batches, 'event');
  }

  /**
   * The run starts from the disks as found (an earlier page's), not from empty ones: keeps a
   * copy of them so a rewind can replay from the same start. Only before the first step.
   */
  async resumeFromFoundDisks(): Promise<void> {
    if (this.run.eventCount !== 0 || this.trace.eventCount !== 0)
      throw new Error('resume before the first step only');
    this.resumed = true;
    if (this.hooks.keepBase === undefined || this.hooks.restoreBase === undefined) return;
    await this.hooks.keepBase(this.run.config);
    this.baseKept = true;
  }

  /** Whether a rewind can replay the run from its start. */
  get canRewind(): boolean {
    return !this.resumed || this.baseKept;
  }

  /** Whether the trace already holds what happens next (a replay after a rewind). */
  private get replaying(): boolean {
    return this.lineEvents < this.trace.eventCount;
  }

  /** Processes one step of the run (the first boots every node); false once it is over. */
  async step(): Promise<boolean> {
    const recording = !this.replaying;
    const more = await this.run.step();
    this.roles.follow(
      this.run.nodeStates(),
      { eventCount: this.run.eventCount, timeMs: this.run.nowMs },
      recording ? this.trace : null,
    );
    await this.applyInterventionsAt(this.run.eventCount);
    return more;
  }

  private async applyInterventionsAt(eventCount: number): Promise<void> {
    for (const item of this.interventions) {
      if (item.afterEvent !== eventCount || this.run.done) continue;
      const recording = !this.trace.faults.some(
        (marker) => marker.injected && marker.eventCount === eventCount,
      );
      await this.run.inject(item.action);
      this.roles.follow(
        this.run.nodeStates(),
        { eventCount, timeMs: this.run.nowMs },
        recording ? this.trace : null,
      );
    }
  }

  /**
   * Applies a person's action now and records it; after a rewind it forks the run (the trace
   * and interventions past this point are forgotten). Returns the transcript line.
   */
  async intervene(action: DurableInjection): Promise<string> {
    if (this.run.eventCount === 0)
      throw new Error('step once first: the nodes boot in the first step');
    const eventCount = this.run.eventCount;
    this.trace.truncate(eventCount);
    this.interventions = this.interventions.filter((item) => item.afterEvent <= eventCount);
    this.interventions.push({ afterEvent: eventCount, action });
    const line = await this.run.inject(action);
    this.roles.follow(this.run.nodeStates(), { eventCount, timeMs: this.run.nowMs }, this.trace);
    return line;
  }

  /** The event count a seek to `eventCount` lands on: the boots come in one step. */
  landing(eventCount: number): number {
    const bootEvents = this.run.nodeIds.length;
    return eventCount > 0 && eventCount <= bootEvents ? bootEvents + 1 : eventCount;
  }

  /**
   * Moves to just after event `eventCount`. Ahead, it steps on; behind, it replays the run from
   * the start into a new branch of disks and retires the old branch once there.
   */
  async seek(
    eventCount: number,
    progress: (eventCount: number) => void = () => undefined,
  ): Promise<void> {
    if (!(Number.isSafeInteger(eventCount) && eventCount >= 0))
      throw new Error(`seek needs an event count >= 0, got ${eventCount}`);
    const target = this.landing(eventCount);
    if (target < this.run.eventCount) await this.rewindTo(target, progress);
    await this.stepUntil(target, progress);
  }

  private async stepUntil(target: number, progress: (eventCount: number) => void): Promise<void> {
    let sinceReport = 0;
    while (this.run.eventCount < target && (await this.step())) {
      if (++sinceReport >= seekProgressEvents) {
        sinceReport = 0;
        progress(this.run.eventCount);
      }
    }
  }

  private async rewindTo(target: number, progress: (eventCount: number) => void): Promise<void> {
    if (!this.canRewind)
      throw new Error('the disks this run resumed from were not kept: it cannot be replayed');
    const old = this.run;
    const next = this.branch + 1;
    if (this.resumed) await this.hooks.restoreBase!({ ...this.config, branch: next });
    this.run = this.makeRun(next);
    try {
      await this.stepUntil(target, progress);
    } catch (error) {
      // Back to the branch we left, whose disks and processes are untouched.
      const failed = this.run;
      this.run = old;
      this.lineEvents = old.eventCount;
      this.roles.reset(old.nodeStates());
      await failed.terminate();
      await this.hooks.retire?.(failed.config);
      throw error;
    }
    await old.terminate();
    // The old disks are deleted behind the seek: nothing waits for them, and a deletion cut
    // short (the page closed) leaves only unused databases.
    void this.hooks.retire?.(old.config).catch(() => undefined);
  }

  /** Ends the current branch's processes (its disks stay). */
  terminate(): Promise<void> {
    return this.run.terminate();
  }

  nodeIds(): readonly NodeId[] {
    return this.run.nodeIds;
  }

  checkHistory(): LinearizabilityReport {
    return checkLinearizability(this.run.history());
  }
}
