// Which caption a scenario shows at a position of its run. Captions fire in file order: each at
// the first event, at or after the previous caption's, that meets its condition. They are
// derived from the run's trace (roles, times) and its outcome (violation, end), never stored,
// so a rewind, a step back or a shared URL shows the caption that belongs to that position.
import type { RunTrace } from '../model/run-trace';
import type { Caption } from './scenario-file';

/** What the captions read from a run. */
export interface CaptionSource {
  trace: Pick<RunTrace, 'events' | 'roleChanges'>;
  /** The event after which an invariant broke, if the run has reached it. */
  violationEvent: number | null;
  /** The run's last event, once the run is known to be over. */
  endEvent: number | null;
}

export interface CaptionFiring {
  /** The event after which the caption shows (0: from the start). */
  eventCount: number;
  /** The caption's text with {node} and {term} filled in. */
  text: string;
}

/** The first event at or after `from` whose time is at least atMs, or null if not yet known. */
function firstEventAtTime(trace: CaptionSource['trace'], from: number, atMs: number): number | null {
  if (from === 0 && atMs <= 0) return 0;
  let low = Math.max(from, 1);
  let high = trace.events.length + 1;
  // Events are in time order: binary search for the first one at or after atMs.
  while (low < high) {
    const middle = (low + high) >> 1;
    if (trace.events[middle - 1].timeMs >= atMs) high = middle;
    else low = middle + 1;
  }
  return low <= trace.events.length ? low : null;
}

function fire(caption: Caption, source: CaptionSource, from: number): CaptionFiring | null {
  const when = caption.when;
  switch (when.kind) {
    case 'time': {
      const eventCount = firstEventAtTime(source.trace, from, when.atMs);
      return eventCount === null ? null : { eventCount, text: caption.text };
    }
    case 'role': {
      const change = source.trace.roleChanges.find(
        (candidate) =>
          candidate.eventCount >= from &&
          candidate.timeMs >= when.afterMs &&
          candidate.role === when.role &&
          (when.node === null || candidate.node === when.node),
      );
      if (change === undefined) return null;
      const text = caption.text
        .replaceAll('{node}', String(change.node))
        .replaceAll('{term}', String(change.term));
      return { eventCount: change.eventCount, text };
    }
    case 'violation':
    case 'end': {
      const eventCount = when.kind === 'end' ? source.endEvent : source.violationEvent;
      return eventCount === null || eventCount < from ? null : { eventCount, text: caption.text };
    }
  }
}

/** Each caption's firing, in order; the list stops at the first caption that has not fired. */
export function captionFirings(captions: readonly Caption[], source: CaptionSource): CaptionFiring[] {
  const firings: CaptionFiring[] = [];
  let from = 0;
  for (const caption of captions) {
    const firing = fire(caption, source, from);
    if (firing === null) break;
    firings.push(firing);
    from = firing.eventCount;
  }
  return firings;
}

/** The index of the caption showing after event `eventCount`, or -1 before the first. */
export function activeCaptionIndex(firings: readonly CaptionFiring[], eventCount: number): number {
  let active = -1;
  for (const [index, firing] of firings.entries()) {
    if (firing.eventCount > eventCount) break;
    active = index;
  }
  return active;
}
