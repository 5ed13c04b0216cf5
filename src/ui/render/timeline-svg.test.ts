import { describe, expect, it } from 'vitest';
import { layoutTimeline } from './timeline-layout';
import { timelineSvg } from './timeline-svg';

describe('timelineSvg', () => {
  it('writes a standalone SVG with a lane per node, a line per message and escaped fault text', () => {
    const layout = layoutTimeline({
      nodeIds: [1, 2],
      flights: [
        {
          type: 'MsgApp',
          from: 1,
          to: 2,
          term: 1,
          sentEvent: 1,
          sentMs: 10,
          arriveMs: 14,
          lostBecause: null,
          copy: 0,
          flightId: 1,
          message: null,
          droppedAt: null,
        },
      ],
      flightMsMax: 4,
      roleChanges: [{ eventCount: 1, timeMs: 5, node: 1, role: 'leader', term: 1 }],
      faults: [
        {
          kind: 'partition',
          node: null,
          text: 'partition <1|2>',
          eventCount: 1,
          timeMs: 20,
          injected: true,
        },
      ],
      width: 400,
      height: 100,
      labelWidth: 40,
      startMs: 0,
      endMs: 100,
      cursorMs: 50,
      traceEndMs: 60,
      showHeartbeats: false,
      linesMax: 100,
    });
    const svg = timelineSvg(layout, { width: 400, height: 100, labelWidth: 40 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100"')).toBe(
      true,
    );
    expect(svg.match(/>n\d</g)).toEqual(['>n1<', '>n2<']);
    expect(svg).toContain('stroke="#1c7ed6"');
    expect(svg).toContain('partition &#60;1|2&#62;');
    expect(svg).toContain('<title>leader term 1</title>');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });
});
