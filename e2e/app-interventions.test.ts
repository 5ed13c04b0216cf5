// Drives the interventions by hand in Chromium: a partition made by cutting links in the link
// menu and healed by restoring them (a new leader on the majority side, commits resuming after
// the heal), leadership transferred from a node's menu, a message in flight dropped from its
// menu, and the URL carrying all of it reproducing the same state in a new page. Waits only on
// deterministic signals (the event counter, node attributes, transcript lines): time moves by
// single steps, never by playing against the wall clock.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { requireBrowser } from './app-browser';
import { useAppBrowser } from './app-browser-suite';
import { eventCount, nodeAttributes } from './page-reading';

const search = '?seed=7&nodes=5&nemesis=none';

/**
 * Steps the run event by event (through the page's window.raftlab handle, not by playing, so it
 * stops exactly where the condition first holds) until `done(nodes, argument)` holds.
 */
async function stepUntil<T>(
  page: Page,
  done: (
    nodes: { id: number; role: string; commit: number; term: number }[],
    argument: T,
  ) => boolean,
  argument: T,
): Promise<void> {
  const reached = await page.evaluate(
    ({ source, argument, eventsMax }) => {
      const test = new Function(`return (${source})`)() as (
        nodes: unknown,
        argument: unknown,
      ) => boolean;
      const raftlab = window.raftlab!;
      for (let i = 0; i < eventsMax; i++) {
        if (test(raftlab.state().nodes, argument)) return true;
        if (raftlab.state().done) return false;
        raftlab.actions.step();
      }
      return false;
    },
    { source: done.toString(), argument, eventsMax: 50_000 },
  );
  expect(reached, `condition ${done.toString()} not reached`).toBe(true);
  // The views follow the store; wait until they show the position the run stopped at.
  const position = await page.evaluate(() => window.raftlab!.state().eventCount);
  await expect.poll(() => eventCount(page)).toBe(position);
}

const node = (page: Page, id: string) => page.locator(`[data-testid="node"][data-node-id="${id}"]`);

/** Opens the menu of the link between a and b (links are named by their lower id first). */
async function openLink(page: Page, a: string, b: string): Promise<void> {
  const [low, high] = Number(a) < Number(b) ? [a, b] : [b, a];
  // The link's wide transparent line takes the click; dispatching avoids nodes drawn over it.
  await page.locator(`[data-link="${low}-${high}"] .link-hit`).dispatchEvent('click');
  await page.getByTestId('link-menu').waitFor();
}

describe('interventions in Chromium', () => {
  const app = useAppBrowser();
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    const started = app();
    if (started) page = await started.open(search, errors);
  });

  it('partitions the leader away by cutting links, elects a new leader, heals, and commits resume (Raft §5.2, §5.3)', async (context) => {
    requireBrowser(context);
    await stepUntil(page, (nodes) => nodes.some((item) => item.role === 'leader'), null);
    const nodes = await nodeAttributes(page);
    const oldLeader = nodes.find((item) => item.role === 'leader')!;
    for (const other of nodes.filter((item) => item.id !== oldLeader.id)) {
      await openLink(page, oldLeader.id, other.id);
      await page.getByTestId('link-cut-both').click();
    }
    expect(await page.getByTestId('cut-link').count()).toBe(4);
    await stepUntil(
      page,
      (items, old) => items.some((item) => item.role === 'leader' && String(item.id) !== old),
      oldLeader.id,
    );
    const during = await nodeAttributes(page);
    const newLeader = during.find((item) => item.role === 'leader' && item.id !== oldLeader.id)!;
    expect(Number(newLeader.term)).toBeGreaterThan(Number(oldLeader.term));
    // The old leader, cut off, commits nothing new.
    expect(during.find((item) => item.id === oldLeader.id)!.commit).toBe(oldLeader.commit);

    for (const other of nodes.filter((item) => item.id !== oldLeader.id)) {
      await openLink(page, oldLeader.id, other.id);
      await page.getByTestId('link-restore').click();
    }
    expect(await page.getByTestId('cut-link').count()).toBe(0);
    const commitAtHeal = Number(newLeader.commit);
    // After the heal the old leader steps down and catches up past the commit index at the heal.
    await stepUntil(
      page,
      (items, { id, commit }) =>
        items.some(
          (item) => String(item.id) === id && item.role === 'follower' && item.commit > commit,
        ),
      { id: oldLeader.id, commit: commitAtHeal },
    );
    expect(await page.getByTestId('invariants').getAttribute('data-violations')).toBe('0');
  });

  it('transfers leadership from the node menu (Raft thesis §3.10)', async (context) => {
    requireBrowser(context);
    const nodes = await nodeAttributes(page);
    const target = nodes.find((item) => item.role === 'follower')!;
    await node(page, target.id).click();
    await page.getByTestId('node-transfer').click();
    await stepUntil(
      page,
      (items, id) => items.some((item) => String(item.id) === id && item.role === 'leader'),
      target.id,
    );
    const faults = await page.evaluate(() =>
      window.raftlab!.actions.currentRun().trace.faults.map((fault) => fault.text),
    );
    expect(faults).toContain(`transfer-leadership to ${target.id}`);
  });

  it('drops a message in flight from its menu', async (context) => {
    requireBrowser(context);
    const live = '[data-testid="message"]:not([data-flight-id=""])';
    for (let i = 0; i < 200 && (await page.locator(live).count()) === 0; i++) {
      const before = await eventCount(page);
      await page.getByTestId('step').click();
      await expect.poll(() => eventCount(page)).toBe(before + 1);
    }
    const dot = page.locator(live).first();
    const flightId = (await dot.getAttribute('data-flight-id'))!;
    await dot.dispatchEvent('click');
    await page.getByTestId('message-drop').click();
    await expect
      .poll(() => page.evaluate(() => window.raftlab!.state().interventionCount))
      .toBeGreaterThan(0);
    const lines = await page.evaluate(() =>
      window.raftlab!.actions.currentRun().trace.faults.map((fault) => fault.text),
    );
    expect(lines.at(-1)).toBe(`drop-message f${flightId}`);
    // The dropped message now shows as lost, no longer clickable.
    await expect.poll(() => page.locator(`[data-flight-id="${flightId}"]`).count()).toBe(0);
  });

  it('reproduces the same state from the URL carrying these interventions in a new page', async (context) => {
    requireBrowser(context);
    await page.getByTestId('step').click();
    const position = await eventCount(page);
    await expect.poll(() => new URL(page.url()).searchParams.get('t')).toBe(String(position));
    const inject = new URL(page.url()).searchParams.get('inject')!;
    expect(inject).toMatch(/:cut:/);
    expect(inject).toMatch(/:restore:/);
    expect(inject).toMatch(/:transfer:/);
    expect(inject).toMatch(/:drop:/);
    const other = await app()!.open(new URL(page.url()).search, errors);
    await expect.poll(() => eventCount(other)).toBe(position);
    expect(await nodeAttributes(other)).toEqual(await nodeAttributes(page));
    expect(await other.evaluate(() => window.raftlab!.transcript())).toEqual(
      await page.evaluate(() => window.raftlab!.transcript()),
    );
    await other.close();
  });

  it('logs no console errors', (context) => {
    requireBrowser(context);
    expect(errors).toEqual([]);
  });
});
