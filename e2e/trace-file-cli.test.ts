// The app's trace files and `npx raftlab run --trace` agree: the app opens a CLI trace as the
// same run (same transcript hash), and a trace the app exports without interventions carries the
// hash `raftlab replay` recomputes from its options. Runs in Node (no browser).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRunCommand, traceFormat, traceVersion } from '../src/cli/run-command';
import { runSimulation } from '../src/sim/run';
import { buildVersion } from '../src/ui/model/build-version';
import * as appTrace from '../src/ui/model/trace-file';
import { exportTraceText, wholeRunTranscriptHash } from '../src/ui/store/trace-file-actions';
import { newRun, seek } from '../src/ui/store/run-actions';

const folder = mkdtempSync(join(tmpdir(), 'raftlab-trace-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('trace files shared by the app and the CLI', () => {
  it('use the same envelope constants', () => {
    expect(appTrace.traceFormat).toBe(traceFormat);
    expect(appTrace.traceVersion).toBe(traceVersion);
  });

  it('a CLI trace opens in the app as the same run', async () => {
    const path = join(folder, 'cli.json');
    const io = { out: () => {}, err: (text: string) => console.error(text) };
    const args = [
      '--seed',
      '21',
      '--nodes',
      '5',
      '--time',
      '2s',
      '--nemesis',
      'crash',
      '--trace',
      path,
    ];
    expect(await runRunCommand(args, io)).toBeLessThan(2);
    const text = readFileSync(path, 'utf8');
    const parsed = appTrace.parseTraceFile(text, buildVersion);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.content.config).toMatchObject({ seed: 21, nodeCount: 5, nemesis: ['crash'] });
    expect(wholeRunTranscriptHash(parsed.content)).toBe(JSON.parse(text).transcriptHash);
  });

  it('an app trace without interventions carries the hash `raftlab replay` recomputes', () => {
    newRun({ seed: 8, nodeCount: 3, nemesis: [] });
    seek(250);
    const json = JSON.parse(exportTraceText());
    expect(json.app.position).toBe(250);
    expect(json.transcriptHash).toBe(runSimulation(json.options).simulation.transcriptHash);
  });
});
