import { describe, expect, it } from 'vitest';
import { AppRun } from './app-run';
import { formatTraceFile, parseTraceFile, traceFormat, traceVersion } from './trace-file';

const build = '9.9.9';

function exported(overrides: Record<string, unknown> = {}): string {
  const text = formatTraceFile({
    config: { seed: 11, nodeCount: 5, nemesis: ['crash', 'partition'] },
    interventions: [
      { afterEvent: 40, action: { kind: 'crash', node: 2 } },
      { afterEvent: 90, action: { kind: 'partition', shape: { kind: 'isolate', node: 3 } } },
    ],
    position: 120,
    buildVersion: build,
    transcriptHash: null,
  });
  return JSON.stringify({ ...JSON.parse(text), ...overrides });
}

describe('trace files', () => {
  it("round-trips the app's run: config, interventions and position", () => {
    const parsed = parseTraceFile(exported(), build);
    expect(parsed).toEqual({
      ok: true,
      content: {
        config: { seed: 11, nodeCount: 5, nemesis: ['crash', 'partition'] },
        interventions: [
          { afterEvent: 40, action: { kind: 'crash', node: 2 } },
          { afterEvent: 90, action: { kind: 'partition', shape: { kind: 'isolate', node: 3 } } },
        ],
        position: 120,
      },
    });
  });

  it('writes the envelope `raftlab run --trace` writes', () => {
    const json = JSON.parse(exported());
    expect(json).toMatchObject({
      format: traceFormat,
      version: traceVersion,
      buildVersion: build,
      seed: 11,
      options: { seed: 11, nodeCount: 5, nemesis: ['crash', 'partition'] },
    });
    expect(json.transcriptHash).toBeUndefined();
  });

  it('reads a CLI trace with the CLI defaults: 3 nodes, faults chosen by the seed, at the start', () => {
    const cli = JSON.stringify({
      format: traceFormat,
      version: traceVersion,
      buildVersion: build,
      seed: 5,
      options: { seed: 5, timeMs: 2_000 },
      resolved: {},
      transcriptHash: 'ab'.repeat(32),
      result: {},
    });
    expect(parseTraceFile(cli, build)).toEqual({
      ok: true,
      content: {
        config: {
          seed: 5,
          nodeCount: 3,
          nemesis: 'seed',
          options: { timeMs: 2_000 },
        },
        interventions: [],
        position: 0,
      },
    });
  });

  it('refuses malformed and foreign files, naming what is wrong', () => {
    const refusal = (text: string, buildVersion = build): string => {
      const parsed = parseTraceFile(text, buildVersion);
      return parsed.ok ? 'accepted' : parsed.error;
    };
    expect(refusal('{"format": ')).toMatch(/^not JSON: /);
    expect(refusal('[1,2]')).toBe('not a trace: expected a JSON object');
    expect(refusal(JSON.stringify({ format: 'jepsen-history' }))).toMatch(
      /^not a raftlab trace: format is "jepsen-history"/,
    );
    expect(refusal(exported({ version: 2 }))).toMatch(/^trace format version 2 is not supported/);
    expect(refusal(exported(), '0.0.1')).toMatch(/^trace from build "9\.9\.9", this is build "0\.0\.1"/);
    expect(refusal(exported({ options: { seed: 'x' } }))).toMatch(/seed "x" differs|options\.seed/);
    expect(refusal(exported({ seed: 1.5, options: { seed: 1.5 } }))).toBe(
      'options.seed: expected an integer',
    );
    expect(refusal(exported({ options: { seed: 11, tickMs: 5 } }))).toMatch(
      /^options\.tickMs: the app cannot run this option/,
    );
    expect(refusal(exported({ options: { seed: 11, nemesis: ['meteor'] } }))).toMatch(
      /^options\.nemesis: unknown fault "meteor"/,
    );
    expect(refusal(exported({ app: { interventions: ['12:explode:1'] } }))).toMatch(
      /^app\.interventions\[0\]: "12:explode:1" is not an intervention/,
    );
    expect(refusal(exported({ app: { interventions: ['12:crash:7'] } }))).toMatch(
      /names a node outside 1\.\.5/,
    );
    expect(refusal(exported({ app: { position: -3 } }))).toBe(
      'app.position: expected an integer >= 0',
    );
  });

  it('imports into the same state at the same position (deterministic replay)', () => {
    const run = new AppRun({ seed: 3, nodeCount: 3, nemesis: [] });
    run.seek(400);
    run.intervene({ kind: 'crash', node: 1 });
    run.seek(700);
    const text = formatTraceFile({
      config: run.config,
      interventions: [...run.interventionList],
      position: run.eventCount,
      buildVersion: build,
      transcriptHash: null,
    });
    const parsed = parseTraceFile(text, build);
    if (!parsed.ok) throw new Error(parsed.error);
    const again = new AppRun(parsed.content.config, parsed.content.interventions);
    again.seek(parsed.content.position);
    expect(again.nodeStates()).toEqual(run.nodeStates());
    expect(again.nowMs).toBe(run.nowMs);
  });
});
