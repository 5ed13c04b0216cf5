// The tools slice of the app's store: the charts panel, what the last trace export or import
// said (a refused import says what is wrong with the file), and the last step-until result.
import type { StateCreator } from 'zustand/vanilla';

export interface ToolsSlice {
  chartsOpen: boolean;
  traceFile: { message: string | null; refused: boolean };
  /** What the last "step to next ..." found, e.g. "no commit within 100000 events". */
  stepUntilMessage: string | null;
}

export const toolsSlice: StateCreator<ToolsSlice, [], [], ToolsSlice> = () => ({
  chartsOpen: false,
  traceFile: { message: null, refused: false },
  stepUntilMessage: null,
});
