// The built-in scenarios, presentation mode and the themes in a real Chromium: each scenario
// loads from its URL and runs a while without a console error, showing its captions; the
// keyboard drives presentation mode; the theme follows the system and toggles. The datadriven
// scenarios play their files to the end as the files record; the torn write opens durable mode
// and shows the torn WAL tail dropped at the reboot. Waits are on
// deterministic signals only (the event counter, attributes), never sleeps.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { builtInScenarios } from '../src/ui/scenarios/catalog';
import { datadrivenScenarios } from '../src/ui/scenarios/datadriven-scenarios';
import { durableScenarioById } from '../src/ui/scenarios/durable-scenarios';
import { requireBrowser } from './app-browser';
import { useAppBrowser } from './app-browser-suite';
import { eventCount } from './page-reading';

/** Events each scenario runs in the browser: past its first election everywhere. */
const eventsRun = 600;

async function captionIndex(page: Page): Promise<number> {
  return Number(await page.getByTestId('caption').getAttribute('data-caption-index'));
}

describe('built-in scenarios and presentation mode in Chromium', () => {
  const app = useAppBrowser();
  const errors: string[] = [];


  it('each built-in scenario loads from its URL, plays and shows its captions', async (context) => {
    requireBrowser(context);
    const page = await app()!.open(`?scenario=${builtInScenarios[0].id}`, errors);
    for (const scenario of builtInScenarios) {
      await page.goto(`${app()!.url}?scenario=${scenario.id}`);
      await page.getByTestId('node').first().waitFor();
      expect(await page.getByTestId('node').count()).toBe(scenario.nodeCount);
      expect(await page.getByTestId('scenario-picker').inputValue()).toBe(scenario.id);
      expect(await captionIndex(page)).toBe(0);
      // Play at full speed a little: captions marked `pause` stop it, so play again until far enough.
      await page.evaluate(() => window.raftlab!.actions.setSpeed(100));
      while ((await eventCount(page)) < eventsRun) {
        await page.getByTestId('play').click();
        await page.getByTestId('play').waitFor();
      }
      expect(await captionIndex(page), scenario.id).toBeGreaterThan(0);
      const text = await page.getByTestId('caption').textContent();
      expect(text).not.toMatch(/\{node\}|\{term\}/);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('each datadriven scenario loads from its URL, shows its caption and plays as its file records', async (context) => {
    requireBrowser(context);
    const page = await app()!.open('?seed=1', errors);
    for (const scenario of datadrivenScenarios) {
      await page.goto(`${app()!.url}?scenario=${scenario.id}`);
      await page.locator(`[data-testid="datadriven-caption"][data-scenario="${scenario.id}"]`).waitFor();
      expect(await page.getByTestId('scenario-picker').inputValue()).toBe(scenario.id);
      const commands = page.getByTestId('datadriven-command');
      const count = await commands.count();
      expect(count, scenario.id).toBeGreaterThan(3);
      await page.getByTestId('datadriven-run-all').click();
      await page.getByTestId('datadriven-position').filter({ hasText: `${count} / ${count}` }).waitFor();
      expect(await page.locator('[data-testid="datadriven-command"][data-status="match"]').count(), scenario.id).toBe(count);
      expect(await page.getByTestId('datadriven-node').count(), scenario.id).toBeGreaterThanOrEqual(3);
    }
    // The picker opens one too, and the address bar names it.
    await page.goto(`${app()!.url}?seed=1`);
    await page.getByTestId('scenario-picker').selectOption('leader-transfer');
    await page.locator('[data-testid="datadriven-caption"][data-scenario="leader-transfer"]').waitFor();
    expect(new URL(page.url()).searchParams.get('scenario')).toBe('leader-transfer');
    await page.getByTestId('scenario-picker').selectOption('first-election');
    await expect.poll(() => page.getByTestId('datadriven-caption').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the torn write opens durable mode: node 1 crashes mid-write and recovers from the torn tail', async (context) => {
    requireBrowser(context);
    const scenario = durableScenarioById('torn-write')!;
    const page = await app()!.open('?scenario=torn-write', errors);
    await expect(page.getByTestId('run-mode').textContent()).resolves.toContain('Durable nodes');
    await page.locator('[data-testid="durable-caption"][data-scenario="torn-write"]').waitFor();
    const shown = new URL(page.url()).searchParams;
    expect([shown.get('seed'), shown.get('nodes'), shown.get('nemesis'), shown.get('scenario')]).toEqual([
      String(scenario.seed),
      String(scenario.nodeCount),
      'crash,torn-writes',
      'torn-write',
    ]);
    const role = (id: number) => page.locator(`[data-testid="node"][data-node-id="${id}"]`).getAttribute('data-role');
    // Event 1506: the write is torn and node 1 is down; event 2218: it reboots from that disk.
    await page.evaluate(() => window.raftlabDurable!.step(1506 - 3));
    await page.getByTestId('event-count').filter({ hasText: /^1506$/ }).waitFor();
    expect(await role(1)).toBe('down');
    await page.evaluate(() => window.raftlabDurable!.step(2218 - 1506));
    await page.getByTestId('event-count').filter({ hasText: /^2218$/ }).waitFor();
    expect(await role(1)).not.toBe('down');
    await expect(page.getByTestId('event-log').textContent()).resolves.toMatch(/torn record at the tail/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('presentation mode is driven from the keyboard', async (context) => {
    requireBrowser(context);
    const page = await app()!.open('?scenario=first-election', errors);
    const root = page.locator('html');
    await page.keyboard.press('p');
    await expect.poll(() => root.getAttribute('data-presentation')).toBe('on');
    for (let i = 1; i <= 3; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => eventCount(page)).toBe(3);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => eventCount(page)).toBe(2);
    // Space plays; the first caption marked `pause` (the first pre-candidate) stops it there,
    // and space goes on to the next one (the leader).
    await page.evaluate(() => window.raftlab!.actions.setSpeed(1));
    await page.keyboard.press(' ');
    await expect.poll(() => captionIndex(page)).toBe(1);
    await page.getByTestId('play').waitFor();
    expect(await page.getByTestId('caption').textContent()).toMatch(/space to go on/);
    await page.keyboard.press(' ');
    await expect.poll(() => captionIndex(page)).toBe(3);
    await page.getByTestId('play').waitFor();
    // Slowly, space plays and space pauses.
    await page.evaluate(() => window.raftlab!.actions.setSpeed(0.001));
    await page.keyboard.press(' ');
    await page.getByTestId('pause').waitFor();
    await page.keyboard.press(' ');
    await page.getByTestId('play').waitFor();
    // Digits pick scenarios.
    await page.keyboard.press('2');
    await expect.poll(() => page.getByTestId('scenario-picker').inputValue()).toBe('split-vote');
    await expect.poll(() => page.getByTestId('node').count()).toBe(4);
    expect(await eventCount(page)).toBe(0);
    await expect.poll(() => new URL(page.url()).searchParams.get('scenario')).toBe('split-vote');
    await page.keyboard.press('p');
    await expect.poll(() => root.getAttribute('data-presentation')).toBe('off');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the theme follows prefers-color-scheme and toggles', async (context) => {
    requireBrowser(context);
    const page = await app()!.browser.newPage({
      viewport: { width: 1280, height: 720 },
      colorScheme: 'dark',
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app()!.url}?seed=3`);
    await page.getByTestId('node').first().waitFor();
    const root = page.locator('html');
    await expect.poll(() => root.getAttribute('data-theme')).toBe('dark');
    const background = () =>
      page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const dark = await background();
    await page.getByTestId('theme-toggle').click();
    await expect.poll(() => root.getAttribute('data-theme')).toBe('light');
    expect(await background()).not.toBe(dark);
    await page.keyboard.press('d');
    await expect.poll(() => root.getAttribute('data-theme')).toBe('dark');
    expect(await background()).toBe(dark);
    expect(errors).toEqual([]);
    await page.close();
  });
});
