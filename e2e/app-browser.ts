// Starts the app (Vite, programmatically) and a headless Chromium for the browser tests; shared
// by every e2e file that drives the app. Chromium comes from the system (RAFTLAB_CHROMIUM or
// /usr/bin/chromium); RAFTLAB_SKIP_BROWSER=1 skips the tests, a missing binary fails them.
import { existsSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const skipBrowser = process.env.RAFTLAB_SKIP_BROWSER === '1';
const chromiumPath = process.env.RAFTLAB_CHROMIUM || '/usr/bin/chromium';
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

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

/** Why the browser cannot run, or null when it can. */
export function chromiumMissing(): string | null {
  if (existsSync(chromiumPath)) return null;
  return (
    `Chromium not found at ${chromiumPath}. Install it (apt-get install -y chromium), point ` +
    'RAFTLAB_CHROMIUM at a Chromium binary, or set RAFTLAB_SKIP_BROWSER=1 to skip this test.'
  );
}

/** Skips under RAFTLAB_SKIP_BROWSER=1; fails, saying why, when Chromium is missing. */
export function requireBrowser(context: { skip: (note: string) => never }): void {
  if (skipBrowser) context.skip('RAFTLAB_SKIP_BROWSER=1 is set: the Chromium test is skipped');
  const missing = chromiumMissing();
  if (missing !== null) throw new Error(missing);
}

export interface AppBrowser {
  url: string;
  browser: Browser;
  /** A new 1280x720 page that records page errors and console errors into `errors`. */
  open(search: string, errors: string[]): Promise<Page>;
  close(): Promise<void>;
}

export async function startAppBrowser(): Promise<AppBrowser> {
  const server: ViteDevServer = await createServer({
    configFile: `${repoRoot}/vite.config.ts`,
    root: `${repoRoot}/src/ui`,
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: await freePort(), strictPort: true, hmr: false },
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('vite did not report a local URL');
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
  });
  return {
    url,
    browser,
    async open(search, errors) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await page.goto(`${url}${search}`);
      await page.getByTestId('node').first().waitFor();
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
