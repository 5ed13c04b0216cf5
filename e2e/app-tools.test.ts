// The app's tools in a real Chromium: a datadriven file played command by command (output equal
// to the CLI's harness output in Node), a trace exported and imported into a new page at the same
// state, pictures of the views, step-to-next-election and the charts. Tests wait only on
// deterministic signals (the event counter, node and result attributes), never on sleeps.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Download, Page } from 'playwright-core';
import { parseDatadriven } from '../src/raft/datadriven/parse';
import { interactionSuite } from '../src/raft/rafttest/interaction-suite';
import { repoRoot, requireBrowser } from './app-browser';
import { useAppBrowser } from './app-browser-suite';
import { eventCount } from './page-reading';

const fixturePath = join(repoRoot, 'e2e/fixtures/three-node-election.txt');
const search = '?seed=7&nodes=5&nemesis=none';

async function nodeAttributes(page: Page, testId = 'node'): Promise<string[][]> {
  return page.$$eval(`[data-testid="${testId}"]`, (nodes) =>
    nodes.map((node) =>
      ['data-node-id', 'data-role', 'data-term', 'data-commit'].map((name) =>
        node.getAttribute(name)!,
      ),
    ),
  );
}

async function downloadOf(page: Page, testId: string): Promise<Buffer> {
  const [download] = (await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(testId).click(),
  ])) as [Download, void];
  return readFileSync((await download.path())!);
}

describe('the app tools in Chromium', () => {
  const app = useAppBrowser();
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    const started = app();
    if (started) page = await started.open(search, errors);
  });

  it("plays a datadriven file command by command with the CLI's output, and a leader appears", async (context) => {
    requireBrowser(context);
    const text = readFileSync(fixturePath, 'utf8');
    // What `raftlab datadriven` computes for each command, in Node.
    const handler = interactionSuite.createHandler();
    const expected = parseDatadriven(text, 'three-node-election.txt').map((d) => {
      const output = handler(d);
      return output.endsWith('\n') ? output : `${output}\n`;
    });
    await page.getByTestId('open-datadriven').click();
    await page.getByTestId('datadriven-file').setInputFiles(fixturePath);
    await expect.poll(() => page.getByTestId('datadriven-command').count()).toBe(expected.length);
    for (let i = 0; i < expected.length; i++) {
      await page.getByTestId('datadriven-next').click();
      await expect
        .poll(() => page.getByTestId('datadriven-position').textContent())
        .toBe(`${i + 1} / ${expected.length}`);
      expect(await page.getByTestId('datadriven-output').textContent()).toBe(expected[i]);
      expect(await page.getByTestId('datadriven-match').textContent()).toBe('matches the file');
    }
    const nodes = await nodeAttributes(page, 'datadriven-node');
    expect(nodes.map(([id, role]) => [id, role])).toEqual([
      ['1', 'leader'],
      ['2', 'follower'],
      ['3', 'follower'],
    ]);
    expect(nodes.map((node) => node[3])).toEqual(['4', '4', '4']);
    // Back to the campaign: node 1 is a candidate again, from the kept result.
    await page.getByTestId('datadriven-command').nth(1).click();
    await expect
      .poll(() => page.getByTestId('datadriven-position').textContent())
      .toBe(`2 / ${expected.length}`);
    expect((await nodeAttributes(page, 'datadriven-node'))[0].slice(0, 3)).toEqual([
      '1',
      'candidate',
      '1',
    ]);
  });

  it('refuses a malformed datadriven file, naming the line', async (context) => {
    requireBrowser(context);
    await page
      .getByTestId('datadriven-text')
      .fill('campaign 1\n----\nok\n\nadd-nodes voters=(1\n----\n');
    await page.getByTestId('datadriven-load').click();
    await expect
      .poll(() => page.getByTestId('datadriven-error').textContent())
      .toMatch(/^pasted\.txt:5: /);
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('datadriven-panel').waitFor({ state: 'detached' });
  });

  it('steps to the next leader election (Raft §5.2) and charts the terms', async (context) => {
    requireBrowser(context);
    await page.getByTestId('step-until-kind').selectOption('election');
    await page.getByTestId('step-until').click();
    await page.getByTestId('step-until-message').waitFor();
    expect(await page.getByTestId('step-until-message').textContent()).toMatch(
      /^election at event \d+/,
    );
    const nodes = await nodeAttributes(page);
    expect(nodes.filter(([, role]) => role === 'leader')).toHaveLength(1);
    await page.getByTestId('open-charts').click();
    await expect.poll(() => page.locator('[data-testid="chart-term"] path.series').count()).toBe(5);
    expect(await page.locator('[data-testid="chart-commit"] path.series').count()).toBe(5);
  });

  it('exports a trace and imports it in a new page: the same state at the same position', async (context) => {
    requireBrowser(context);
    const leader = page.locator('[data-testid="node"][data-role="leader"]');
    await leader.click();
    await page.getByTestId('node-crash').click();
    await page.getByTestId('step-until-kind').selectOption('commit');
    await page.getByTestId('step-until').click();
    await expect
      .poll(() => page.getByTestId('step-until-message').textContent())
      .toMatch(/^commit at event/);
    const position = await eventCount(page);
    const nodes = await nodeAttributes(page);
    const trace = JSON.parse((await downloadOf(page, 'export-trace')).toString('utf8'));
    expect(trace).toMatchObject({
      format: 'raftlab-trace',
      version: 1,
      seed: 7,
      app: { position },
    });
    expect(trace.app.interventions).toHaveLength(1);

    const other = await app()!.open('?seed=1&nodes=3&nemesis=none', errors);
    await other.getByTestId('import-trace').setInputFiles({
      name: 'run.trace.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(trace)),
    });
    await expect.poll(() => eventCount(other)).toBe(position);
    expect(await nodeAttributes(other)).toEqual(nodes);
    expect(await other.getByTestId('sim-time').textContent()).toBe(
      await page.getByTestId('sim-time').textContent(),
    );

    // A foreign file is refused with what is wrong, and the run stays where it was.
    await other.getByTestId('import-trace').setInputFiles({
      name: 'other.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ ...trace, version: 7 })),
    });
    await expect
      .poll(() => other.getByTestId('trace-message').getAttribute('data-refused'))
      .toBe('true');
    expect(await other.getByTestId('trace-message').textContent()).toBe(
      'other.json refused: trace format version 7 is not supported (this build reads version 1)',
    );
    expect(await eventCount(other)).toBe(position);
    await other.close();
  });

  it('exports PNG and SVG pictures of the cluster and the timeline', async (context) => {
    requireBrowser(context);
    const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    for (const view of ['cluster', 'timeline']) {
      await page.getByTestId('picture-view').selectOption(view);
      const svg = (await downloadOf(page, 'export-svg')).toString('utf8');
      expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      if (view === 'cluster') expect(svg.match(/data-testid="node"/g)).toHaveLength(5);
      else expect(svg.match(/>n\d</g)).toHaveLength(5);
      const png = await downloadOf(page, 'export-png');
      expect(png.subarray(0, 8).equals(pngSignature)).toBe(true);
    }
  });

  it('logs no console errors', (context) => {
    requireBrowser(context);
    expect(errors).toEqual([]);
  });
});
