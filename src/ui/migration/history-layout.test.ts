import { describe, expect, it } from 'vitest';
import { layoutHistory } from './history-layout';
import type { ClientOp } from './migration-recorder';

const op = (id: number, node: string, endMs: number, ok: boolean): ClientOp => ({ id, source: 'client', node, op: 'put', key: `k${id}`, value: 'v', startMs: endMs, endMs, ok, detail: ok ? 'ok' : 'refused' });

describe('client history layout', () => {
  it('places each shown operation on its node row at its time, with the downtime band and the cursor', () => {
    const history = [op(1, 'n1', 0, true), op(2, 'n2', 500, false), op(3, 'n3', 1000, true)];
    const layout = layoutHistory({ history, shownCount: 2, nodeIds: ['n1', 'n2', 'n3'], endMs: 1000, cursorMs: 500, downtime: { fromMs: 250, toMs: 750 }, width: 208, rowHeight: 10, labelWidth: 0 });
    expect(layout.marks).toEqual([
      expect.objectContaining({ id: 1, x: 0, y: 5, ok: true }),
      expect.objectContaining({ id: 2, x: 100, y: 15, ok: false }),
    ]);
    expect(layout.cursorX).toBe(100);
    expect(layout.band).toEqual({ x: 50, width: 100 });
    expect(layout.height).toBe(46);
    expect(layout.ticks.map((tick) => tick.label)).toEqual(['0 ms', '500 ms', '1000 ms']);
  });
});
