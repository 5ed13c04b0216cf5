// "Step to the next message / election / commit" as a module-level action: pauses, steps the
// run until an event of that kind (bounded by stepUntilEventsMax), publishes, and says what it
// found in the store's stepUntilMessage.
import { stepUntil, type StepUntilKind, type StepUntilResult } from '../model/step-until';
import { appStore } from './app-store';
import { currentRun, pause, publish } from './run-actions';

export function stepToNext(kind: StepUntilKind): StepUntilResult {
  pause();
  const result = stepUntil(currentRun(), kind);
  publish();
  appStore.setState({
    stepUntilMessage: result.found
      ? `${kind} at event ${result.eventCount} (${result.steps} events on)`
      : result.reason,
  });
  return result;
}
