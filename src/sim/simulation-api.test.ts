import { describe, expect, it } from 'vitest';
import { SimulationCheckpoints } from './checkpoints';
import { faultKinds } from './nemesis/plan';
import { createSimulation, type RunOptions } from './run';
import type { Simulation } from './simulation';
import type { SimEventRecord } from './simulation-events';

const allFaults = [...faultKinds];
const faulty: RunOptions = { seed: 5, nodeCount: 5, timeMs: 6_000, nemesis: allFaults };

function recorded(simulation: Simulation): SimEventRecord[] {
  const records: SimEventRecord[] = [];
  simulation.onEvent((record) => records.push(record));
  return records;
}

describe('the observer (onEvent)', () => {
  it('sees exactly the transcript, event kinds and engine log lines, and leaves the hash alone', () => {
    const plain = createSimulation(faulty).run();
    const simulation = createSimulation({ ...faulty, transcriptLinesKeptMax: 1_000_000 });
    const records = recorded(simulation);
    for (let i = 0; i < 500; i++) simulation.step();
    simulation.inject({ kind: 'crash', node: 1 });
    const result = simulation.run();
    // The run goes on after the injection (how far depends on whom the crash hit).
    expect(result.transcriptLineCount).toBeGreaterThan(plain.eventCount / 4);
    expect(records.flatMap((record) => record.lines)).toEqual(simulation.transcriptLines());
    expect(records.filter((record) => record.kind !== 'inject')).toHaveLength(result.eventCount);
    for (const record of records) {
      const words = record.lines[0].split(' ');
      expect(Number(words[0])).toBe(record.timeMs);
      expect(words[1]).toBe(record.kind);
    }
    const deliveries = records.filter((record) => record.kind === 'deliver');
    expect(deliveries.every((record) => record.delivered !== null)).toBe(true);
    const logs = records.flatMap((record) => record.engineLog);
    expect(
      logs.some((line) => line.level === 'INFO' && /became leader at term/.test(line.text)),
    ).toBe(true);
    const duplicated = records
      .flatMap((record) => record.sent)
      .filter((sent) => sent.deliverAtMs.length === 2);
    expect(duplicated.length).toBeGreaterThan(0);
  });

  it('does not change the run: same hash with and without a listener', () => {
    const plain = createSimulation(faulty).run();
    const observed = createSimulation(faulty);
    recorded(observed);
    expect(observed.run().transcriptHash).toBe(plain.transcriptHash);
  });
});

describe('clone', () => {
  it.each(['index', 'lease', 'log'] as const)(
    'a clone runs on exactly like its original and shares nothing (reads %s)',
    (reads) => {
      const options = { ...faulty, reads };
      const fresh = createSimulation(options).run().transcriptHash;
      const simulation = createSimulation(options);
      for (let i = 0; i < 3_000; i++) simulation.step();
      const copy = simulation.clone();
      // Run the copy to the end first: were anything shared, the original would now diverge.
      expect(copy.run().transcriptHash).toBe(fresh);
      expect(simulation.run().transcriptHash).toBe(fresh);
    },
  );

  it('a clone with the same interventions forks the same way', () => {
    const simulation = createSimulation(faulty);
    for (let i = 0; i < 2_000; i++) simulation.step();
    const copy = simulation.clone();
    for (const sim of [simulation, copy]) {
      sim.inject({ kind: 'partition', shape: { kind: 'isolate', node: 2 } });
      sim.inject({ kind: 'client', command: { f: 'put', key: 'x', value: 'by-hand' } });
    }
    expect(copy.run().transcriptHash).toBe(simulation.run().transcriptHash);
  });
});

describe('checkpoints', () => {
  it('restoring any checkpoint and stepping on replays the original transcript', () => {
    const original = createSimulation({ ...faulty, transcriptLinesKeptMax: 1_000_000 });
    const checkpoints = new SimulationCheckpoints(200, 8);
    checkpoints.offer(0, original);
    let events = 0;
    while (events < 4_000 && original.step()) checkpoints.offer(++events, original);
    expect(checkpoints.count).toBeLessThanOrEqual(8);
    expect(checkpoints.spacingEvents).toBe(800);
    const lines = original.transcriptLines();
    for (const target of [0, 799, 1_234, 3_999]) {
      const checkpoint = checkpoints.restore(target)!;
      expect(checkpoint.eventCount).toBeLessThanOrEqual(target);
      expect(target - checkpoint.eventCount).toBeLessThan(800);
      const start = checkpoint.simulation.transcriptLineCount;
      const records = recorded(checkpoint.simulation);
      for (let at = checkpoint.eventCount; at < target + 1; at++) checkpoint.simulation.step();
      const replayed = records.flatMap((record) => record.lines);
      expect(replayed).toEqual(lines.slice(start, start + replayed.length));
    }
    checkpoints.forgetFrom(1_600);
    expect(checkpoints.restore(3_999)!.eventCount).toBe(800);
  });
});
