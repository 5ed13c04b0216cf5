// Durable mode in a real Chromium: each node in its own Web Worker with its disk in IndexedDB,
// driven by the durable simulator. A leader is elected and commits (§5.2, §5.3); a page reload
// keeps every node's stored data (the storage view shows the same HardState and last index, and
// the rebooted nodes recover it). Waits only on the event counter, the storage view's
// inspected-event attribute and promises the page resolves, never on sleeps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissing, requireBrowser, skipBrowser, startAppBrowser, type AppBrowser } from './app-browser';

const runId = `e2e${process.pid}`;
const search = `?durable=1&run=${runId}&seed=3&nodes=3&nemesis=none`;

interface StoredNode {
  id: string;
  hardState: string;
  lastIndex: string;
}

async function storedNodes(page: Page): Promise<StoredNode[]> {
  return page.$$eval('[data-testid="node-storage"]', (nodes) =>
    nodes.map((node) => ({
      id: node.getAttribute('data-node-id')!,
      hardState: node.getAttribute('data-hardstate')!,
      lastIndex: node.getAttribute('data-last-index')!,
    })),
  );
}

/** Waits until the storage view was read after the event the counter shows. */
async function storageCaughtUp(page: Page): Promise<void> {
  const events = await page.getByTestId('event-count').textContent();
  await page.locator(`[data-testid="storage-view"][data-inspected-event="${events}"]`).waitFor();
}

describe('the app in durable mode (Web Workers + IndexedDB)', () => {
  let app: AppBrowser | undefined;
  const errors: string[] = [];

  beforeAll(async () => {
    if (skipBrowser || chromiumMissing() !== null) return;
    app = await startAppBrowser();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it('elects a leader that commits, and a reload keeps each node stored data', async (context) => {
    requireBrowser(context);
    const page = await app!.open(search, errors);
    await expect(page.getByTestId('run-mode').textContent()).resolves.toContain('Durable nodes');
    await page.locator('[data-testid="storage-view"][data-inspected-event="0"]').waitFor();
    // Fresh disks: nothing stored yet.
    expect((await storedNodes(page)).map((node) => node.hardState)).toEqual(['', '', '']);

    // One step boots the three nodes (three events) and processes the next event.
    await page.getByTestId('step').click();
    await page.getByTestId('event-count').filter({ hasText: /^4$/ }).waitFor();
    const reached = await page.evaluate(() => window.raftlabDurable!.stepUntilCommitted(2, 20_000));
    expect(reached).toBe(true);
    await storageCaughtUp(page);
    const roles = await page.$$eval('[data-testid="node"]', (nodes) => nodes.map((node) => node.getAttribute('data-role')));
    expect(roles.filter((role) => role === 'leader')).toHaveLength(1);
    const leaderCommit = await page.locator('[data-testid="node"][data-role="leader"]').getAttribute('data-commit');
    expect(Number(leaderCommit)).toBeGreaterThanOrEqual(2);

    // What the storage view read from each disk is what the node reported as durable.
    const before = await storedNodes(page);
    const statuses = await page.evaluate(() =>
      window.raftlabDurable!.state().durable!.nodes.map((node) => ({ term: node.status!.term, lastIndex: node.status!.lastIndex })),
    );
    before.forEach((node, i) => {
      expect(node.hardState.split('/')[0]).toBe(String(statuses[i].term));
      expect(node.lastIndex).toBe(String(statuses[i].lastIndex));
    });
    expect(Number(before[0].lastIndex)).toBeGreaterThanOrEqual(2);
    // The page's URL names the run, so a reload finds the same disks.
    expect(new URL(page.url()).searchParams.get('run')).toBe(runId);

    await page.reload();
    await page.getByTestId('node').first().waitFor();
    await page.locator('[data-testid="storage-view"][data-inspected-event="0"]').waitFor();
    await page.getByTestId('resumed-note').waitFor();
    expect(await storedNodes(page)).toEqual(before);

    // Booting from those disks recovers the same HardState and last index.
    await page.getByTestId('step').click();
    await page.getByTestId('event-count').filter({ hasText: /^4$/ }).waitFor();
    await storageCaughtUp(page);
    const recovered = await page.evaluate(() =>
      window.raftlabDurable!.state().durable!.nodes.map((node) => ({ term: node.status!.term, lastIndex: node.status!.lastIndex })),
    );
    before.forEach((node, i) => {
      expect(recovered[i].term).toBe(Number(node.hardState.split('/')[0]));
      expect(recovered[i].lastIndex).toBe(Number(node.lastIndex));
    });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
