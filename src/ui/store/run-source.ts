// Where the shared panels (timeline, event log, checkers) read the run's trace and send seeks:
// the in-memory run (run-actions.ts) unless another mode installs its own source. Durable mode
// does (src/ui/durable): its trace is the same RunTrace, recorded from nodes in Web Workers, and
// its seeks are async replays. The panels stay one copy for both modes.
import type { RunTrace } from '../model/run-trace';
import * as memory from './run-actions';

export interface RunSource {
  trace(): RunTrace;
  /** The simulated moment the views draw. */
  displayTime(): number;
  seek(eventCount: number): void;
  seekToTime(timeMs: number): void;
  checkHistoryNow(): void;
}

const memorySource: RunSource = {
  trace: () => memory.currentRun().trace,
  displayTime: memory.displayTime,
  seek: memory.seek,
  seekToTime: memory.seekToTime,
  checkHistoryNow: memory.checkHistoryNow,
};

let source: RunSource = memorySource;

/** Makes `next` the panels' source (null: back to the in-memory run). */
export function installRunSource(next: RunSource | null): void {
  source = next ?? memorySource;
}

export const currentTrace = (): RunTrace => source.trace();
export const displayTime = (): number => source.displayTime();
export const seek = (eventCount: number): void => source.seek(eventCount);
export const seekToTime = (timeMs: number): void => source.seekToTime(timeMs);
export const checkHistoryNow = (): void => source.checkHistoryNow();
