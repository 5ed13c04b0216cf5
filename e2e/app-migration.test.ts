// The migration page in a real Chromium: the migration scenario plays to the end with the
// validation stage green; the two post-merge bug scenarios end with the checker's failure; every
// migration scenario loads from its URL without a console error; the two engines side by side
// both elect a leader while simulated time advances. Waits are on deterministic signals only
// (data attributes the page sets from its recorded frames, promises it resolves), never sleeps.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { migrationScenarios } from '../src/ui/migration/migration-catalog';
import { formatMigrationUrl } from '../src/ui/migration/migration-url';
import { requireBrowser } from './app-browser';
import { useAppBrowser } from './app-browser-suite';

async function loaded(page: Page): Promise<void> {
  await page.locator('[data-testid="migration-view"][data-loaded="true"]').waitFor();
}

async function toEnd(page: Page): Promise<void> {
  await page.getByTestId('migration-end').click();
  await page.locator('[data-testid="migration-step"][data-at-end="true"]').waitFor();
}

describe('the migration page in Chromium', () => {
  const app = useAppBrowser();


  it('the migration scenario plays to the end: every node on etcd, validation green, writes failed during the downtime', async (context) => {
    requireBrowser(context);
    const errors: string[] = [];
    const page = await app()!.open('?view=migration&scenario=migration&seed=1', errors);
    await loaded(page);
    await expect(page.getByTestId('migration-validate').getAttribute('data-status')).resolves.toBe('pending');
    expect(await page.$$eval('[data-testid="node"]', (nodes) => nodes.map((node) => node.getAttribute('data-engine')))).toEqual(['stopped', 'stopped', 'stopped']);
    await page.getByTestId('migration-play').click();
    await page.locator('[data-testid="migration-step"][data-at-end="true"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="migration-validate"][data-status="ok"]').waitFor();
    await page.locator('[data-testid="migration-checker"][data-status="ok"]').waitFor();
    expect(await page.$$eval('[data-testid="node"]', (nodes) => nodes.map((node) => `${node.getAttribute('data-engine')}/${node.getAttribute('data-marker')}`))).toEqual(['etcd/etcd', 'etcd/etcd', 'etcd/etcd']);
    const dir = await page.locator('[data-testid="node"][data-node-id="n1"] [data-testid="data-dir"]').textContent();
    expect(dir).toContain('hashicorp-backup-20250102T030405Z/raft.db/');
    expect(dir).toContain('etcd-raft-peers.bin');
    const failed = Number(await page.getByTestId('client-history').getAttribute('data-failed'));
    expect(failed).toBeGreaterThan(0);
    // The URL names the step shown once playback has stopped (one play interval after the last step).
    await page.waitForFunction(() => {
      const shown = document.querySelector('[data-testid="migration-step"]')?.getAttribute('data-step');
      return new URL(window.location.href).searchParams.get('step') === shown;
    });
    const url = new URL(page.url());
    expect(url.searchParams.get('step')).toBe(await page.getByTestId('migration-step').getAttribute('data-step'));
    await page.getByTestId('migration-back').click();
    await page.locator('[data-testid="migration-step"][data-at-end="false"]').waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the two bug scenarios end with the checker catching the bug', async (context) => {
    requireBrowser(context);
    const errors: string[] = [];
    const page = await app()!.open('?view=migration&scenario=bug-no-peers-file&seed=1', errors);
    await loaded(page);
    await toEnd(page);
    await page.locator('[data-testid="migration-checker"][data-status="fail"]').waitFor();
    await expect(page.getByTestId('migration-checker').textContent()).resolves.toMatch(/election safety: etcd term \d+ has more than one leader/);
    await expect(page.getByTestId('migration-validate').getAttribute('data-status')).resolves.toBe('fail');

    await page.goto(`${app()!.url}?view=migration&scenario=bug-member-dir&seed=1`);
    await loaded(page);
    await toEnd(page);
    await page.locator('[data-testid="migration-checker"][data-status="fail"]').waitFor();
    await expect(page.getByTestId('migration-checker').textContent()).resolves.toMatch(/ENOENT: .*member/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('every migration scenario loads from its URL without a console error', async (context) => {
    requireBrowser(context);
    const errors: string[] = [];
    // The simulator's scenario picker lists them and opens the migration view.
    const page = await app()!.open('?seed=1', errors);
    await page.getByTestId('scenario-picker').selectOption(formatMigrationUrl({ scenario: 'migration-crash', seed: 1, step: 0 }));
    await loaded(page);
    await expect(page.getByTestId('migration-scenario').inputValue()).resolves.toBe('migration-crash');
    for (const scenario of migrationScenarios) {
      await page.goto(`${app()!.url}?view=migration&scenario=${scenario.id}&seed=2&step=5`);
      await loaded(page);
      expect(await page.getByTestId('migration-scenario').inputValue()).toBe(scenario.id);
      await expect(page.getByTestId('migration-step').getAttribute('data-step')).resolves.toBe('5');
      await toEnd(page);
      const status = await page.getByTestId('migration-checker').getAttribute('data-status');
      expect(status, scenario.id).toBe(scenario.id === 'mixed-dir-refused' ? 'refused' : scenario.id.startsWith('bug-') ? 'fail' : 'ok');
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the engines side by side: time advances in lockstep and both panes elect a leader', async (context) => {
    requireBrowser(context);
    const errors: string[] = [];
    const page = await app()!.open('?view=engines&seed=1&nemesis=partition,crash', errors);
    await page.getByTestId('engine-pane').nth(1).waitFor();
    await page.getByTestId('engines-play').click();
    await page.locator('[data-testid="engine-pane"][data-engine="etcd"]:not([data-leader=""])').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="engine-pane"][data-engine="hashicorp"]:not([data-leader=""])').waitFor({ timeout: 60_000 });
    await page.getByTestId('engines-play').click();
    await page.evaluate(() => window.raftlabMigration!.idle());
    const timeMs = Number(await page.getByTestId('engines-time').getAttribute('data-time-ms'));
    expect(timeMs).toBeGreaterThan(0);
    for (const engine of ['etcd', 'hashicorp']) {
      const changes = Number(await page.locator(`[data-testid="engine-pane"][data-engine="${engine}"]`).getAttribute('data-leader-changes'));
      expect(changes, engine).toBeGreaterThan(0);
    }
    await page.getByTestId('engines-forward').click();
    await page.locator(`[data-testid="engines-time"][data-time-ms="${timeMs + 50}"]`).waitFor();
    expect(new URL(page.url()).searchParams.get('t')).toBe(String(timeMs + 50));
    expect(errors).toEqual([]);
    await page.close();
  });
});
