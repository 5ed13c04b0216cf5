import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../sim/run';
import { parseTranscriptLine } from './transcript-events';

describe('parseTranscriptLine', () => {
  it('reads a tick that sends messages, with their fates', () => {
    const parsed = parseTranscriptLine(
      '120 tick 2 | MsgPreVote 2>1 t3 lt1 i5 c4 @123,@125 | MsgPreVote 2>3 t3 lt1 i5 c4 lost:partition',
    );
    expect(parsed).toMatchObject({ timeMs: 120, kind: 'tick', node: 2, delivered: null });
    expect(parsed.sent).toEqual([
      { type: 'MsgPreVote', from: 2, to: 1, term: 3, deliverAtMs: [123, 125], lostBecause: null },
      { type: 'MsgPreVote', from: 2, to: 3, term: 3, deliverAtMs: [], lostBecause: 'partition' },
    ]);
  });

  it('reads deliveries, the ones a down node lost, and replies among the sends', () => {
    const taken = parseTranscriptLine(
      '7 deliver MsgApp 1>2 t1 lt1 i1 c1 n1 | MsgAppResp 2>1 t1 lt0 i2 c1 @9 | r3 ok@10',
    );
    expect(taken).toMatchObject({ kind: 'deliver', node: 2, notTaken: null });
    expect(taken.delivered).toEqual({ type: 'MsgApp', from: 1, to: 2, term: 1 });
    expect(taken.sent).toHaveLength(1);
    expect(parseTranscriptLine('8 deliver MsgHeartbeat 1>3 t1 lt0 i0 c1 lost:down').notTaken).toBe(
      'down',
    );
  });

  it('reads faults from the nemesis plan, the user and the liveness phase', () => {
    expect(parseTranscriptLine('345 nemesis crash 2').fault).toEqual({
      kind: 'crash',
      node: 2,
      text: 'crash 2',
    });
    expect(parseTranscriptLine('400 inject restart 2').fault).toMatchObject({
      kind: 'restart',
      node: 2,
    });
    expect(parseTranscriptLine('424 nemesis partition one-way {1}->{2,3}').fault).toMatchObject({
      kind: 'partition',
      node: null,
    });
    expect(
      parseTranscriptLine('60000 liveness heal-all restarted [] resumed [] bound 10000ms').fault
        ?.kind,
    ).toBe('heal-all');
  });

  it('throws on a line it does not know, naming the line', () => {
    expect(() => parseTranscriptLine('5 teleport 3')).toThrow(
      /unknown event "teleport" in line: 5 teleport 3/,
    );
  });

  it('parses every line of a seeded run with all faults', () => {
    const simulation = createSimulation({
      seed: 11,
      nodeCount: 3,
      timeMs: 3_000,
      transcriptLinesKeptMax: 100_000,
    });
    const lines = simulation.run().transcriptLines.filter((line) => !/^\d+ converged /.test(line));
    expect(lines.length).toBeGreaterThan(1_000);
    for (const line of lines)
      expect(parseTranscriptLine(line).timeMs).toBe(Number(line.split(' ')[0]));
  });
});
