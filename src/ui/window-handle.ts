// window.raftlab: a deterministic handle for browser tests and for curious users in devtools.
// Tests wait on eventCount (a counter the simulator owns), never on wall-clock sleeps.
import { appStore, type AppState } from './store/app-store';
import * as runActions from './store/run-actions';
import * as viewActions from './store/view-actions';

export interface RaftlabHandle {
  /** The store's current state (plain data). */
  state(): AppState;
  /** The transcript lines of the events up to the cursor. */
  transcript(): string[];
  actions: typeof runActions & typeof viewActions;
}

declare global {
  interface Window {
    raftlab?: RaftlabHandle;
  }
}

export function installWindowHandle(target: Window): void {
  target.raftlab = {
    state: () => appStore.getState(),
    transcript: () =>
      runActions
        .currentRun()
        .trace.events.slice(0, appStore.getState().eventCount)
        .map((event) => event.line),
    actions: { ...runActions, ...viewActions },
  };
}
