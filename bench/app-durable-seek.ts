// `npx tsx bench/app-durable-seek.ts`: how fast the app's durable mode (?durable=1: each node in
// a Web Worker, its disk in IndexedDB) steps and rewinds in headless Chromium, on Vite's dev
// server. A rewind has no checkpoints: it replays the run from the seed into a new branch of
// disks, so its cost grows with the target position. Measured through window.raftlabDurable,
// wall time per action; printed, never asserted. Each configuration runs on its own run id.
import { startAppBrowser } from '../e2e/app-browser';
import { chromiumMissing } from '../e2e/chromium-harness';

interface Case {
  nodes: number;
  stepEvents: number;
}

const cases: Case[] = [
  { nodes: 3, stepEvents: 3_000 },
  { nodes: 5, stepEvents: 3_000 },
];

async function main(): Promise<void> {
  const missing = chromiumMissing();
  if (missing !== null) {
    console.log(`skipped: ${missing}`);
    return;
  }
  const app = await startAppBrowser();
  try {
    for (const { nodes, stepEvents } of cases) {
      const errors: string[] = [];
      const search = `?durable=1&run=bench${process.pid}n${nodes}&seed=5&nodes=${nodes}&nemesis=partition,crash`;
      const page = await app.open(search, errors);
      await page.locator('[data-testid="storage-view"][data-inspected-event="0"]').waitFor();
      const timed = async (what: string, action: string, argument: number): Promise<void> => {
        const result = await page.evaluate(
          async ({ action, argument }) => {
            const handle = window.raftlabDurable!;
            const startMs = performance.now();
            if (action === 'step') await handle.step(argument);
            else await handle.seek(argument);
            await handle.idle();
            return { ms: performance.now() - startMs, eventCount: handle.state().eventCount };
          },
          { action, argument },
        );
        const perEvent =
          what.startsWith('step') || what.includes('replay ')
            ? ` (${((result.ms * 1000) / argument).toFixed(0)} µs/event)`
            : '';
        console.log(
          `${nodes} nodes  ${what.padEnd(44)} ${result.ms.toFixed(0).padStart(6)} ms${perEvent}  -> event ${result.eventCount}`,
        );
      };
      await timed(`step ${stepEvents} events (forward, recording)`, 'step', stepEvents);
      const end = await page.evaluate(() => window.raftlabDurable!.state().eventCount);
      await timed(
        `rewind to event ${Math.floor(end / 2)} (replay, new branch)`,
        'seek',
        Math.floor(end / 2),
      );
      await timed(`seek ahead to event ${end} (replay on the branch)`, 'seek', end);
      await timed(`rewind to event ${end - 1} (replay ${end - 1} events)`, 'seek', end - 1);
      await timed(`rewind to event 100 (replay, new branch)`, 'seek', 100);
      if (errors.length > 0) console.log(`page errors: ${errors.join('; ')}`);
      await page.close();
    }
  } finally {
    await app.close();
  }
}

await main();
