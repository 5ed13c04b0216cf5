import { describe, expect, it } from 'vitest';
import type { RoleChange, TraceEvent } from '../model/run-trace';
import { activeCaptionIndex, captionFirings, type CaptionSource } from './captions';
import type { Caption } from './scenario-file';

function eventsAt(times: number[]): TraceEvent[] {
  return times.map((timeMs, i) => ({ eventCount: i + 1, timeMs, kind: 'tick', node: 1, line: '' }));
}

const roleChanges: RoleChange[] = [
  { eventCount: 2, timeMs: 10, node: 3, role: 'candidate', term: 1 },
  { eventCount: 3, timeMs: 20, node: 3, role: 'leader', term: 1 },
  { eventCount: 5, timeMs: 40, node: 1, role: 'leader', term: 2 },
];

const source: CaptionSource = {
  trace: { events: eventsAt([0, 10, 20, 30, 40, 50]), roleChanges },
  violationEvent: null,
  endEvent: null,
};

const caption = (when: Caption['when'], text: string): Caption => ({ when, text, pause: false });

describe('captions', () => {
  it('fire in order, each at or after the one before, with {node} and {term} filled in', () => {
    const captions = [
      caption({ kind: 'time', atMs: 0 }, 'start'),
      caption({ kind: 'role', role: 'leader', node: null, afterMs: 0 }, '{node} leads {term}'),
      caption({ kind: 'time', atMs: 25 }, 'later'),
      caption({ kind: 'role', role: 'leader', node: null, afterMs: 0 }, 'again {node}'),
    ];
    const firings = captionFirings(captions, source);
    expect(firings).toEqual([
      { eventCount: 0, text: 'start' },
      { eventCount: 3, text: '3 leads 1' },
      { eventCount: 4, text: 'later' },
      { eventCount: 5, text: 'again 1' },
    ]);
    expect([0, 2, 3, 4, 6].map((at) => activeCaptionIndex(firings, at))).toEqual([0, 0, 1, 2, 3]);
  });

  it('stop at the first caption that has not fired yet', () => {
    const captions = [
      caption({ kind: 'time', atMs: 5 }, 'a'),
      caption({ kind: 'end' }, 'over'),
      caption({ kind: 'time', atMs: 0 }, 'never before the end'),
    ];
    expect(captionFirings(captions, source).map((firing) => firing.text)).toEqual(['a']);
    const ended = captionFirings(captions, { ...source, endEvent: 6 });
    expect(ended.map((firing) => firing.eventCount)).toEqual([2, 6, 6]);
    expect(activeCaptionIndex([], 10)).toBe(-1);
    expect(captionFirings([caption({ kind: 'time', atMs: 99 }, 'x')], source)).toEqual([]);
  });
});
