// The migration page's state: a vanilla zustand store of plain data, apart from the app's run
// store because the page runs no in-memory simulation. The recordings and the side-by-side run
// (the model) live in migration-actions.ts; the store holds what the views draw: the recording
// (its frames are the states a seek lands on), the step, and the side-by-side frame shown.
import { createStore } from 'zustand/vanilla';
import type { FaultKind } from '../../sim/nemesis/plan';
import type { MigrationRecording, MigrationScenarioId } from './migration-scenarios';
import type { MigrationPageView } from './migration-url';
import type { FaultStep, LeaderChange, SideBySideFrame } from './side-by-side';
import type { PaneLogLine } from './membership-pane';
import type { ScriptStep } from './membership-scenarios';

export interface EnginesState {
  seed: number;
  nemesis: FaultKind[];
  /** The membership scenario both clusters play; null for the seed's faults. */
  scenario: string | null;
  /** Membership steps a person added to the scenario (each at a simulated time). */
  steps: ScriptStep[];
  /** Membership scenarios: each pane's log up to the run's recorded end (a view cuts it at the frame's count). */
  logs: Record<string, readonly PaneLogLine[]>;
  /** The frame shown, one of the run's recorded frames. */
  frame: SideBySideFrame | null;
  frameIndex: number;
  /** Frames recorded so far; stepping beyond computes more. */
  frameCount: number;
  /** Leader changes per engine up to the run's recorded end (a view filters them by time). */
  leaderChanges: Record<string, readonly LeaderChange[]>;
  /** The nemesis plan both clusters follow. */
  faults: readonly FaultStep[];
  playing: boolean;
  computing: boolean;
  /** Both runs ended (the time control stops there). */
  done: boolean;
  error: string | null;
}

export interface MigrationPageState {
  view: MigrationPageView;
  problems: string[];
  scenario: MigrationScenarioId;
  seed: number;
  recording: MigrationRecording | null;
  loading: boolean;
  /** Wall ms the recording took to compute (shown, never asserted). */
  computeMs: number | null;
  error: string | null;
  step: number;
  playing: boolean;
  engines: EnginesState;
}

export function initialMigrationState(): MigrationPageState {
  return {
    view: 'migration',
    problems: [],
    scenario: 'migration',
    seed: 1,
    recording: null,
    loading: false,
    computeMs: null,
    error: null,
    step: 0,
    playing: false,
    engines: {
      seed: 1,
      nemesis: [],
      scenario: null,
      steps: [],
      logs: {},
      frame: null,
      frameIndex: 0,
      frameCount: 0,
      leaderChanges: {},
      faults: [],
      playing: false,
      computing: false,
      done: false,
      error: null,
    },
  };
}

export const migrationStore = createStore<MigrationPageState>()(() => initialMigrationState());
