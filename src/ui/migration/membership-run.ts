// The membership side by side: one scenario's script (membership changes, crashes, client
// writes) on an etcd-engine and a HashiCorp-engine cluster in lockstep on simulated time. Every
// tick both panes run one round; an action due at time t runs in both before their round at t;
// every frameMs a frame of both is recorded, in the side-by-side frame shape so the time control,
// the role strips and the node tables are the same as for a seed's faults.
import type { RpcMessage } from '../../engines/hashicorp/types';
import type { Message } from '../../raft/types';
import { durableHostSettings } from '../../sim/durable/durable-simulation';
import { hashicorpDurableSettings } from '../../sim/durable/hashicorp-driver';
import { etcdMembershipEngine, hashicorpMembershipEngine } from './membership-engines';
import { MembershipPane, type PaneMembership, type ScriptAction } from './membership-pane';
import { extraStepsMax, membershipScenario, type MembershipScenario, type ScriptStep } from './membership-scenarios';
import { frameMs, sideBySideFramesMax, type FaultStep, type LeaderChange, type PaneFrame, type SideBySideFrame } from './side-by-side';
import type { DurableEngine } from '../../sim/durable/durable-run';

/** Simulated ms per round (one tick of every node). */
export const membershipTickMs = 10;

/**
 * Both engines on the durable runs' time scale (tick 10 ms, election 10 ticks; HashiCorp's
 * timeouts scaled to it), with small snapshot thresholds so that catching up by snapshot shows
 * within seconds: a snapshot every 20 applied entries, 5 entries kept behind it.
 */
export const membershipEtcdSettings = {
  ...durableHostSettings,
  tickIntervalMs: membershipTickMs,
  snapshotThresholdEntries: 20,
  snapshotCatchUpEntries: 5,
  walSegmentBytesMax: 64 * 1024,
};
export const membershipHashicorpSettings = hashicorpDurableSettings({ id: 0, bootstrapPeers: null, settings: membershipEtcdSettings });

export interface MembershipRunConfig {
  scenario: MembershipScenario;
  seed: number;
  /** Actions a person added (the view's buttons), each at a simulated time. */
  extraSteps: readonly ScriptStep[];
}

export type MembershipPaneFrame = PaneFrame & { membership: PaneMembership };
export interface MembershipFrame extends SideBySideFrame {
  panes: MembershipPaneFrame[];
}

/** An action as one line of text (the pane logs, the strip's marks, the URL's `steps`). */
export function describeScriptAction(action: ScriptAction): string {
  switch (action.kind) {
    case 'writes':
      return action.everyMs === 0 ? 'writes stop' : `writes every ${action.everyMs} ms`;
    case 'heal':
      return 'heal';
    case 'replace':
      return `replace ${action.removed} by ${action.node}`;
    default:
      return `${action.kind} ${action.node}`;
  }
}

export class MembershipRun {
  readonly panes: [MembershipPane<Message>, MembershipPane<RpcMessage>];
  readonly frames: MembershipFrame[] = [];
  /** The script both panes follow, in time order (the scenario's steps and the added ones). */
  readonly steps: readonly ScriptStep[];
  private nextStep = 0;

  constructor(readonly config: MembershipRunConfig) {
    if (!Number.isSafeInteger(config.seed) || config.seed < 0) throw new RangeError(`seed ${config.seed} must be a non-negative integer`);
    if (config.extraSteps.length > extraStepsMax) throw new RangeError(`${config.extraSteps.length} added steps: at most ${extraStepsMax}`);
    const { scenario, seed } = config;
    const options = { seed, voters: scenario.voters, spares: scenario.spares, tickMs: membershipTickMs };
    this.panes = [
      new MembershipPane(etcdMembershipEngine(membershipEtcdSettings), options),
      new MembershipPane(hashicorpMembershipEngine(membershipHashicorpSettings), options),
    ];
    // A stable sort: added steps run after the scenario's at the same time.
    this.steps = [...scenario.steps, ...config.extraSteps].sort((a, b) => a.atMs - b.atMs);
    this.frames.push(this.snapshot(0));
  }

  get durationMs(): number {
    return this.config.scenario.durationMs;
  }

  get done(): boolean {
    return this.frames[this.frames.length - 1].timeMs >= this.durationMs;
  }

  /** The script's steps as marks for the strips (the faults row of the seed's side by side). */
  get faults(): FaultStep[] {
    return this.steps.map((step) => ({ atMs: step.atMs, text: describeScriptAction(step.action) }));
  }

  leaderChanges(engine: DurableEngine): readonly LeaderChange[] {
    return this.panes.find((pane) => pane.engine.engine === engine)?.leaderChanges ?? [];
  }

  /** The pane's log lines up to the frame's count. */
  paneLog(engine: DurableEngine): MembershipPane<Message | RpcMessage>['log'] {
    return this.panes.find((pane) => pane.engine.engine === engine)?.log ?? [];
  }

  /** Records frames until one at `timeMs` exists (or the scenario ended); returns the last frame's index. */
  async recordUntil(timeMs: number): Promise<number> {
    while (!this.done && this.frames[this.frames.length - 1].timeMs < timeMs && this.frames.length < sideBySideFramesMax) {
      const next = this.frames[this.frames.length - 1].timeMs + frameMs;
      for (let at = next - frameMs; at < next; at += membershipTickMs) await this.round(at);
      this.frames.push(this.snapshot(next));
    }
    return this.frames.length - 1;
  }

  frameAt(timeMs: number): MembershipFrame {
    const index = Math.min(this.frames.length - 1, Math.max(0, Math.floor(timeMs / frameMs)));
    return this.frames[index];
  }

  async terminate(): Promise<void> {
    // The hosts live in memory: nothing to stop.
  }

  /** Lockstep: the actions due at `atMs` run in both panes, then both run one round. */
  private async round(atMs: number): Promise<void> {
    while (this.nextStep < this.steps.length && this.steps[this.nextStep].atMs <= atMs) {
      const action = this.steps[this.nextStep++].action;
      for (const pane of this.panes) pane.apply(action);
    }
    for (const pane of this.panes) await pane.runRound();
  }

  private snapshot(timeMs: number): MembershipFrame {
    return { timeMs, panes: this.panes.map((pane) => pane.frame(timeMs >= this.durationMs)) };
  }
}

/** A scenario run by id; throws for an unknown id. */
export function membershipRun(id: string, seed: number, extraSteps: readonly ScriptStep[] = []): MembershipRun {
  const scenario = membershipScenario(id);
  if (scenario === undefined) throw new Error(`unknown membership scenario ${id}`);
  return new MembershipRun({ scenario, seed, extraSteps });
}
