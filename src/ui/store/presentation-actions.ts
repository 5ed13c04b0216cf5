// Actions for scenarios, captions, presentation mode, the theme and the keyboard. Like the run's
// actions they are module-level functions over the one store, callable from components, tests
// and window.raftlab. Captions are derived from the run's trace (scenarios/captions.ts).
import type { AppRun } from '../model/app-run';
import { activeCaptionIndex, captionFirings, type CaptionFiring } from '../scenarios/captions';
import { builtInScenarios, runConfigOf, scenarioById } from '../scenarios/catalog';
import type { BuiltInScenario } from '../scenarios/scenario-file';
import { appStore, defaultRunConfig } from './app-store';
import type { Theme } from './presentation-slice';
import { currentRun, newRun, pause, play, seek, setSpeed, step } from './run-actions';

/** Starts the scenario from its beginning at its own speed. */
export function loadScenario(id: string): void {
  const scenario = scenarioById(id);
  if (scenario === undefined)
    throw new Error(`no scenario "${id}" (known: ${builtInScenarios.map((s) => s.id).join(', ')})`);
  newRun(runConfigOf(scenario));
  setSpeed(scenario.speed);
}

/** Digit keys 1..9 pick the scenarios in the picker's order; false when there is none. */
export function loadScenarioNumber(number: number): boolean {
  const scenario = builtInScenarios[number - 1];
  if (!Number.isInteger(number) || scenario === undefined) return false;
  loadScenario(scenario.id);
  return true;
}

/** Back to a free run with the same seed and node count, and no faults. */
export function leaveScenario(): void {
  const { config } = appStore.getState();
  newRun({ ...defaultRunConfig, seed: config.seed, nodeCount: config.nodeCount });
}

export function currentScenario(): BuiltInScenario | null {
  const id = appStore.getState().config.scenario?.id;
  return id === undefined ? null : (scenarioById(id) ?? null);
}

const firingsCache = new WeakMap<AppRun, { key: string; firings: CaptionFiring[] }>();

function firingsOf(run: AppRun, scenario: BuiltInScenario): CaptionFiring[] {
  const violationEvent = run.violation?.eventCount ?? null;
  const endEvent = run.done ? run.eventCount : null;
  const key = `${scenario.id}|${run.trace.eventCount}|${violationEvent}|${endEvent}`;
  const cached = firingsCache.get(run);
  if (cached?.key === key) return cached.firings;
  const firings = captionFirings(scenario.captions, { trace: run.trace, violationEvent, endEvent });
  firingsCache.set(run, { key, firings });
  return firings;
}

export interface ShownCaption {
  index: number;
  count: number;
  text: string;
  pause: boolean;
}

/** The caption of the current scenario at the current position (null: none yet, or no scenario). */
export function currentCaption(): ShownCaption | null {
  const scenario = currentScenario();
  if (scenario === null) return null;
  const firings = firingsOf(currentRun(), scenario);
  const index = activeCaptionIndex(firings, appStore.getState().eventCount);
  if (index < 0) return null;
  const { text } = firings[index];
  return { index, count: scenario.captions.length, text, pause: scenario.captions[index].pause };
}

/**
 * Pauses playing when a caption marked `pause` appears, so a speaker can talk over it. A fast
 * frame may pass several captions at once: playing then stops at the first of them that pauses,
 * seeking back to its event. Returns the unsubscribe function.
 */
export function followCaptions(): () => void {
  let shownIndex = -1;
  return appStore.subscribe((state, previous) => {
    if (state.eventCount === previous.eventCount && state.config === previous.config) return;
    const scenario = currentScenario();
    const before = state.config === previous.config ? shownIndex : -1;
    shownIndex = currentCaption()?.index ?? -1;
    if (scenario === null || !state.playing || shownIndex <= before) return;
    const firings = firingsOf(currentRun(), scenario);
    for (let index = before + 1; index <= shownIndex; index++) {
      if (!scenario.captions[index].pause) continue;
      pause();
      if (index < shownIndex) seek(firings[index].eventCount);
      return;
    }
  });
}

export function setTheme(theme: Theme): void {
  appStore.setState({ theme, themeChosen: true });
}

export function toggleTheme(): void {
  setTheme(appStore.getState().theme === 'dark' ? 'light' : 'dark');
}

/** Follows the system's theme, unless the user has picked one. */
export function followSystemTheme(theme: Theme): void {
  if (!appStore.getState().themeChosen) appStore.setState({ theme });
}

export function setPresentation(on: boolean): void {
  appStore.setState({ presentation: on, captionsShown: on || appStore.getState().captionsShown });
}

export function togglePresentation(): void {
  setPresentation(!appStore.getState().presentation);
}

export function setCaptionsShown(shown: boolean): void {
  appStore.setState({ captionsShown: shown });
}

/** One event back: a seek to the position before (deterministic replay). */
export function stepBack(): void {
  const { eventCount } = appStore.getState();
  if (eventCount > 0) seek(eventCount - 1);
}

export function togglePlaying(): void {
  if (appStore.getState().playing) pause();
  else play();
}

/**
 * The keyboard: space plays or pauses, the right arrow steps, the left arrow steps back, digits
 * pick a scenario, p toggles presentation mode, d the dark theme, c the captions. Returns whether
 * the key was one of these (the caller then prevents the browser's default).
 */
export function handleKey(key: string): boolean {
  const state = appStore.getState();
  switch (key) {
    case ' ':
      togglePlaying();
      return true;
    case 'ArrowRight':
      if (!state.playing) step();
      return true;
    case 'ArrowLeft':
      if (state.playing) pause();
      stepBack();
      return true;
    case 'p':
      togglePresentation();
      return true;
    case 'd':
      toggleTheme();
      return true;
    case 'c':
      setCaptionsShown(!state.captionsShown);
      return true;
    default:
      return /^[1-9]$/.test(key) && loadScenarioNumber(Number(key));
  }
}
