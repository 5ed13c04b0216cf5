// The run's options and the checker's timeline in Chromium: the read mode and the bug switch
// chosen in the controls land in the URL and give the transcript hash `npx raftlab run` prints
// with the same flags; a bug-switch run (the lease-read scenario, bug lease-no-clock-bound) shows
// the client history not linearizable with the first impossible read marked, and clicking it
// seeks to its invocation; a link from another build opens with a notice and still runs; log
// cells and the event log show key-value payloads decoded; a fork after a rewind goes another
// way and its shared link reproduces it. Waits on deterministic signals only (the run's state,
// data attributes), never on sleeps.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { repoRoot, requireBrowser } from './app-browser';
import { useAppBrowser } from './app-browser-suite';

/** Runs the run to its end through the page's handle (one call; no playing against the clock). */
async function runToEnd(page: Page): Promise<void> {
  await page.evaluate(() => window.raftlab!.actions.seek(1e9));
  await page.waitForFunction(() => window.raftlab!.state().done);
}

describe('run options, the URL and the linearizability timeline in Chromium', () => {
  const app = useAppBrowser();
  const errors: string[] = [];


  it('reads and bug chosen in the controls: in the URL, and the same hash as `npx raftlab run`', async (context) => {
    requireBrowser(context);
    const page = await app()!.open('?seed=3&nodes=3&nemesis=none&time=1000', errors);
    await page.getByTestId('reads-input').selectOption('lease');
    await page.getByTestId('bug-input').selectOption('no-stepdown-higher-term');
    await page.waitForFunction(() =>
      window.location.search.includes('bug=no-stepdown-higher-term'),
    );
    const search = await page.evaluate(() => window.location.search);
    expect(search).toContain('reads=lease');
    await runToEnd(page);
    const hash = await page.getByTestId('transcript-hash').getAttribute('data-hash');
    const cli = execFileSync(
      process.execPath,
      [
        `${repoRoot}/bin/raftlab.js`,
        'run',
        ...['--seed', '3', '--nodes', '3', '--nemesis', 'none', '--time', '1000ms'],
        ...['--reads', 'lease', '--bug', 'no-stepdown-higher-term'],
      ],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(cli).toContain(`sha256 ${hash}`);
    expect(cli).toContain('reads lease');
    await page.close();
  });

  it('a bug-switch run shows the history not linearizable, the first impossible read marked', async (context) => {
    requireBrowser(context);
    const page = await app()!.open('?scenario=lease-read-clock-skew', errors);
    expect(await page.getByTestId('bug-input').inputValue()).toBe('lease-no-clock-bound');
    await runToEnd(page);
    const checker = page.getByTestId('linearizability');
    await expect.poll(() => checker.getAttribute('data-result')).toBe('not-linearizable');
    const timeline = page.getByTestId('lin-timeline');
    expect(await timeline.getAttribute('data-result')).toBe('not-linearizable');
    const marked = page.getByTestId('lin-first-impossible');
    await marked.waitFor();
    const id = await marked.getAttribute('data-op-id');
    const bar = page.locator(`[data-testid="lin-op"][data-op-id="${id}"]`);
    expect(await bar.getAttribute('data-status')).toBe('impossible');
    expect(await page.getByTestId('lin-first-impossible-text').textContent()).toMatch(
      /First impossible: get k0 → /,
    );
    expect(await page.getByTestId('lin-prefix').count()).toBe(1);
    expect(
      await page.locator('[data-testid="lin-op"][data-status="linearized"]').count(),
    ).toBeGreaterThan(0);
    // Clicking the marked operation seeks back to its invocation.
    const endCount = Number(await page.getByTestId('event-count').textContent());
    await marked.dispatchEvent('click');
    await expect
      .poll(async () => Number(await page.getByTestId('event-count').textContent()))
      .toBeLessThan(endCount);
    const title = (await bar.locator('title').textContent())!;
    const invokeMs = Number(/ at (\d+) ms/.exec(title)![1]);
    expect(Number(await page.getByTestId('sim-time').textContent())).toBe(invokeMs);

    // The same run with the bug switched off is linearizable.
    await page.getByTestId('bug-input').selectOption('none');
    await page.waitForFunction(() => window.location.search.includes('bug=none'));
    await runToEnd(page);
    await expect.poll(() => checker.getAttribute('data-result')).toBe('linearizable');
    expect(await page.getByTestId('lin-first-impossible').count()).toBe(0);
    await page.close();
  });

  it('a link from another build opens with a notice and still runs', async (context) => {
    requireBrowser(context);
    const page = await app()!.open('?seed=5&nodes=3&nemesis=none&t=40&v=0.0.0-elsewhere', errors);
    const notice = page.getByTestId('version-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/made by raftlab 0\.0\.0-elsewhere; this is /);
    await expect.poll(async () => page.getByTestId('event-count').textContent()).toBe('40');
    // Once the run moves, the address bar names this build.
    await page.getByTestId('step').click();
    await page.waitForFunction(() => !window.location.search.includes('elsewhere'));
    expect(await page.evaluate(() => window.location.search)).toMatch(/[?&]v=\d/);
    await page.close();
  });

  it('log cells and the etcd event log show key-value payloads decoded, not bytes', async (context) => {
    requireBrowser(context);
    const page = await app()!.open('?seed=2&nodes=3&nemesis=none&t=3000', errors);
    await expect.poll(async () => page.getByTestId('event-count').textContent()).toBe('3000');
    const put = page.locator('[data-testid="log-cell"][data-text^="put "]').first();
    await put.hover();
    await expect
      .poll(() => page.getByTestId('log-cell-text').textContent())
      .toMatch(/^n\d \[\d+\] t\d+: put k\d+=\S+ \(r\d+\)$/);
    await page.getByTestId('event-log-type').selectOption('MsgApp');
    const rows = page.getByTestId('event-log-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const texts = await rows.allTextContents();
    expect(texts.some((text) => / EntryNormal (put|get|cas) k\d+/.test(text))).toBe(true);
    expect(texts.some((text) => text.includes('\\x01'))).toBe(false);
    await page.close();
  });

  it('forks a new future after a rewind, and a shared link reproduces it', async (context) => {
    requireBrowser(context);
    const page = await app()!.open('?seed=3&nodes=3&nemesis=none&t=1500', errors);
    await expect.poll(async () => page.getByTestId('event-count').textContent()).toBe('1500');
    const recorded = await page.evaluate(() => window.raftlab!.transcript());
    const future = page.getByTestId('future');
    expect(await future.getAttribute('data-future')).toBe('1');
    await page.evaluate(() => window.raftlab!.actions.seek(500));
    await expect.poll(() => future.getAttribute('data-rewound')).toBe('true');
    expect(await future.textContent()).toContain('replaying');
    expect(await future.getAttribute('title')).toContain('up to event 1500');
    await page.getByTestId('fork').click();
    await expect.poll(() => future.getAttribute('data-future')).toBe('2');
    expect(await future.getAttribute('data-rewound')).toBe('false');
    expect(await future.textContent()).toBe('Forkfuture 2 (from #500)');
    await page.evaluate(() => window.raftlab!.actions.seek(1500));
    await expect.poll(async () => page.getByTestId('event-count').textContent()).toBe('1500');
    const forked = await page.evaluate(() => window.raftlab!.transcript());
    expect(forked.slice(0, 500)).toEqual(recorded.slice(0, 500));
    expect(forked.slice(500)).not.toEqual(recorded.slice(500));
    await page.waitForFunction(() => window.location.search.includes('t=1500'));
    const search = await page.evaluate(() => window.location.search);
    expect(decodeURIComponent(search)).toContain('inject=500:fork:2');
    const shared = await app()!.open(search, errors);
    await expect.poll(async () => shared.getByTestId('event-count').textContent()).toBe('1500');
    expect(await shared.evaluate(() => window.raftlab!.transcript())).toEqual(forked);
    expect(await shared.getByTestId('future').getAttribute('data-future')).toBe('2');
    await shared.close();
    await page.close();
  });

  it('logged no page or console errors', () => {
    expect(errors).toEqual([]);
  });
});
