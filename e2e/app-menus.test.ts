// The menus of the cluster view stay inside the cluster panel at 1280x720: each node's menu
// (opened by clicking the node, the ones near the panel's edges included), a link's menu and a
// message's menu, on 3, 5 and 9 nodes. Waits on the menu appearing, never on sleeps.
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { requireBrowser } from './app-browser';
import { useAppBrowser } from './app-browser-suite';

async function expectInsidePanel(page: Page, menu: Locator, what: string): Promise<void> {
  await menu.waitFor();
  // The placement is applied before paint; wait until the measured menu is visible.
  await expect
    .poll(() => menu.evaluate((element) => getComputedStyle(element).visibility))
    .toBe('visible');
  const panel = (await page.locator('.cluster-panel').boundingBox())!;
  const box = (await menu.boundingBox())!;
  const inside =
    box.x >= panel.x &&
    box.y >= panel.y &&
    box.x + box.width <= panel.x + panel.width &&
    box.y + box.height <= panel.y + panel.height;
  expect(
    inside,
    `${what}: menu ${JSON.stringify(box)} outside panel ${JSON.stringify(panel)}`,
  ).toBe(true);
}

describe('menus stay inside the cluster panel at 1280x720', () => {
  const app = useAppBrowser();
  const errors: string[] = [];


  for (const nodeCount of [3, 5, 9]) {
    it(`every node's menu on ${nodeCount} nodes`, async (context) => {
      requireBrowser(context);
      const page = await app()!.open(`?seed=7&nodes=${nodeCount}&nemesis=none`, errors);
      for (let id = 1; id <= nodeCount; id++) {
        await page.locator(`[data-testid="node"][data-node-id="${id}"]`).dispatchEvent('click');
        const menu = page.getByTestId('node-menu');
        await expect.poll(() => menu.locator('.node-menu-title').textContent()).toBe(`Node ${id}`);
        await expectInsidePanel(page, menu, `node ${id} of ${nodeCount}`);
        // Every item is on screen and can be clicked (not cut off by the panel).
        await page.getByTestId('node-add-voter').scrollIntoViewIfNeeded();
        expect(await page.getByTestId('node-crash').isVisible()).toBe(true);
      }
      await page.close();
    });
  }

  it("a link's menu and a message's menu", async (context) => {
    requireBrowser(context);
    const page = await app()!.open('?seed=7&nodes=5&nemesis=none', errors);
    for (const [a, b] of [
      [1, 2],
      [2, 3],
      [3, 4],
      [1, 5],
    ]) {
      await page.locator(`[data-link="${a}-${b}"] .link-hit`).dispatchEvent('click');
      await expectInsidePanel(page, page.getByTestId('link-menu'), `link ${a}-${b}`);
    }
    // Step until a message is in flight (the run's own record says so), then open its menu.
    await page.evaluate(() => {
      const raftlab = window.raftlab!;
      const inFlight = (): boolean => {
        const { nowMs, eventCount } = raftlab.state();
        return raftlab.actions
          .currentRun()
          .trace.flights.some(
            (flight) =>
              flight.flightId !== null &&
              flight.sentEvent <= eventCount &&
              flight.arriveMs !== null &&
              flight.arriveMs > nowMs,
          );
      };
      for (let i = 0; i < 5_000 && !inFlight(); i++) raftlab.actions.step();
    });
    await page.locator('.message-dot.live').first().waitFor();
    await page.locator('.message-dot.live').first().dispatchEvent('click');
    await expectInsidePanel(page, page.getByTestId('message-menu'), 'message');
    await page.close();
  });

  it('logged no page or console errors', () => {
    expect(errors).toEqual([]);
  });
});
