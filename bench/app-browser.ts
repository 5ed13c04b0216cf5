// `npm run bench:app`: the app's speed in headless Chromium, against the targets. It
// serves the app twice, with Vite's dev server and as a production build (vite build into a
// temporary directory, served by vite preview on 127.0.0.1), and measures in each:
//   - frames per second while playing 9 nodes with a few hundred messages in flight (every link
//     slowed by hand, so messages stay in the air), counted with requestAnimationFrame;
//   - seeks to random positions of a 100,000-event run, through window.raftlab's actions;
// and, for the production build only, the time to the first screen (the Performance API's paint
// entries) and the JavaScript that screen loads, gzipped with node:zlib. Printed, never asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, createServer, preview } from 'vite';
import {
  chromiumArgs,
  chromiumMissing,
  chromiumPath,
  freePort,
  repoRoot,
} from '../e2e/chromium-harness';
import {
  firstScreenScript,
  fpsScript,
  seekScript,
  slowAllLinksScript,
  type FirstScreen,
  type FrameRate,
  type SeekTimes,
} from './app-browser-page';

const nodeCount = 9;
const framesMeasured = 300;
const frameRounds = 3;
const seekRunEvents = 100_000;
const seeksMeasured = 30;
/** Extra latency on every link: with 9 nodes this keeps a few hundred messages in the air. */
const linkLatencyMs = 300;
const speeds = [1, 4];
/** A 10-minute safety phase, so playing fast never reaches the end of the run mid-measurement. */
const search = `?seed=1&nodes=${nodeCount}&nemesis=none&time=600000`;

interface Served {
  label: string;
  url: string;
  close(): Promise<void>;
}

async function serveDev(): Promise<Served> {
  const server = await createServer({
    configFile: `${repoRoot}/vite.config.ts`,
    root: `${repoRoot}/src/ui`,
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: await freePort(), strictPort: true, hmr: false },
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('vite did not report a local URL');
  return { label: 'dev', url, close: () => server.close() };
}

async function serveProduction(): Promise<Served> {
  const outDir = mkdtempSync(join(tmpdir(), 'raftlab-bench-app-'));
  await build({
    configFile: `${repoRoot}/vite.config.ts`,
    root: `${repoRoot}/src/ui`,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  const server = await preview({
    configFile: `${repoRoot}/vite.config.ts`,
    root: `${repoRoot}/src/ui`,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: await freePort(), strictPort: true },
  });
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('vite preview did not report a local URL');
  return {
    label: 'production',
    url,
    close: async () => {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

async function openApp(browser: Browser, url: string, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${url}${search}`);
  await page.getByTestId('node').first().waitFor();
  return page;
}

/** What a frame-rate round plays: its speed, and panels hidden (display: none) to see their cost. */
interface FrameVariant {
  speed: number;
  label: string;
  hidden: string | null;
}

const frameVariants: FrameVariant[] = [
  ...speeds.map((speed) => ({ speed, label: `${speed}×`, hidden: null })),
  {
    speed: 1,
    label: '1×, cluster view only (logs, timeline, event log, checkers, client hidden)',
    hidden: '.logs-panel, .timeline-panel, .event-log, .checkers, .client-panel',
  },
];

async function measureFrames(
  browser: Browser,
  url: string,
  variant: FrameVariant,
): Promise<FrameRate> {
  const errors: string[] = [];
  const page = await openApp(browser, url, errors);
  try {
    if (variant.hidden !== null)
      await page.addStyleTag({ content: `${variant.hidden} { display: none !important; }` });
    // Elect a leader first, then slow every link so the messages stay in the air.
    await page.evaluate(slowAllLinksScript(nodeCount, linkLatencyMs, 3_000));
    const result = (await page.evaluate(fpsScript(variant.speed, framesMeasured))) as FrameRate;
    if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join('; ')}`);
    return result;
  } finally {
    await page.close();
  }
}

async function measureSeeks(browser: Browser, url: string): Promise<SeekTimes> {
  const errors: string[] = [];
  const page = await openApp(browser, url, errors);
  try {
    const result = (await page.evaluate(seekScript(seekRunEvents, seeksMeasured))) as SeekTimes;
    if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join('; ')}`);
    return result;
  } finally {
    await page.close();
  }
}

/** A fresh page's first screen: paint timings and the JavaScript it fetched, gzipped. */
async function measureFirstScreen(
  browser: Browser,
  url: string,
): Promise<FirstScreen & { jsGzipBytes: number; jsBytes: number; jsFiles: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const scripts: Promise<Buffer>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') scripts.push(response.body());
  });
  await page.goto(`${url}${search}`);
  await page.getByTestId('node').first().waitFor();
  const screen = (await page.evaluate(firstScreenScript())) as FirstScreen;
  const bodies = await Promise.all(scripts);
  await context.close();
  return {
    ...screen,
    jsFiles: bodies.length,
    jsBytes: bodies.reduce((sum, body) => sum + body.length, 0),
    jsGzipBytes: bodies.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0),
  };
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;

async function benchServed(browser: Browser, served: Served): Promise<string[]> {
  const rows: string[] = [];
  for (const variant of frameVariants) {
    // The machine is shared: take several rounds and report the median round and the range.
    const rounds: FrameRate[] = [];
    for (let round = 0; round < frameRounds; round++)
      rounds.push(await measureFrames(browser, served.url, variant));
    rounds.sort((a, b) => a.fps - b.fps);
    const frames = rounds[Math.floor(rounds.length / 2)];
    const range = `${rounds[0].fps.toFixed(1)}–${rounds[rounds.length - 1].fps.toFixed(1)}`;
    rows.push(
      `| ${served.label} | fps, 9 nodes, ${variant.label} | ${frames.fps.toFixed(1)} fps | ` +
        `median of ${frameRounds} rounds (range ${range}) of ${frames.frames} frames; ` +
        `frame p95 ${ms(frames.frameP95Ms)}, max ${ms(frames.frameMaxMs)}; ` +
        `in flight mean ${frames.inFlightMean.toFixed(0)}, max ${frames.inFlightMax}; ${frames.simulatedMs} ms simulated |`,
    );
  }
  const seeks = await measureSeeks(browser, served.url);
  rows.push(
    `| ${served.label} | seek, ${seeks.eventCount} events | median ${ms(seeks.seekMedianMs)}, max ${ms(seeks.seekMaxMs)} | ` +
      `${seeks.seeks} random seeks; to the next frame median ${ms(seeks.frameMedianMs)}, max ${ms(seeks.frameMaxMs)}; ` +
      `generating the run took ${(seeks.generateMs / 1000).toFixed(1)} s |`,
  );
  return rows;
}

async function main(): Promise<void> {
  const missing = chromiumMissing();
  if (missing !== null) throw new Error(missing);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
  });
  const rows: string[] = [];
  try {
    console.log(
      `${browser.version()} headless, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg()[0].toFixed(1)}`,
    );
    const production = await serveProduction();
    try {
      const screen = await measureFirstScreen(browser, production.url);
      rows.push(
        `| production | first screen | FCP ${ms(screen.firstContentfulPaintMs)} | first paint ${ms(screen.firstPaintMs)}, ` +
          `DOMContentLoaded ${ms(screen.domContentLoadedMs)}, load ${ms(screen.loadMs)} |`,
        `| production | first-screen JavaScript | ${(screen.jsGzipBytes / 1024).toFixed(1)} KiB gzipped | ` +
          `${screen.jsFiles} file(s), ${(screen.jsBytes / 1024).toFixed(1)} KiB raw |`,
      );
      rows.push(...(await benchServed(browser, production)));
    } finally {
      await production.close();
    }
    const dev = await serveDev();
    try {
      rows.push(...(await benchServed(browser, dev)));
    } finally {
      await dev.close();
    }
  } finally {
    await browser.close();
  }
  console.log('| server | measure | result | details |');
  console.log('| --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
  console.log(`load average after: ${loadavg()[0].toFixed(1)}`);
}

await main();
