// Drives the app in a real Chromium through its automation contract (data-testid attributes):
// the first election, a crash of the leader and the re-election, rewinding to an earlier
// position and finding the same state, and a shared URL reproducing the run in a new page. The
// tests wait only on deterministic signals (the event counter, node attributes), never sleep.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createSimulation } from '../src/sim/run';
import { requireBrowser } from './app-browser';
import { useAppBrowser } from './app-browser-suite';
import { eventCount, nodeAttributes, type NodeAttributes } from './page-reading';

const seed = 7;
const nodeCount = 5;
const search = `?seed=${seed}&nodes=${nodeCount}&nemesis=none`;

/** Plays at the fastest speed until `done` holds in the page, then pauses. */
async function playUntil(page: Page, done: () => boolean): Promise<void> {
  await page.getByTestId('speed').selectOption('100');
  await page.getByTestId('play').click();
  await page.waitForFunction(done);
  await page.getByTestId('pause').click();
  await page.getByTestId('play').waitFor();
}

describe('the app in Chromium', () => {
  const app = useAppBrowser();
  let page: Page;
  const errors: string[] = [];
  /** Positions and the node attributes seen there, for the rewind and URL tests. */
  const seen = new Map<number, NodeAttributes[]>();

  beforeAll(async () => {
    const started = app();
    if (started) page = await started.open(search, errors);
  });

  it('elects a first leader (Raft §5.2), event for event as the simulator runs in Node', async (context) => {
    requireBrowser(context);
    expect(await page.getByTestId('node').count()).toBe(nodeCount);
    expect(await eventCount(page)).toBe(0);
    for (let i = 1; i <= 5; i++) {
      await page.getByTestId('step').click();
      await expect.poll(() => eventCount(page)).toBe(i);
    }
    await playUntil(
      page,
      () => document.querySelector('[data-testid="node"][data-role="leader"]') !== null,
    );
    const count = await eventCount(page);
    const nodes = await nodeAttributes(page);
    expect(nodes.filter((node) => node.role === 'leader')).toHaveLength(1);
    seen.set(count, nodes);

    // The same seed in Node gives the same transcript lines and the same roles.
    const simulation = createSimulation({
      seed,
      nodeCount,
      nemesis: [],
      transcriptLinesKeptMax: count,
    });
    for (let i = 0; i < count; i++) simulation.step();
    const transcript = await page.evaluate(() => window.raftlab!.transcript());
    expect(transcript).toEqual(simulation.result().transcriptLines);
    expect(simulation.nodeViews().map((view) => view.role)).toEqual(nodes.map((node) => node.role));
    expect(await page.getByTestId('invariants').getAttribute('data-violations')).toBe('0');
    expect(await page.getByTestId('linearizability').getAttribute('data-result')).toBe('pending');
  });

  it('re-elects a leader after the leader crashes (Raft §5.2)', async (context) => {
    requireBrowser(context);
    // An intervention belongs to the position it was made at; step once so the position the
    // rewind test returns to (the first election) stays the state before the crash.
    const before = await eventCount(page);
    await page.getByTestId('step').click();
    await expect.poll(() => eventCount(page)).toBe(before + 1);
    const leader = page.locator('[data-testid="node"][data-role="leader"]');
    const leaderId = (await leader.getAttribute('data-node-id'))!;
    await leader.click();
    await page.getByTestId('node-crash').click();
    const crashed = page.locator(`[data-testid="node"][data-node-id="${leaderId}"]`);
    await expect.poll(() => crashed.getAttribute('data-role')).toBe('down');
    await playUntil(
      page,
      () => document.querySelector('[data-testid="node"][data-role="leader"]') !== null,
    );
    const nodes = await nodeAttributes(page);
    const newLeader = nodes.find((node) => node.role === 'leader')!;
    expect(newLeader.id).not.toBe(leaderId);
    expect(Number(newLeader.term)).toBeGreaterThan(
      Number(nodes.find((node) => node.id === leaderId)!.term),
    );
    seen.set(await eventCount(page), nodes);
    expect(await page.getByTestId('invariants').getAttribute('data-violations')).toBe('0');
  });

  it('rewinds to an earlier position and shows the same state, then steps forward again', async (context) => {
    requireBrowser(context);
    const [first, second] = [...seen.keys()];
    await page.getByTestId('scrubber').fill(String(first));
    await expect.poll(() => eventCount(page)).toBe(first);
    expect(await nodeAttributes(page)).toEqual(seen.get(first));
    await page.getByTestId('step').click();
    await expect.poll(() => eventCount(page)).toBe(first + 1);
    // Forward again past the crash: the intervention is replayed at the same event.
    await page.getByTestId('scrubber').fill(String(second));
    await expect.poll(() => eventCount(page)).toBe(second);
    expect(await nodeAttributes(page)).toEqual(seen.get(second));
  });

  it('reproduces the same state from the shared URL in a new page', async (context) => {
    requireBrowser(context);
    const position = await eventCount(page);
    const url = new URL(page.url());
    expect(url.searchParams.get('t')).toBe(String(position));
    expect(url.searchParams.get('inject')).toMatch(/^\d+:crash:\d$/);
    const other = await app()!.open(url.search, errors);
    await expect.poll(() => eventCount(other)).toBe(position);
    expect(await nodeAttributes(other)).toEqual(seen.get(position));
    expect(await other.getByTestId('sim-time').textContent()).toBe(
      await page.getByTestId('sim-time').textContent(),
    );
    await other.close();
  });

  it('logs no console errors', (context) => {
    requireBrowser(context);
    expect(errors).toEqual([]);
  });
});
