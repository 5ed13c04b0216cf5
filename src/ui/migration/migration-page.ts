// The migration page (`?view=migration` or `?view=engines`): starts what the URL names, keeps
// the address bar shareable while nothing plays, and installs window.raftlabMigration, the
// handle browser tests drive it by (they wait on its promises and on data attributes, never on
// sleeps).
import {
  addEnginesStep,
  loadMigrationScenario,
  migrationIdle,
  migrationToEnd,
  playEngines,
  playMigration,
  seekEngines,
  seekMigration,
  startEngines,
} from './migration-actions';
import type { FaultKind } from '../../sim/nemesis/plan';
import type { MigrationScenarioId } from './migration-catalog';
import { migrationStore, type MigrationPageState } from './migration-store';
import { formatEnginesUrl, formatMigrationUrl, parseMigrationUrl } from './migration-url';
import type { ScriptAction } from './membership-pane';
import type { ScriptStep } from './membership-scenarios';

export { isMigrationUrl } from './migration-url';

export interface RaftlabMigrationHandle {
  state(): MigrationPageState;
  /** Records a scenario and shows it at `step` (resolves once recorded). */
  load(scenario: MigrationScenarioId, seed: number, step?: number): Promise<void>;
  /** Starts a new side-by-side run at `timeMs` (resolves once its frames up to then are computed). */
  startEngines(seed: number, nemesis: FaultKind[], timeMs?: number, scenario?: string | null, steps?: ScriptStep[]): Promise<void>;
  /** Adds a membership action at the time shown (membership scenarios only). */
  addEnginesStep(action: ScriptAction): Promise<void>;
  idle(): Promise<void>;
  seek(step: number): void;
  toEnd(): void;
  play(): void;
  seekEngines(frame: number): Promise<void>;
  playEngines(): void;
}

declare global {
  interface Window {
    raftlabMigration?: RaftlabMigrationHandle;
  }
}

function currentSearch(state: MigrationPageState): string | null {
  if (state.view === 'engines') {
    const frame = state.engines.frame;
    const { seed, nemesis, scenario, steps } = state.engines;
    return frame === null ? null : formatEnginesUrl({ seed, nemesis, timeMs: frame.timeMs, scenario, steps });
  }
  return state.recording === null ? null : formatMigrationUrl({ scenario: state.scenario, seed: state.seed, step: state.step });
}

export function startMigrationPage(search: string): void {
  const parsed = parseMigrationUrl(search);
  migrationStore.setState({ view: parsed.view, problems: parsed.problems });
  if (parsed.view === 'engines') void startEngines(parsed.seed, parsed.nemesis, parsed.timeMs, parsed.enginesScenario, parsed.steps);
  else void loadMigrationScenario(parsed.scenario, parsed.seed, parsed.step ?? 0);
  migrationStore.subscribe((state) => {
    if (state.playing || state.engines.playing) return;
    const next = currentSearch(state);
    if (next !== null && next !== window.location.search) window.history.replaceState(null, '', next);
  });
  window.raftlabMigration = {
    state: () => migrationStore.getState(),
    load: loadMigrationScenario,
    startEngines,
    addEnginesStep,
    idle: migrationIdle,
    seek: seekMigration,
    toEnd: migrationToEnd,
    play: playMigration,
    seekEngines,
    playEngines,
  };
}

/** Switches between the migration and the side-by-side view, keeping the seed. */
export function switchMigrationView(view: 'migration' | 'engines'): void {
  const state = migrationStore.getState();
  migrationStore.setState({ view, problems: [] });
  if (view === 'engines' && state.engines.frame === null) void startEngines(state.seed, ['partition', 'crash']);
  if (view === 'migration' && state.recording === null && !state.loading) void loadMigrationScenario(state.scenario, state.seed);
}
