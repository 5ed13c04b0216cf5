// Vitest declarations shared by the suites' golden-file tests: etcd's files from ../shared (byte
// for byte, reported as skipped with a clear name when ../shared is absent) and the project's own
// scenario files under testdata/<suite>. Test-only: imported by *.test.ts files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runDatadrivenFile } from './run';
import { suites } from './suites';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function txtFiles(folder: string): string[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => join(folder, name));
}

function expectFilePasses(suiteName: string, path: string): void {
  const result = runDatadrivenFile({
    path,
    text: readFileSync(path, 'utf8'),
    handler: suites[suiteName].createHandler(),
  });
  expect(result.diffs.join('\n')).toBe('');
  expect(result.passed).toBe(true);
}

/** Declares the golden-file tests of one suite (e.g. 'quorum', 'confchange'). */
export function describeGoldenSuite(suiteName: string): void {
  const sharedFolder = join(repoRoot, '..', 'shared', 'etcd-raft-testdata', suiteName);
  const projectFolder = join(repoRoot, 'testdata', suiteName);
  const present = existsSync(sharedFolder);
  describe.skipIf(!present)(
    present
      ? `etcd's ${suiteName} golden files (../shared/etcd-raft-testdata/${suiteName})`
      : `etcd's ${suiteName} golden files: skipped, ../shared/etcd-raft-testdata absent`,
    () => {
      const files = present ? txtFiles(sharedFolder) : [];
      it('has files to run', () => expect(files.length).toBeGreaterThan(0));
      for (const path of files) {
        it(path.slice(sharedFolder.length + 1), () => expectFilePasses(suiteName, path));
      }
    },
  );
  describe(`project ${suiteName} scenarios (testdata/${suiteName})`, () => {
    const files = txtFiles(projectFolder);
    it('has files to run', () => expect(files.length).toBeGreaterThan(0));
    for (const path of files) {
      it(path.slice(projectFolder.length + 1), () => expectFilePasses(suiteName, path));
    }
  });
}
