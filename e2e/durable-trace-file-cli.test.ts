// Durable trace files shared by the app and the CLI (Node, no browser): the app's export reads back as the same run (config, interventions,
// position), a finished untouched run carries the transcript hash `npx raftlab replay` accepts,
// a trace `raftlab run --engine hashicorp --trace` wrote opens as a durable run, and files that
// durable mode cannot replay are refused with the field that is wrong.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runReplayCommand } from '../src/cli/replay-command';
import { runRunCommand } from '../src/cli/run-command';
import { buildVersion } from '../src/ui/model/build-version';
import { appStore } from '../src/ui/store/app-store';
import { inProcessHooks } from '../src/ui/durable/in-process-hooks';
import * as durable from '../src/ui/durable/durable-actions';
import { durableTraceText } from '../src/ui/durable/durable-page';
import {
  formatDurableTraceFile,
  isDurableTraceText,
  parseDurableTraceFile,
} from '../src/ui/durable/durable-trace-file';

const folder = mkdtempSync(join(tmpdir(), 'raftlab-durable-trace-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const hooks = inProcessHooks();

const quiet = { out: () => undefined, err: (text: string) => console.error(text) };

describe('durable trace files', () => {
  it('a finished HashiCorp run exports the hash `raftlab replay` checks; the file reads back as the run', async () => {
    const config = {
      seed: 2,
      nodeCount: 3,
      nemesis: ['crash' as const],
      diskFaults: [],
      timeMs: 1_000,
      engine: 'hashicorp' as const,
    };
    await durable.startDurableRun({ ...config, runId: 'trace' }, hooks);
    await durable.stepDurable(1_000_000);
    expect(appStore.getState().done).toBe(true);
    const text = durableTraceText();
    const json = JSON.parse(text);
    expect(json.options).toEqual({
      seed: 2,
      nodeCount: 3,
      nemesis: ['crash'],
      timeMs: 1_000,
      durable: true,
      diskFaults: [],
      engine: 'hashicorp',
    });
    expect(json.transcriptHash).toBe(appStore.getState().durable?.transcriptHash);
    const path = join(folder, 'app.json');
    writeFileSync(path, text);
    expect(await runReplayCommand([path], quiet)).toBe(0);
    const parsed = parseDurableTraceFile(text, buildVersion);
    expect(parsed).toEqual({
      ok: true,
      content: { config, interventions: [], position: appStore.getState().eventCount },
    });
  });

  it('a bug switch and the read mode go in: apply-before-commit on the etcd host is caught, and the CLI replays the file to the same hash', async () => {
    const config = {
      seed: 1,
      nodeCount: 3,
      nemesis: ['partition' as const, 'crash' as const, 'loss' as const],
      diskFaults: [],
      timeMs: 5_000,
      engine: 'etcd' as const,
      reads: 'log' as const,
      bugs: ['apply-before-commit' as const],
    };
    await durable.startDurableRun({ ...config, runId: 'bug' }, hooks);
    await durable.stepDurable(1_000_000);
    expect(appStore.getState().violation?.invariant).toBe('state-machine-safety');
    const text = durableTraceText();
    expect(JSON.parse(text).options).toMatchObject({ reads: 'log', bugs: ['apply-before-commit'] });
    const parsed = parseDurableTraceFile(text, buildVersion);
    expect(parsed.ok && parsed.content.config).toEqual(config);
    const path = join(folder, 'bug.json');
    writeFileSync(path, text);
    const lines: string[] = [];
    const code = await runReplayCommand([path], { out: (line) => void lines.push(line), err: (line) => void lines.push(line) });
    expect(lines.join('')).toContain(`same transcript, sha256 ${appStore.getState().durable?.transcriptHash}`);
    expect(code).toBe(0);
  });

  it('interventions and the position go in (no hash: the CLI cannot replay them)', () => {
    const interventions = [
      { afterEvent: 40, action: { kind: 'crash' as const, node: 2 } },
      {
        afterEvent: 90,
        action: { kind: 'partition' as const, shape: { kind: 'isolate' as const, node: 1 } },
      },
    ];
    const text = formatDurableTraceFile({
      config: { seed: 9, nodeCount: 3, nemesis: 'seed', engine: 'etcd' },
      interventions,
      position: 120,
      buildVersion,
      transcriptHash: 'a'.repeat(64),
    });
    expect(JSON.parse(text).transcriptHash).toBeUndefined();
    const parsed = parseDurableTraceFile(text, buildVersion);
    expect(parsed.ok && parsed.content.interventions).toEqual(interventions);
    expect(parsed.ok && parsed.content.position).toBe(120);
    expect(parsed.ok && parsed.content.config.engine).toBe('etcd');
  });

  it('opens a trace `raftlab run --engine hashicorp --trace` wrote', async () => {
    const path = join(folder, 'cli.json');
    const args = [
      '--engine',
      'hashicorp',
      '--seed',
      '4',
      '--nemesis',
      'crash,torn-writes',
      '--time',
      '500ms',
      '--trace',
      path,
    ];
    expect(await runRunCommand(args, quiet)).toBeLessThan(2);
    const text = (await import('node:fs')).readFileSync(path, 'utf8');
    expect(isDurableTraceText(text)).toBe(true);
    const parsed = parseDurableTraceFile(text, buildVersion);
    expect(parsed).toEqual({
      ok: true,
      content: {
        config: {
          seed: 4,
          nodeCount: 3,
          nemesis: ['crash'],
          diskFaults: ['torn-writes'],
          timeMs: 500,
          engine: 'hashicorp',
        },
        interventions: [],
        position: 0,
      },
    });
  });

  it('refuses what durable mode cannot replay, naming the field', () => {
    const envelope = (options: object, app: object = {}) =>
      JSON.stringify({ format: 'raftlab-trace', version: 1, buildVersion, options, app });
    const base = { seed: 1, durable: true, diskFaults: [] };
    const refusal = (text: string) => {
      const parsed = parseDurableTraceFile(text, buildVersion);
      return parsed.ok ? null : parsed.error;
    };
    expect(refusal(envelope({ ...base, reads: 'psychic' }))).toMatch(/^options\.reads: expected one of/);
    expect(refusal(envelope({ ...base, bugs: ['melt'] }))).toMatch(/^options\.bugs: expected a list/);
    expect(refusal(envelope({ ...base, maxSizePerMsg: 0 }))).toMatch(/^options\.maxSizePerMsg: durable mode/);
    expect(refusal(envelope({ seed: 1, durable: true }))).toMatch(/^options\.diskFaults:/);
    expect(refusal(envelope({ ...base, engine: 'raft-rs' }))).toMatch(/^options\.engine:/);
    expect(refusal(envelope({ ...base, durable: false }))).toMatch(/^options\.durable:/);
    expect(refusal(envelope(base, { interventions: ['50:membership:add:4'] }))).toMatch(
      /^app\.interventions\[0\]/,
    );
    expect(refusal(envelope(base, { interventions: ['2:crash:1'] }))).toMatch(/after the boots/);
    expect(refusal('{"format":"other"}')).toMatch(/not a raftlab trace/);
  });
});
