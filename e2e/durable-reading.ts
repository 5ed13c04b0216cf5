// What the durable-mode e2e tests read from a page: each node's storage as the storage view shows
// it (its data attributes), and stepping through the page's handle until that view caught up with
// the event counter. One copy for the etcd and the HashiCorp durable tests.
import type { Page } from 'playwright-core';

export interface StoredNode {
  id: string;
  /** etcd: the WAL's last HardState, `term/vote/commit` ('' when none). */
  hardState: string;
  /** HashiCorp: the stable store's `term/vote` ('' when none or on etcd). */
  stable: string;
  lastIndex: string;
}

export async function storedNodes(page: Page): Promise<StoredNode[]> {
  return page.$$eval('[data-testid="node-storage"]', (nodes) =>
    nodes.map((node) => ({
      id: node.getAttribute('data-node-id')!,
      hardState: node.getAttribute('data-hardstate')!,
      stable: node.getAttribute('data-stable')!,
      lastIndex: node.getAttribute('data-last-index')!,
    })),
  );
}

/** Waits until the storage view was read after the event the counter shows. */
export async function storageCaughtUp(page: Page): Promise<void> {
  const events = await page.getByTestId('event-count').textContent();
  await page.locator(`[data-testid="storage-view"][data-inspected-event="${events}"]`).waitFor();
}

/** Steps `count` steps through the page's handle and waits for the storage view to catch up. */
export async function stepBy(page: Page, count: number): Promise<void> {
  await page.evaluate((steps) => window.raftlabDurable!.step(steps), count);
  await storageCaughtUp(page);
}

/** Opens the node's menu from its card and clicks the item (node-crash, node-restart, ...). */
export async function nodeMenuAction(page: Page, nodeId: string, item: string): Promise<void> {
  await page.locator(`[data-testid="node"][data-node-id="${nodeId}"]`).click();
  await page.getByTestId(item).click();
}

/** The leader's id, term and commit index, as its card shows them. */
export async function leaderCard(
  page: Page,
): Promise<{ id: string; term: number; commit: number }> {
  const leader = page.locator('[data-testid="node"][data-role="leader"]');
  return {
    id: (await leader.getAttribute('data-node-id'))!,
    term: Number(await leader.getAttribute('data-term')),
    commit: Number(await leader.getAttribute('data-commit')),
  };
}

/** Drags the scrubber to event `target` and waits until the run stands there (a rewind replays). */
export async function scrubTo(page: Page, target: number): Promise<void> {
  await page.getByTestId('scrubber').fill(String(target));
  await page
    .getByTestId('event-count')
    .filter({ hasText: new RegExp(`^${target}$`) })
    .waitFor({ timeout: 60_000 });
  await page.evaluate(() => window.raftlabDurable!.idle());
}

/**
 * Opens the page's URL as a shared link on fresh disks (run `run`, no branch) and waits until it
 * has replayed to the position the link names.
 */
export async function openSharedOnFreshDisks(
  app: { open(search: string, errors: string[]): Promise<Page> },
  page: Page,
  run: string,
  errors: string[],
): Promise<Page> {
  const shared = new URL(page.url());
  shared.searchParams.set('run', run);
  shared.searchParams.delete('branch');
  const second = await app.open(shared.search, errors);
  await second
    .locator(`[data-testid="storage-view"][data-inspected-event="${shared.searchParams.get('t')}"]`)
    .waitFor({ timeout: 60_000 });
  await second.evaluate(() => window.raftlabDurable!.idle());
  return second;
}
