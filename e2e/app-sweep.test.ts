// The background sweep in Chromium: a small range of seeds runs in Web Workers to completion
// (progress 100%, every seed counted), and with a bug switch on, a failing seed is listed and
// opens in the app, where playing it to the end finds the same failure. Waits on the sweep's
// counters and the run's state, never on sleeps.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { runSweepJob } from '../src/ui/sweep/sweep-protocol';
import { requireBrowser } from './app-browser';
import { useAppBrowser } from './app-browser-suite';

const nemesis = ['partition', 'crash', 'loss'] as const;
const search = `?seed=1&nodes=3&nemesis=${nemesis.join(',')}`;
const seedsLast = 5;
const timeSeconds = 2;

async function sweepTo100(page: Page, bug: string): Promise<void> {
  await page.getByTestId('sweep-first').fill('1');
  await page.getByTestId('sweep-last').fill(String(seedsLast));
  await page.getByTestId('sweep-time').fill(String(timeSeconds));
  await page.getByTestId('sweep-bug').selectOption(bug);
  await page.getByTestId('sweep-start').click();
  await page.waitForFunction(() => {
    const sweep = window.raftlab!.state().sweep;
    return !sweep.running && sweep.finished === sweep.total && sweep.total > 0;
  });
}

describe('the background sweep in Chromium', () => {
  const app = useAppBrowser();
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    const started = app();
    if (started) page = await started.open(search, errors);
  });

  it('sweeps 5 seeds in Web Workers to 100% and lists the outcome', async (context) => {
    requireBrowser(context);
    await page.getByTestId('sweep-open').click();
    await sweepTo100(page, 'none');
    await expect
      .poll(() => page.getByTestId('sweep-progress').getAttribute('data-percent'))
      .toBe('100');
    const status = await page.getByTestId('sweep-status').textContent();
    expect(status).toContain(`${seedsLast}/${seedsLast} seeds (100%)`);
    const expectedFailed = [1, 2, 3, 4, 5].filter(
      (seed) =>
        runSweepJob({
          seed,
          options: { nodeCount: 3, timeMs: timeSeconds * 1000, nemesis, bugs: [] },
        }).failed,
    );
    expect(status).toContain(`${expectedFailed.length} failed`);
    expect(await page.getByTestId('sweep-failure').count()).toBe(expectedFailed.length);
    expect(errors).toEqual([]);
  });

  it('finds a failing seed with a bug switch on and opens it in the app', async (context) => {
    requireBrowser(context);
    await sweepTo100(page, 'apply-before-commit');
    const failing = page.getByTestId('sweep-failure').first();
    await failing.waitFor();
    const seed = Number(await failing.getAttribute('data-seed'));
    const expected = runSweepJob({
      seed,
      options: { nodeCount: 3, timeMs: timeSeconds * 1000, nemesis, bugs: ['apply-before-commit'] },
    });
    expect(expected.failed).toBe(true);
    expect(await failing.textContent()).toContain(expected.failure!);

    await failing.getByTestId('sweep-open-seed').click();
    await expect.poll(() => page.getByTestId('seed-input').inputValue()).toBe(String(seed));
    expect(await page.getByTestId('event-count').textContent()).toBe('0');
    const config = await page.evaluate(() => window.raftlab!.state().config);
    expect(config).toMatchObject({ seed, nodeCount: 3, nemesis: [...nemesis] });
    expect(config.options).toEqual({ timeMs: timeSeconds * 1000, bugs: ['apply-before-commit'] });
    // Played to its end, the opened run fails the way the sweep said.
    await page.evaluate(() => window.raftlab!.actions.seek(1_000_000));
    await page.waitForFunction(() => window.raftlab!.state().done);
    if (expected.kind !== 'liveness' && expected.kind !== 'linearizability') {
      await expect
        .poll(() => page.getByTestId('invariants').getAttribute('data-violations'))
        .toBe('1');
      const violation = await page.evaluate(() => window.raftlab!.state().violation);
      expect(expected.failure).toBe(`${violation!.invariant}: ${violation!.explanation}`);
    }
    // The address bar carries the sweep's time and bug switch: a new page reproduces the run.
    const shared = new URL(page.url()).search;
    expect(shared).toContain('bug=apply-before-commit');
    const again = await app()!.open(shared, errors);
    const state = () => window.raftlab!.state();
    const [before, after] = await Promise.all([page.evaluate(state), again.evaluate(state)]);
    expect(after.eventCount).toBe(before.eventCount);
    expect(after.violation).toEqual(before.violation);
    expect(after.nodes).toEqual(before.nodes);
    await again.close();
    expect(errors).toEqual([]);
  });
});
