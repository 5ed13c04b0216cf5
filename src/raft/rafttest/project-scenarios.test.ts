// The project's own interaction scenarios (testdata/interaction), compared byte for byte,
// engine log lines included. Regenerate with `raftlab datadriven --rewrite testdata/interaction`
// and review the diff line by line.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runDatadrivenFile } from '../datadriven/run';
import { interactionSuite } from './interaction-suite';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const scenarioFolder = join(repositoryRoot, 'testdata/interaction');
const scenarioFiles = readdirSync(scenarioFolder)
  .filter((file) => file.endsWith('.txt'))
  .sort();

describe('project interaction scenarios (testdata/interaction)', () => {
  it('has scenarios to run', () => {
    expect(scenarioFiles.length).toBeGreaterThanOrEqual(6);
  });

  for (const file of scenarioFiles) {
    it(`${file} matches byte for byte`, () => {
      const path = join(scenarioFolder, file);
      const result = runDatadrivenFile({
        path,
        text: readFileSync(path, 'utf8'),
        handler: interactionSuite.createHandler(),
      });
      expect(result.diffs.join('\n')).toBe('');
      expect(result.passed).toBe(true);
    });
  }
});
