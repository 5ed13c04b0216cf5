import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../sim/workload/history';
import { checkLinearizability } from '../../sim/run';
import { AppRun } from './app-run';
import { linearizabilityViewOf } from './linearizability-view';
import { runConfigOf, scenarioById } from '../scenarios/catalog';

const event = (
  process: number,
  type: HistoryEvent['type'],
  f: HistoryEvent['f'],
  value: HistoryEvent['value'],
  timeMs: number,
  key = 'x',
): HistoryEvent => ({ process, type, f, key, value, timeMs });

describe('the linearizability timeline data', () => {
  it('a linearizable history: every completed operation placed, nothing marked', () => {
    const view = linearizabilityViewOf([
      event(1, 'invoke', 'put', '1', 0),
      event(1, 'ok', 'put', '1', 10),
      event(2, 'invoke', 'get', null, 20),
      event(2, 'ok', 'get', '1', 30),
      event(3, 'invoke', 'put', '2', 35),
    ]);
    expect(view.verdict).toBe('linearizable');
    expect(view.firstImpossibleId).toBeNull();
    expect(view.prefixEndMs).toBeNull();
    expect(view.operations.map((op) => [op.text, op.completion, op.completeMs])).toEqual([
      ['put x=1', 'ok', 10],
      ['get x → 1', 'ok', 30],
      ['put x=2', 'info', null],
    ]);
    expect(view.operations[0].status).toBe('linearized');
    expect(view.operations[1].status).toBe('linearized');
    expect(view.endMs).toBe(35);
  });

  it('a stale read: the read is the first impossible operation, the prefix ends at its completion', () => {
    const view = linearizabilityViewOf([
      event(1, 'invoke', 'put', '1', 0),
      event(1, 'ok', 'put', '1', 10),
      event(1, 'invoke', 'put', '2', 20),
      event(1, 'ok', 'put', '2', 30),
      event(2, 'invoke', 'get', null, 40),
      event(2, 'ok', 'get', '1', 50),
      event(3, 'invoke', 'put', '9', 5, 'y'),
    ]);
    expect(view.verdict).toBe('not-linearizable');
    expect(view.text).toMatch(/^not linearizable \(x /);
    const impossible = view.operations.find((op) => op.id === view.firstImpossibleId);
    expect(impossible?.text).toBe('get x → 1');
    expect(impossible?.status).toBe('impossible');
    expect(view.failingKey).toBe('x');
    expect(view.prefixEndMs).toBe(50);
    expect(view.operations.filter((op) => op.status === 'linearized').map((op) => op.text)).toEqual(
      ['put x=1', 'put x=2'],
    );
  });

  it("agrees with the run's own check on the lease-read scenario (bug lease-no-clock-bound)", () => {
    const scenario = scenarioById('lease-read-clock-skew');
    if (scenario === undefined) throw new Error('scenario missing');
    const run = new AppRun(runConfigOf(scenario));
    run.seek(1e9);
    const view = run.checkHistory();
    const report = checkLinearizability(run.history());
    expect(view.verdict).toBe(report.verdict);
    expect(view.text).toBe(report.text);
    expect(view.operations).toHaveLength(report.operationCount);
    if (view.verdict !== 'not-linearizable') return;
    // The scenario's expectation (scenarios.test.ts): the stale read is marked.
    const impossible = view.operations.find((op) => op.id === view.firstImpossibleId)!;
    expect(impossible.text.startsWith('get ')).toBe(true);
    expect(view.text).toContain(`process ${impossible.process}`);
  });
});
