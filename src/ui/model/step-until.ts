// "Step to the next message / election / commit": steps events one at a time until one of the
// kind happens, reading the run's trace (which also describes a replayed stretch after a rewind).
// The loop is bounded: a run with no leader may never commit.
import type { AppRun } from './app-run';
import { parseTranscriptLine } from './transcript-events';

export type StepUntilKind = 'message' | 'election' | 'commit';
export const stepUntilKinds: readonly StepUntilKind[] = ['message', 'election', 'commit'];

/** Events one step-until may process before it gives up. */
export const stepUntilEventsMax = 100_000;

export type StepUntilResult =
  | { found: true; kind: StepUntilKind; eventCount: number; steps: number }
  | { found: false; kind: StepUntilKind; steps: number; reason: string };

/** Index of the first item recorded after event `eventCount`. */
function firstAfter(items: readonly { eventCount: number }[], eventCount: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (items[middle].eventCount <= eventCount) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Whether event `eventCount` (just processed) is of the kind wanted. */
function eventIs(run: AppRun, kind: StepUntilKind, eventCount: number): boolean {
  const trace = run.trace;
  switch (kind) {
    case 'message': {
      // A message delivered to a node (not one that arrived at a down or paused node).
      const event = trace.events[eventCount - 1];
      return event?.kind === 'deliver' && parseTranscriptLine(event.line).notTaken === null;
    }
    case 'election': {
      const changes = trace.roleChanges;
      for (let i = firstAfter(changes, eventCount - 1); i < changes.length; i++) {
        if (changes[i].eventCount !== eventCount) break;
        if (changes[i].role === 'leader') return true;
      }
      return false;
    }
    case 'commit':
      return commitRoseAt(trace.commitChanges, eventCount);
  }
}

/** Whether a node's commit index went up at the event (a crash lowers one to the durable value). */
function commitRoseAt(changes: AppRun['trace']['commitChanges'], eventCount: number): boolean {
  const first = firstAfter(changes, eventCount - 1);
  for (let i = first; i < changes.length && changes[i].eventCount === eventCount; i++) {
    let previous = 0;
    for (let j = i - 1; j >= 0; j--) {
      if (changes[j].node === changes[i].node) {
        previous = changes[j].commit;
        break;
      }
    }
    if (changes[i].commit > previous) return true;
  }
  return false;
}

/** Steps until an event of the kind; stops at the end of the run or after eventsMax events. */
export function stepUntil(
  run: AppRun,
  kind: StepUntilKind,
  eventsMax: number = stepUntilEventsMax,
): StepUntilResult {
  for (let steps = 1; steps <= eventsMax; steps++) {
    if (!run.step()) {
      if (run.done)
        return {
          found: false,
          kind,
          steps: steps - 1,
          reason: `the run ended with no further ${kind}`,
        };
      continue;
    }
    if (eventIs(run, kind, run.eventCount))
      return { found: true, kind, eventCount: run.eventCount, steps };
  }
  return { found: false, kind, steps: eventsMax, reason: `no ${kind} within ${eventsMax} events` };
}
