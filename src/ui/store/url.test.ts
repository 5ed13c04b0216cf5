import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../sim/run';
import { AppRun, runOptionsOf, type RunConfig } from '../model/app-run';
import { buildVersion } from '../model/build-version';
import { formatTraceFile, parseTraceFile } from '../model/trace-file';
import { bugsOf, withBug, withReads } from '../views/run-option-selects';
import { scenarioById, runConfigOf } from '../scenarios/catalog';
import { formatUrl, parseUrl } from './url';

const base: RunConfig = { seed: 4, nodeCount: 5, nemesis: [] };

describe('the URL carries the read mode, the bug switch and the build', () => {
  it('round-trips reads and bug as `raftlab run --reads --bug` options', () => {
    const config = withBug(withReads(base, 'lease'), 'apply-before-commit');
    const search = formatUrl({ config, position: 12, interventions: [] });
    expect(search).toContain('reads=lease');
    expect(search).toContain('bug=apply-before-commit');
    const parsed = parseUrl(search);
    expect(parsed.problems).toEqual([]);
    expect(parsed.config).toEqual(config);
    expect(runOptionsOf(parsed.config)).toMatchObject({
      reads: 'lease',
      bugs: ['apply-before-commit'],
    });
  });

  it('reads the older `bugs` name and says which values it ignores', () => {
    expect(parseUrl('?seed=1&bugs=apply-before-commit').config.options).toEqual({
      bugs: ['apply-before-commit'],
    });
    const parsed = parseUrl('?seed=1&reads=quorum&bug=meteor');
    expect(parsed.config.options).toBeUndefined();
    expect(parsed.problems).toHaveLength(2);
    expect(parsed.problems[0]).toMatch(/^reads=quorum ignored: expected one of index, lease, log/);
    expect(parsed.problems[1]).toMatch(/^bug=meteor ignored: known bugs are /);
  });

  it("a scenario's bugs can be switched off, and the choice overrides the scenario's", () => {
    const scenario = scenarioById('figure-8');
    if (scenario === undefined) throw new Error('figure-8 scenario missing');
    const config = { ...base, ...runConfigOf(scenario) };
    expect(bugsOf(config)).toEqual(['figure8']);
    const off = withBug(config, 'none');
    expect(bugsOf(off)).toEqual([]);
    expect(runOptionsOf(off).bugs).toEqual([]);
    expect(formatUrl({ config: off, position: 0, interventions: [] })).toContain('bug=none');
    expect(parseUrl(formatUrl({ config: off, position: 0, interventions: [] })).config).toEqual(
      off,
    );
    expect(withReads(withReads(base, 'log'), 'seed')).toEqual(base);
    expect(bugsOf(withBug(base, 'figure8,apply-before-commit'))).toEqual([
      'figure8',
      'apply-before-commit',
    ]);
  });

  it('writes the build version and notices a link from another build without refusing it', () => {
    const search = formatUrl({ config: base, position: 3, interventions: [] });
    expect(new URLSearchParams(search).get('v')).toBe(buildVersion);
    expect(parseUrl(search).versionNotice).toBeNull();
    const other = parseUrl(search.replace(`v=${buildVersion}`, 'v=0.0.1-old'), buildVersion);
    expect(other.versionNotice).toMatch(/made by raftlab 0\.0\.1-old; this is /);
    expect(other.config).toEqual(base);
    expect(other.position).toBe(3);
    expect(parseUrl('?seed=2').versionNotice).toBeNull();
  });

  it('a trace carries reads and bugs, and the app runs them as the CLI does', () => {
    const config = withBug(withReads(base, 'log'), 'apply-before-commit');
    const text = formatTraceFile({
      config,
      interventions: [],
      position: 0,
      buildVersion,
      transcriptHash: null,
    });
    expect(JSON.parse(text).options).toMatchObject({
      reads: 'log',
      bugs: ['apply-before-commit'],
    });
    const parsed = parseTraceFile(text, buildVersion);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.content.config).toEqual(config);
    const refused = parseTraceFile(text.replace('"log"', '"quorum"'), buildVersion);
    expect(refused.ok ? '' : refused.error).toMatch(/^options\.reads: expected one of/);

    const eventsMax = 600;
    const run = new AppRun(config);
    run.seek(eventsMax);
    const cli = createSimulation({
      seed: 4,
      nodeCount: 5,
      nemesis: [],
      reads: 'log',
      bugs: ['apply-before-commit'],
      transcriptLinesKeptMax: eventsMax,
    });
    for (let i = 0; i < eventsMax; i++) cli.step();
    expect(run.trace.events.map((event) => event.line)).toEqual(cli.result().transcriptLines);
  });

  it('reports the finished run’s transcript hash, the one `raftlab run` prints', () => {
    const config: RunConfig = {
      ...withReads(base, 'lease'),
      nodeCount: 3,
      options: { reads: 'lease', timeMs: 1_000 },
    };
    const run = new AppRun(config);
    expect(run.transcriptHash()).toBeNull();
    run.seek(1e9);
    expect(run.done).toBe(true);
    const hash = createSimulation(runOptionsOf(config)).run().transcriptHash;
    expect(run.transcriptHash()).toBe(hash);
    run.seek(10);
    run.seek(1e9);
    expect(run.transcriptHash()).toBe(hash);
  });
});
