// Drives the first page in a real Chromium: the page must elect a leader step by step, agree
// event for event with the same seed run in Node, and commit a proposal on all three nodes.
// Its event log panel must show etcd's own text. It waits only on deterministic signals (the
// simulator's event counter, the DOM), never sleeps.
import { existsSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { createCluster } from '../src/sim/cluster';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const skipReason = 'RAFTLAB_SKIP_BROWSER=1 is set: the Chromium test of the first page is skipped';
const skipBrowser = process.env.RAFTLAB_SKIP_BROWSER === '1';
const chromiumPath = process.env.RAFTLAB_CHROMIUM || '/usr/bin/chromium';
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const seed = 1;
/** Clicks of Step allowed before a leader must exist (an election takes a few hundred events). */
const stepsToLeaderMax = 2_000;
/** The panel's eventLogRowsShownMax (src/ui/views/event-log-panel.tsx, not imported: it loads React). */
const eventLogRowsShownMax = 300;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Why the browser cannot run, or null when it can. Tests fail with it (a setup hook would skip them). */
function chromiumMissing(): string | null {
  if (existsSync(chromiumPath)) return null;
  return (
    `Chromium not found at ${chromiumPath}. Install it (apt-get install -y chromium), point ` +
    'RAFTLAB_CHROMIUM at a Chromium binary, or set RAFTLAB_SKIP_BROWSER=1 to skip this test.'
  );
}

/** Skips under RAFTLAB_SKIP_BROWSER=1; fails, saying why, when Chromium is missing. */
function requireBrowser(context: { skip: (note: string) => never }): void {
  if (skipBrowser) context.skip(skipReason);
  const missing = chromiumMissing();
  if (missing !== null) throw new Error(missing);
}

async function eventCount(page: Page): Promise<number> {
  return page.evaluate(() => window.raftlab!.eventCount);
}

async function domCommits(page: Page): Promise<number[]> {
  return page.$$eval('[data-testid$="-commit"]', (cells) =>
    cells.map((cell) => Number(cell.textContent)),
  );
}

describe('the first page in Chromium', () => {
  let server: ViteDevServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (skipBrowser || chromiumMissing() !== null) return;
    server = await createServer({
      configFile: `${repoRoot}/vite.config.ts`,
      root: `${repoRoot}/src/ui`,
      logLevel: 'warn',
      server: { host: '127.0.0.1', port: await freePort(), strictPort: true, hmr: false },
    });
    await server.listen();
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
    });
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const url = server.resolvedUrls?.local[0];
    if (url === undefined) throw new Error('vite did not report a local URL');
    await page.goto(`${url}?seed=${seed}`);
    await page.getByTestId('node-3').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('elects a leader step by step, in lockstep with the same seed run in Node', async (context) => {
    requireBrowser(context);
    expect(await page.locator('[data-testid^="node-"][data-role]').count()).toBe(3);
    let steps = 0;
    while ((await page.locator('[data-role="leader"]').count()) === 0) {
      if (steps >= stepsToLeaderMax)
        throw new Error(`seed ${seed}: no leader after ${steps} steps`);
      const before = await eventCount(page);
      await page.getByTestId('step').click();
      await page.waitForFunction((count) => window.raftlab!.eventCount === count + 1, before);
      steps++;
    }
    await expect.poll(() => page.getByTestId('event-count').textContent()).toBe(String(steps));

    const inNode = createCluster({ nodeCount: 3, seed });
    for (let i = 0; i < steps; i++) inNode.step();
    const inBrowser = await page.evaluate(() => window.raftlab!.snapshot());
    expect(inBrowser).toEqual(inNode.snapshot({ logEntriesMax: Number.MAX_SAFE_INTEGER }));

    for (const node of inBrowser.nodes) {
      expect(await page.getByTestId(`node-${node.id}-role`).textContent()).toBe(node.role);
      expect(await page.getByTestId(`node-${node.id}-term`).textContent()).toBe(String(node.term));
      expect(await page.getByTestId(`node-${node.id}-commit`).textContent()).toBe(
        String(node.commit),
      );
    }
  });

  it("shows the event log in etcd's text, filtered by node and kind", async (context) => {
    requireBrowser(context);
    const leader = (await page.evaluate(() => window.raftlab!.snapshot())).nodes.find(
      (node) => node.role === 'leader',
    )!;
    const becameLeader = `${leader.id} became leader at term ${leader.term}`;
    const panel = page.getByTestId('event-log');
    await panel.getByTestId('event-log-text').filter({ hasText: becameLeader }).waitFor();

    // The panel shows the newest entries of the same log the simulator keeps in Node.
    const inNode = createCluster({ nodeCount: 3, seed });
    for (let i = 0; i < (await eventCount(page)); i++) inNode.step();
    const entries = await page.evaluate(() => window.raftlab!.eventLog());
    expect(entries).toEqual(inNode.eventLog.entries());
    const texts = await panel.getByTestId('event-log-text').allTextContents();
    expect(texts).toEqual(entries.slice(-texts.length).map((entry) => entry.text));
    expect(texts.length).toBe(Math.min(entries.length, eventLogRowsShownMax));

    await page.getByTestId('event-log-node').selectOption(String(leader.id));
    await page.getByTestId('event-log-kind').selectOption('log');
    const rows = panel.getByTestId('event-log-row');
    await expect
      .poll(() =>
        rows.evaluateAll(
          (all, id) =>
            all.length > 0 &&
            all.every((row) => row.dataset.kind === 'log' && row.dataset.node === id),
          String(leader.id),
        ),
      )
      .toBe(true);
    expect(await panel.getByTestId('event-log-text').allTextContents()).toContain(becameLeader);

    await page.getByTestId('event-log-kind').selectOption('message');
    await expect
      .poll(() =>
        rows.evaluateAll(
          (all, id) =>
            all.length > 0 &&
            all.every((row) => row.dataset.kind === 'message' && row.dataset.node === id),
          String(leader.id),
        ),
      )
      .toBe(true);
    for (const text of await panel.getByTestId('event-log-text').allTextContents()) {
      expect(text).toMatch(/^[0-9a-f]+->[0-9a-f]+ Msg\w+ Term:\d+ Log:\d+\/\d+/);
    }
    await page.getByTestId('event-log-node').selectOption('');
    await page.getByTestId('event-log-kind').selectOption('');
  });

  it('plays on simulated time and commits a proposal on all three nodes', async (context) => {
    requireBrowser(context);
    const commitBefore = Math.max(...(await domCommits(page)));
    await page.getByTestId('propose').click();
    await page.getByTestId('play').click();
    await page.waitForFunction(
      (commit) =>
        [...document.querySelectorAll('[data-testid$="-commit"]')].some(
          (cell) => Number(cell.textContent) > commit,
        ),
      commitBefore,
    );
    // The proposal x1 shows as a committed cell in every node's log.
    for (const id of [1, 2, 3]) {
      await page
        .getByTestId(`node-${id}-log`)
        .locator('.entry.committed', { hasText: 'x1' })
        .waitFor();
    }
    await page.getByTestId('pause').click();
    await page.getByTestId('play').waitFor();

    const nodes = page.locator('[data-testid^="node-"][data-role]');
    expect(await nodes.count()).toBe(3);
    for (const id of [1, 2, 3]) {
      expect(await page.getByTestId(`node-${id}-role`).textContent()).toMatch(
        /^(leader|follower|candidate|pre-candidate)$/,
      );
      expect(Number(await page.getByTestId(`node-${id}-term`).textContent())).toBeGreaterThan(0);
      expect(Number(await page.getByTestId(`node-${id}-commit`).textContent())).toBeGreaterThan(
        commitBefore,
      );
    }
    expect(await page.locator('[data-role="leader"]').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
