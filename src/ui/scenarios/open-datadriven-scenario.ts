// Opens a built-in datadriven scenario: loads its file's text (a chunk of its own), plays it in
// the datadriven panel from before its first command, and marks the panel with the scenario so
// the picker and the caption show it. The simulator's run is left as it is.
import { loadDatadriven } from '../store/datadriven-actions';
import { appStore } from '../store/app-store';
import { datadrivenScenarioById, datadrivenScenarios } from './datadriven-scenarios';

/** Counts the opens, so a slow load that a later open overtook is dropped. */
let opening = 0;

export async function openDatadrivenScenario(id: string): Promise<void> {
  const scenario = datadrivenScenarioById(id);
  if (scenario === undefined)
    throw new Error(
      `no datadriven scenario "${id}" (known: ${datadrivenScenarios.map((s) => s.id).join(', ')})`,
    );
  const ticket = ++opening;
  const text = await scenario.load();
  if (ticket !== opening) return;
  // The files are reviewed and tested, so a refusal here is a programmer error.
  if (!loadDatadriven(text, scenario.fileName))
    throw new Error(`${scenario.fileName}: ${appStore.getState().datadriven.loadError}`);
  appStore.setState((state) => ({ datadriven: { ...state.datadriven, scenarioId: scenario.id } }));
}

/** Forgets the scenario (the panel stays open on its file); the picker then shows the run's. */
export function leaveDatadrivenScenario(): void {
  opening++;
  if (appStore.getState().datadriven.scenarioId === null) return;
  appStore.setState((state) => ({ datadriven: { ...state.datadriven, scenarioId: null } }));
}

/** The scenario the picker shows for the datadriven panel: null unless one plays in the open panel. */
export function shownDatadrivenScenarioId(datadriven: {
  panelOpen: boolean;
  scenarioId: string | null;
}): string | null {
  return datadriven.panelOpen ? datadriven.scenarioId : null;
}
