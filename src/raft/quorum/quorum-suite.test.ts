// The quorum suite against etcd's golden files (../shared, byte for byte) and the project's own
// scenarios under testdata/quorum.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runDatadrivenFile } from '../datadriven/run';
import { suites } from '../datadriven/suites';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const sharedFolder = join(repoRoot, '..', 'shared', 'etcd-raft-testdata', 'quorum');
const projectFolder = join(repoRoot, 'testdata', 'quorum');

function txtFiles(folder: string): string[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => join(folder, name));
}

function expectFilePasses(path: string): void {
  const result = runDatadrivenFile({
    path,
    text: readFileSync(path, 'utf8'),
    handler: suites.quorum.createHandler(),
  });
  expect(result.diffs.join('\n')).toBe('');
  expect(result.passed).toBe(true);
}

describe.skipIf(!existsSync(sharedFolder))(
  existsSync(sharedFolder)
    ? "etcd's quorum golden files (../shared/etcd-raft-testdata/quorum)"
    : "etcd's quorum golden files: skipped, ../shared/etcd-raft-testdata absent",
  () => {
    const files = existsSync(sharedFolder) ? txtFiles(sharedFolder) : [];
    it('has files to run', () => expect(files.length).toBeGreaterThan(0));
    for (const path of files) it(path.slice(sharedFolder.length + 1), () => expectFilePasses(path));
  },
);

describe('project quorum scenarios (testdata/quorum)', () => {
  const files = txtFiles(projectFolder);
  it('has files to run', () => expect(files.length).toBeGreaterThan(0));
  for (const path of files) it(path.slice(projectFolder.length + 1), () => expectFilePasses(path));
});
