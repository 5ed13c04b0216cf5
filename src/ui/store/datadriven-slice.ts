// The datadriven slice of the app's store: the file being played and the results of the
// commands run so far (plain data; the playback itself lives in datadriven-actions.ts).
import type { StateCreator } from 'zustand/vanilla';
import type { DatadrivenCommand, DatadrivenResult } from '../model/datadriven-playback';

export interface DatadrivenState {
  panelOpen: boolean;
  fileName: string | null;
  commands: DatadrivenCommand[];
  /** Results of the commands run so far, in file order. */
  results: DatadrivenResult[];
  /** The command shown: an index into commands; -1 before the first. */
  position: number;
  /** Why the last file was refused (it names the line), or null. */
  loadError: string | null;
  /** The built-in datadriven scenario playing (src/ui/scenarios/datadriven-scenarios.ts), or null. */
  scenarioId: string | null;
}

export interface DatadrivenSlice {
  datadriven: DatadrivenState;
}

export const initialDatadrivenState: DatadrivenState = {
  panelOpen: false,
  fileName: null,
  commands: [],
  results: [],
  position: -1,
  loadError: null,
  scenarioId: null,
};

export const datadrivenSlice: StateCreator<DatadrivenSlice, [], [], DatadrivenSlice> = () => ({
  datadriven: initialDatadrivenState,
});
