import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDatadriven } from '../../raft/datadriven/parse';
import { runDatadrivenFile } from '../../raft/datadriven/run';
import { interactionSuite } from '../../raft/rafttest/interaction-suite';
import { DatadrivenPlayback, type DatadrivenResult } from './datadriven-playback';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixture = join(repositoryRoot, 'e2e/fixtures/three-node-election.txt');
const goldenFolder = join(repositoryRoot, '../shared/etcd-raft-testdata/interaction');

function playAll(
  text: string,
  name: string,
): { playback: DatadrivenPlayback; results: DatadrivenResult[] } {
  const opened = DatadrivenPlayback.open(text, name);
  if (!opened.ok) throw new Error(opened.error);
  const results: DatadrivenResult[] = [];
  for (let result = opened.playback.runNext(); result !== null; result = opened.playback.runNext())
    results.push(result);
  return { playback: opened.playback, results };
}

describe('datadriven playback', () => {
  it('elects node 1 (Raft §5.2) and replicates a proposal (§5.3), drawing each node after each command', () => {
    const { playback, results } = playAll(readFileSync(fixture, 'utf8'), 'three-node-election.txt');
    expect(playback.commands.map((command) => command.directive)).toEqual([
      'add-nodes 3 voters=(1,2,3) index=2',
      'campaign 1',
      'stabilize',
      'propose 1 prop_1',
      'stabilize',
    ]);
    expect(playback.commands[1].line).toBe(14);
    expect(results.every((result) => result.matchesFile && result.error === null)).toBe(true);
    expect(results[0].nodes.map((node) => node.role)).toEqual(['follower', 'follower', 'follower']);
    expect(results[1].nodes[0]).toMatchObject({ role: 'candidate', term: 1 });
    expect(results[2].nodes.map((node) => node.role)).toEqual(['leader', 'follower', 'follower']);
    const last = results[4].nodes;
    // The empty entry of term 1 (index 3) and the proposal (index 4) are committed everywhere.
    expect(last.map((node) => node.commit)).toEqual([4, 4, 4]);
    expect(last[1].log.map((cell) => [cell.index, cell.term])).toEqual([
      [3, 1],
      [4, 1],
    ]);
    expect(playback.finished).toBe(true);
    expect(playback.runNext()).toBeNull();
  });

  it('refuses a malformed file, naming the line', () => {
    const opened = DatadrivenPlayback.open(
      'campaign 1\n----\nok\n\nadd-nodes voters=(1\n----\n',
      'bad.txt',
    );
    expect(opened).toMatchObject({ ok: false });
    expect(!opened.ok && opened.error).toMatch(/^bad\.txt:5: /);
    expect(DatadrivenPlayback.open('# only a comment\n', 'empty.txt')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/no commands/),
    });
  });

  it('stops at a command the harness cannot run, naming its line', () => {
    const text =
      'add-nodes 1 voters=(1) index=2\n----\nok\n\nstatus 9\n----\nok\n\ncampaign 1\n----\nok\n';
    const { playback, results } = playAll(text, 'x.txt');
    expect(results).toHaveLength(2);
    expect(results[0].matchesFile).toBe(false);
    expect(results[1].error).toMatch(/^x\.txt:5: status 9: .*out of range/);
    expect(playback.stopped).toBe(true);
  });

  it.runIf(existsSync(goldenFolder))(
    "plays etcd's own interaction files with the CLI's output, command for command",
    () => {
      for (const file of readdirSync(goldenFolder).filter((name) => name.endsWith('.txt'))) {
        const text = readFileSync(join(goldenFolder, file), 'utf8');
        const { results } = playAll(text, file);
        // What `raftlab datadriven` computes for each command: a fresh suite handler per file.
        const handler = interactionSuite.createHandler();
        const cli = parseDatadriven(text, file).map((d) => {
          const output = handler(d);
          return output !== '' && !output.endsWith('\n') ? `${output}\n` : output;
        });
        expect(results.map((result) => result.error)).toEqual(cli.map(() => null));
        expect(results.map((result) => result.output)).toEqual(cli);
        const whole = runDatadrivenFile({
          path: file,
          text,
          handler: interactionSuite.createHandler(),
        });
        expect(results.every((result) => result.matchesFile)).toBe(whole.passed);
      }
    },
  );
});
