// Real Jepsen histories (../shared/jepsen-histories) with the verdicts their README states.
// Timings are printed, never asserted (speed belongs in bench/).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkHistory, describeVerdict } from './check';
import { parseKvHistory, parseRegisterHistory } from './jepsen/histories';
import { kvModel } from './kv-model';
import { registerModel } from './register-model';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const sharedFolder = join(repoRoot, '..', 'shared', 'jepsen-histories');
const present = existsSync(sharedFolder);

const registerVerdicts: [string, boolean][] = [
  ['etcd_000.log', false],
  ['etcd_001.log', false],
  ['etcd_002.log', true],
  ['etcd_003.log', false],
  ['etcd_004.log', false],
  ['etcd_005.log', true],
  ['etcd_007.log', true],
  ['etcd_018.log', true],
];

const kvVerdicts: [string, boolean][] = [
  ['c01-ok.txt', true],
  ['c01-bad.txt', false],
];

const timeLimitMs = 60_000;
const now = () => performance.now();

function report(path: string, verdict: string, startedMs: number, steps: number): void {
  const elapsed = (performance.now() - startedMs).toFixed(1);
  console.log(`${path}: ${verdict} [${elapsed} ms, ${steps} search steps]`);
}

describe.skipIf(!present)(
  present
    ? 'Jepsen histories in ../shared/jepsen-histories, with the README verdicts'
    : 'Jepsen histories: skipped, ../shared/jepsen-histories absent',
  () => {
    it.each(registerVerdicts)('register %s linearizable: %s', (name, expected) => {
      const path = join(sharedFolder, 'etcd', name);
      const parsed = parseRegisterHistory(readFileSync(path, 'utf8'));
      if (!parsed.ok) throw new Error(`${path}:${parsed.error.line}: ${parsed.error.message}`);
      const started = performance.now();
      const result = checkHistory(registerModel, parsed.value, { timeLimitMs, now });
      report(`etcd/${name}`, describeVerdict(registerModel, result), started, result.steps);
      expect(result.verdict).toBe(expected ? 'linearizable' : 'not-linearizable');
    });

    it.each(kvVerdicts)('kv %s linearizable: %s', (name, expected) => {
      const path = join(sharedFolder, 'kv', name);
      const parsed = parseKvHistory(readFileSync(path, 'utf8'));
      if (!parsed.ok) throw new Error(`${path}:${parsed.error.line}: ${parsed.error.message}`);
      const started = performance.now();
      const result = checkHistory(kvModel, parsed.value, { timeLimitMs, now });
      report(`kv/${name}`, describeVerdict(kvModel, result), started, result.steps);
      expect(result.verdict).toBe(expected ? 'linearizable' : 'not-linearizable');
    });
  },
);
