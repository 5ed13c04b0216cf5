// Starting a page of this repository in headless Chromium: a Vite dev server rooted at the repo
// (so a page under e2e/ or bench/ can import src/ directly) and playwright-core's Chromium, with
// the flags our other browser tests use. Shared by the storage test and the storage benchmark.
import { existsSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const skipBrowser = process.env.RAFTLAB_SKIP_BROWSER === '1';
export const chromiumPath = process.env.RAFTLAB_CHROMIUM || '/usr/bin/chromium';
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Why the browser cannot run, or null when it can. */
export function chromiumMissing(): string | null {
  if (existsSync(chromiumPath)) return null;
  return (
    `Chromium not found at ${chromiumPath}. Install it (apt-get install -y chromium), point ` +
    'RAFTLAB_CHROMIUM at a Chromium binary, or set RAFTLAB_SKIP_BROWSER=1 to skip this test.'
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface RepoPage {
  page: Page;
  /** The page's address, for reloads and new tabs. */
  url: string;
  /** Uncaught errors and console errors of the page, in order. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * Serves the repository with Vite and opens `pagePath` (relative to the repo root) in a fresh
 * Chromium profile. Dependency discovery is off so Vite never reloads the page on its own: a
 * reload the test did not ask for would make a reload test meaningless.
 */
export async function openRepoPage(pagePath: string): Promise<RepoPage> {
  const missing = chromiumMissing();
  if (missing !== null) throw new Error(missing);
  let server: ViteDevServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await createServer({
      configFile: false,
      root: repoRoot,
      logLevel: 'warn',
      optimizeDeps: { noDiscovery: true, include: [] },
      server: { host: '127.0.0.1', port: await freePort(), strictPort: true, hmr: false },
    });
    await server.listen();
    const base = server.resolvedUrls?.local[0];
    if (base === undefined) throw new Error('vite did not report a local URL');
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const url = new URL(pagePath, base).href;
    await page.goto(url);
    const opened = { server, browser };
    return {
      page,
      url,
      errors,
      close: async () => {
        await opened.browser.close();
        await opened.server.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server?.close();
    throw error;
  }
}
