// etcd nodes in browser Web Workers on IndexedDB disks, driven in Chromium: a write survives a
// page reload (the disk outlives the Worker and the page), and the scripted lockstep run gives
// the same transcript in browser Workers as in-process in Node. Waits only on promises the page
// resolves when its lockstep run is done, never on sleeps.
import { existsSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import type { BatchEndpoint } from '../src/engines/etcd/lockstep-cluster';
import type { NodeId } from '../src/raft/types';
import { inProcessEndpoint } from '../src/worker/in-process';
import { runScenario, scenarioInits, transcriptJson } from '../src/worker/transcript-scenario';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const skipBrowser = process.env.RAFTLAB_SKIP_BROWSER === '1';
const chromiumPath = process.env.RAFTLAB_CHROMIUM || '/usr/bin/chromium';
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function requireBrowser(context: { skip: (note: string) => never }): void {
  if (skipBrowser) context.skip('RAFTLAB_SKIP_BROWSER=1 is set: the Web Worker node test is skipped');
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: install it, set RAFTLAB_CHROMIUM, or set RAFTLAB_SKIP_BROWSER=1.`);
  }
}

describe('etcd nodes in browser Web Workers', () => {
  let server: ViteDevServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (skipBrowser || !existsSync(chromiumPath)) return;
    server = await createServer({
      configFile: false,
      root: `${repoRoot}/e2e/node-worker`,
      logLevel: 'warn',
      server: { host: '127.0.0.1', port: await freePort(), strictPort: true, hmr: false },
    });
    await server.listen();
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const url = server.resolvedUrls?.local[0];
    if (url === undefined) throw new Error('vite did not report a local URL');
    await page.goto(url);
    await page.locator('#state', { hasText: 'ready' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('finds a write again after a page reload (IndexedDB outlives the Worker)', async (context) => {
    requireBrowser(context);
    const index = await page.evaluate(() => window.raftlabNodeWorker!.write('reload-test', 'greeting', 'hello'));
    expect(index).toBeGreaterThan(1);
    await page.reload();
    await page.locator('#state', { hasText: 'ready' }).waitFor();
    const kv = await page.evaluate(() => window.raftlabNodeWorker!.read('reload-test'));
    expect(kv).toEqual([['greeting', 'hello']]);
    expect(pageErrors).toEqual([]);
  });

  it('gives the same transcript in browser Workers as in-process in Node', async (context) => {
    requireBrowser(context);
    const seed = 42;
    const endpoints = new Map<NodeId, BatchEndpoint>(scenarioInits().map((init) => [init.id, inProcessEndpoint(init)]));
    const expected = transcriptJson(await runScenario(endpoints, seed));
    const actual = await page.evaluate((s) => window.raftlabNodeWorker!.transcript(s), seed);
    expect(JSON.parse(actual)).toEqual(JSON.parse(expected));
    expect(pageErrors).toEqual([]);
  });
});
