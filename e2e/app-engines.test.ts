// The side-by-side view's membership scenarios in a real Chromium: a scenario from its URL shows
// both panes with the new configuration (etcd through joint consensus, HashiCorp one server at a
// time), its catch-up and its log; the scenario picker and the buttons add changes to both
// clusters at the time shown and the URL keeps them. Waits are on data attributes the page sets
// from its recorded frames and on the page's idle promise, never on sleeps.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { membershipScenarios } from '../src/ui/migration/membership-scenarios';
import { requireBrowser } from './app-browser';
import { useAppBrowser } from './app-browser-suite';

const engines = ['etcd', 'hashicorp'] as const;

function pane(page: Page, engine: string) {
  return page.locator(`[data-testid="engine-pane"][data-engine="${engine}"]`);
}

async function configRoles(page: Page, engine: string): Promise<string[]> {
  return pane(page, engine).locator('[data-testid="node"]').evaluateAll((rows) => rows.map((row) => `${row.getAttribute('data-node-id')}:${row.getAttribute('data-config-role')}`));
}

async function idle(page: Page): Promise<void> {
  await page.evaluate(() => window.raftlabMigration!.idle());
}

describe('membership scenarios side by side in Chromium', () => {
  const app = useAppBrowser();


  it('replace a server: both panes end with node 4 a voter, etcd through joint consensus, HashiCorp in two changes', async (context) => {
    requireBrowser(context);
    const errors: string[] = [];
    const page = await app()!.open('?view=engines&scenario=replace-server&seed=1&t=2000', errors);
    await page.locator('[data-testid="engines-time"][data-time-ms="2000"]').waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('engines-scenario').inputValue()).resolves.toBe('replace-server');
    for (const engine of engines) {
      const roles = await configRoles(page, engine);
      expect(roles.filter((role) => role.endsWith(':voter')), engine).toHaveLength(3);
      expect(roles, engine).toContain('4:voter');
      const catchUp = pane(page, engine).locator('[data-testid="catch-up"][data-node-id="4"]');
      await expect(catchUp.getAttribute('data-done')).resolves.toBe('true');
      expect(Number(await catchUp.getAttribute('data-snapshots')), engine).toBeGreaterThan(0);
    }
    const etcdLog = await pane(page, 'etcd').getByTestId('engine-membership-log').textContent();
    expect(etcdLog).toMatch(/voters=\(\d \d 4\)&&\(1 2 3\) autoleave/);
    const hashicorpLog = await pane(page, 'hashicorp').getByTestId('engine-membership-log').textContent();
    expect(hashicorpLog).toMatch(/AddVoter 4: done/);
    expect(hashicorpLog).toMatch(/RemoveServer \d: done/);
    await expect(pane(page, 'hashicorp').getByTestId('engine-configuration').textContent()).resolves.toMatch(/latest \(index \d+\): voters \d \d 4.*committed \(index \d+\): voters \d \d 4/);
    // Back before the change: the old configuration, node 4 not a member.
    await page.evaluate(() => window.raftlabMigration!.seekEngines(10));
    await idle(page);
    for (const engine of engines) expect(await configRoles(page, engine)).toEqual(['1:voter', '2:voter', '3:voter', '4:not a member']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('every membership scenario plays to its end from its URL with a leader in both panes', async (context) => {
    requireBrowser(context);
    const errors: string[] = [];
    const page = await app()!.open('?view=engines&scenario=add-quiet&seed=2', errors);
    for (const scenario of membershipScenarios) {
      await page.goto(`${app()!.url}?view=engines&scenario=${scenario.id}&seed=2&t=${scenario.durationMs}`);
      await page.locator(`[data-testid="engines-time"][data-time-ms="${scenario.durationMs}"]`).waitFor({ timeout: 60_000 });
      await expect(page.getByTestId('engines-scenario').inputValue()).resolves.toBe(scenario.id);
      for (const engine of engines) {
        await expect(pane(page, engine).getAttribute('data-leader'), `${scenario.id} ${engine}`).resolves.not.toBe('');
        const count = Number(await pane(page, engine).getByTestId('engine-membership-log').getAttribute('data-count'));
        expect(count, `${scenario.id} ${engine}`).toBeGreaterThan(0);
      }
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the main page's scenario picker opens a membership scenario side by side", async (context) => {
    requireBrowser(context);
    const errors: string[] = [];
    const page = await app()!.open('?seed=1', errors);
    await page.getByTestId('node').first().waitFor();
    const option = page.locator('[data-testid="scenario-picker"] option', { hasText: 'Side by side, membership: Remove the leader' });
    await page.getByTestId('scenario-picker').selectOption((await option.getAttribute('value'))!);
    await page.waitForURL(/view=engines&scenario=remove-leader/);
    await page.getByTestId('engine-pane').nth(1).waitFor();
    await expect(page.getByTestId('engines-scenario').inputValue()).resolves.toBe('remove-leader');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the picker opens a scenario and the buttons add a learner/nonvoter, then promote it, in both panes; the URL keeps the steps', async (context) => {
    requireBrowser(context);
    const errors: string[] = [];
    const page = await app()!.open('?view=engines&seed=1&nemesis=partition,crash', errors);
    await page.getByTestId('engine-pane').nth(1).waitFor();
    await page.getByTestId('engines-scenario').selectOption('your-changes');
    await idle(page);
    await page.getByTestId('membership-controls').waitFor();
    await page.evaluate(() => window.raftlabMigration!.seekEngines(10));
    await idle(page);
    await page.getByTestId('membership-target').selectOption('4');
    await page.getByTestId('membership-addLearner').click();
    await page.locator('[data-testid="membership-controls"][data-steps="1"]').waitFor();
    await idle(page);
    await page.evaluate(() => window.raftlabMigration!.seekEngines(20));
    await idle(page);
    expect(await configRoles(page, 'etcd')).toContain('4:learner');
    expect(await configRoles(page, 'hashicorp')).toContain('4:nonvoter');
    await page.getByTestId('membership-promote').click();
    await page.locator('[data-testid="membership-controls"][data-steps="2"]').waitFor();
    await idle(page);
    await page.evaluate(() => window.raftlabMigration!.seekEngines(30));
    await idle(page);
    for (const engine of engines) {
      expect(await configRoles(page, engine), engine).toContain('4:voter');
      await expect(pane(page, engine).locator('[data-testid="catch-up"][data-node-id="4"]').getAttribute('data-done')).resolves.toBe('true');
    }
    const url = new URL(page.url());
    expect(url.searchParams.get('scenario')).toBe('your-changes');
    expect(url.searchParams.get('steps')).toBe('500-addLearner-4,1000-promote-4');
    // The shared address replays the same run.
    await page.goto(`${app()!.url}${url.search}`);
    await page.locator('[data-testid="engines-time"][data-time-ms="1500"]').waitFor({ timeout: 60_000 });
    for (const engine of engines) expect(await configRoles(page, engine), engine).toContain('4:voter');
    expect(errors).toEqual([]);
    await page.close();
  });
});
