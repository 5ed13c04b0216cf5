// Module-level actions for datadriven playback: load a file (pasted or picked), then move through
// its commands. Moving forward past the last command run executes the next one in the harness;
// moving back shows a kept result (the harness cannot rewind, and need not: results are kept).
import { DatadrivenPlayback } from '../model/datadriven-playback';
import { appStore } from './app-store';
import { initialDatadrivenState, type DatadrivenState } from './datadriven-slice';

let playback: DatadrivenPlayback | null = null;

function update(patch: Partial<DatadrivenState>): void {
  appStore.setState((state) => ({ datadriven: { ...state.datadriven, ...patch } }));
}

function publish(position: number): void {
  update({ results: playback === null ? [] : [...playback.results], position });
}

export function openDatadrivenPanel(open: boolean): void {
  update({ panelOpen: open });
}

/**
 * Loads a datadriven file; false (with loadError naming the line) when it is malformed. The
 * playback starts before the first command.
 */
export function loadDatadriven(text: string, fileName: string): boolean {
  const opened = DatadrivenPlayback.open(text, fileName);
  if (!opened.ok) {
    update({ loadError: opened.error });
    return false;
  }
  playback = opened.playback;
  update({
    ...initialDatadrivenState,
    panelOpen: true,
    fileName,
    commands: playback.commands,
  });
  return true;
}

/** Shows command `index`, running the commands up to it that have not run yet. */
export function datadrivenGoTo(index: number): void {
  if (playback === null) return;
  const target = Math.max(-1, Math.min(Math.floor(index), playback.commands.length - 1));
  while (playback.results.length <= target && playback.runNext() !== null) {
    // Each call runs one command in the harness.
  }
  publish(Math.min(target, playback.results.length - 1));
}

export function datadrivenNext(): void {
  datadrivenGoTo(appStore.getState().datadriven.position + 1);
}

export function datadrivenPrevious(): void {
  datadrivenGoTo(appStore.getState().datadriven.position - 1);
}

/** Runs the whole file (stopping early where the harness stops). */
export function datadrivenRunAll(): void {
  if (playback !== null) datadrivenGoTo(playback.commands.length - 1);
}

/** Whether the harness stopped at an error, so no later command can run. */
export function datadrivenStopped(): boolean {
  return playback?.stopped ?? false;
}
