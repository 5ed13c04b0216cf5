// Takes the README's screenshots: 1280x720 PNGs of the app in Chromium, each at a fixed seed and
// position so they come out the same every time. Run: npx tsx e2e/take-screenshots.ts [NAME...]
// Chromium's PNGs are truecolour; png-palette.ts rewrites each with a 256-colour palette.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { repoRoot, startAppBrowser } from './app-browser';
import { paletteInPlace } from './png-palette';

const outDir = `${repoRoot}/docs/screenshots`;
/** The README shows these inline; keep each small. */
const pngBytesMax = 200_000;

interface Shot {
  name: string;
  search: string;
  colorScheme: 'light' | 'dark';
  /** Runs in the page before the picture: seeks, toggles (awaited when it returns a promise). */
  prepare: () => void | Promise<void>;
}

const shots: Shot[] = [
  {
    name: 'cluster',
    search: '?seed=7&nodes=5&nemesis=none',
    colorScheme: 'light',
    prepare: () => {
      // Just after the first candidate asks for votes: vote requests in the air.
      const raftlab = window.raftlab!;
      while (!raftlab.state().nodes.some((node) => node.role === 'candidate'))
        raftlab.actions.step();
      for (let i = 0; i < 3; i++) raftlab.actions.step();
    },
  },
  {
    name: 'logs',
    search: '?scenario=partition-heal',
    colorScheme: 'light',
    prepare: () => window.raftlab!.actions.seek(4_200),
  },
  {
    name: 'timeline',
    search: '?seed=11&nodes=5&nemesis=partition,crash,loss,latency',
    colorScheme: 'light',
    prepare: () => {
      window.raftlab!.actions.setTimelineWindow(2_000);
      window.raftlab!.actions.seek(9_000);
    },
  },
  {
    name: 'scenario-caption',
    search: '?scenario=leader-crash',
    colorScheme: 'light',
    prepare: () => window.raftlab!.actions.seek(1_575),
  },
  {
    name: 'presentation-dark',
    search: '?scenario=first-election',
    colorScheme: 'dark',
    prepare: () => window.raftlab!.actions.seek(96),
  },
  {
    name: 'linearizability',
    search: '?scenario=lease-read-clock-skew',
    colorScheme: 'light',
    // The run's end: the checker has found the stale lease read and the timeline marks it.
    prepare: () => window.raftlab!.actions.seek(1e9),
  },
  // The migration page shows its nodes once the URL's step of the recorded scenario is on screen.
  {
    name: 'migration',
    search: '?view=migration&scenario=migration&seed=1&step=48',
    colorScheme: 'light',
    prepare: () => undefined,
  },
  {
    name: 'engines-side-by-side',
    search: '?view=engines&seed=1&nemesis=partition,crash&t=3000',
    colorScheme: 'light',
    prepare: () => undefined,
  },
  // A membership scenario side by side: node 4 replaces a follower, etcd through joint consensus,
  // HashiCorp one server at a time; scrolled to the panes (configuration, catch-up, change log).
  {
    name: 'engines-membership',
    search: '?view=engines&scenario=replace-server&seed=1&t=1500',
    colorScheme: 'light',
    prepare: async () => {
      await window.raftlabMigration!.idle();
      document.querySelector('[data-testid="engine-pane"]')?.scrollIntoView();
    },
  },
  // Durable mode (nodes in Web Workers on IndexedDB disks): the leader crashed by hand, another
  // elected. Each launch has a fresh browser profile, so the run id always finds empty disks.
  {
    name: 'durable',
    search: '?durable=1&run=readme&seed=5&nodes=3&nemesis=none',
    colorScheme: 'light',
    prepare: async () => {
      const durable = window.raftlabDurable!;
      await durable.step(600);
      const leader = durable.state().nodes.find((node) => node.role === 'leader');
      if (leader !== undefined) await durable.intervene({ kind: 'crash', node: leader.id });
      await durable.step(300);
      await durable.idle();
      window.raftlab!.actions.setTimelineWindow(2_000);
    },
  },
];

async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const app = await startAppBrowser();
  try {
    // `npx tsx e2e/take-screenshots.ts NAME...` retakes only those.
    const only = process.argv.slice(2);
    for (const shot of shots.filter((item) => only.length === 0 || only.includes(item.name))) {
      const page = await app.browser.newPage({
        viewport: { width: 1280, height: 720 },
        colorScheme: shot.colorScheme,
      });
      await page.goto(`${app.url}${shot.search}`);
      await page.getByTestId('node').first().waitFor();
      if (shot.name === 'presentation-dark') await page.keyboard.press('p');
      await page.evaluate(shot.prepare);
      await settle(page);
      await settle(page);
      const path = `${outDir}/${shot.name}.png`;
      await page.screenshot({ path });
      const bytes = paletteInPlace(path);
      console.log(`${path}: ${bytes} bytes${bytes > pngBytesMax ? ' (TOO LARGE)' : ''}`);
      await page.close();
    }
  } finally {
    await app.close();
  }
}

await main();
