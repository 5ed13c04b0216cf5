import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../sim/run';
import { AppRun } from './app-run';

const config = { seed: 5, nodeCount: 3, nemesis: 'seed' as const };

describe('AppRun', () => {
  it('steps the same events as the simulation, recording one trace event per event', () => {
    const run = new AppRun(config);
    for (let i = 0; i < 2_000; i++) run.step();
    const simulation = createSimulation({ seed: 5, nodeCount: 3, transcriptLinesKeptMax: 2_000 });
    for (let i = 0; i < 2_000; i++) simulation.step();
    expect(run.trace.events.map((event) => event.line)).toEqual(
      simulation.result().transcriptLines,
    );
    expect(run.trace.flights.length).toBeGreaterThan(0);
  });

  it('seeks back by replaying from the seed, and shows the same nodes as before (leader election §5.2)', () => {
    const run = new AppRun(config);
    run.seek(1_500);
    const at1500 = run.nodeStates();
    run.seek(4_000);
    expect(run.trace.roleChanges.some((change) => change.role === 'leader')).toBe(true);
    run.seek(1_500);
    expect(run.eventCount).toBe(1_500);
    expect(run.nodeStates()).toEqual(at1500);
    expect(run.trace.eventCount).toBe(4_000);
  });

  it('replays interventions at their event; a new one after a rewind forks the run', () => {
    const run = new AppRun({ seed: 2, nodeCount: 3, nemesis: [] });
    run.seek(800);
    run.intervene({ kind: 'crash', node: 1 });
    expect(run.nodeStates()[0].role).toBe('down');
    run.seek(1_200);
    const after = run.nodeStates();
    run.seek(100);
    run.seek(1_200);
    expect(run.nodeStates()).toEqual(after);
    expect(run.trace.faults.filter((fault) => fault.injected)).toHaveLength(1);

    run.seek(500);
    run.intervene({ kind: 'crash', node: 2 });
    expect(run.trace.eventCount).toBe(500);
    expect(run.interventionList).toEqual([{ afterEvent: 500, action: { kind: 'crash', node: 2 } }]);
  });

  it('starts from shared interventions as if they had been made by hand', () => {
    const run = new AppRun({ seed: 2, nodeCount: 3, nemesis: [] }, [
      { afterEvent: 300, action: { kind: 'crash', node: 3 } },
    ]);
    run.seek(300);
    expect(run.nodeStates()[2].role).toBe('down');
  });

  it('seeks back from a checkpoint: the same nodes, history and cut links as when first there', () => {
    const run = new AppRun({ seed: 9, nodeCount: 5, nemesis: ['partition', 'crash', 'loss'] });
    run.seek(2_345);
    const states = run.nodeStates();
    const history = [...run.history()];
    const cut = run.cutLinks();
    run.seek(6_000);
    run.seek(2_345);
    expect(run.eventCount).toBe(2_345);
    expect(run.nodeStates()).toEqual(states);
    expect(run.history()).toEqual(history);
    expect(run.cutLinks()).toEqual(cut);
  });
});
