// Durable mode in a real Chromium: each node in its own Web Worker with its disk in IndexedDB,
// driven by the durable simulator. A leader is elected and commits (§5.2, §5.3); a page reload
// keeps every node's stored data (the storage view shows the same HardState and last index, and
// the rebooted nodes recover it); a rewind with the scrubber replays the run into a new branch of
// disks and shows the same nodes as before; crashing the leader from its menu elects another
// (§5.2) and the restarted node catches up (§5.3), with the shared timeline, event log and
// checkers panels following. Waits only on the event counter, the storage view's
// inspected-event attribute, node attributes and promises the page resolves, never on sleeps.
import { describe, expect, it } from 'vitest';
import { requireBrowser } from './app-browser';
import { useAppBrowser } from './app-browser-suite';
import { eventCount, nodeAttributes } from './page-reading';
import {
  leaderCard,
  nodeMenuAction,
  openSharedOnFreshDisks,
  scrubTo,
  stepBy,
  storageCaughtUp,
  storedNodes,
} from './durable-reading';

const runId = `e2e${process.pid}`;
const search = `?durable=1&run=${runId}&seed=3&nodes=3&nemesis=none`;

describe('the app in durable mode (Web Workers + IndexedDB)', () => {
  const app = useAppBrowser();
  const errors: string[] = [];

  it('elects a leader that commits, and a reload keeps each node stored data', async (context) => {
    requireBrowser(context);
    const page = await app()!.open(search, errors);
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
    const roles = await page.$$eval('[data-testid="node"]', (nodes) =>
      nodes.map((node) => node.getAttribute('data-role')),
    );
    expect(roles.filter((role) => role === 'leader')).toHaveLength(1);
    const leaderCommit = await page
      .locator('[data-testid="node"][data-role="leader"]')
      .getAttribute('data-commit');
    expect(Number(leaderCommit)).toBeGreaterThanOrEqual(2);

    // What the storage view read from each disk is what the node reported as durable.
    const before = await storedNodes(page);
    const statuses = await page.evaluate(() =>
      window.raftlabDurable!.state().durable!.nodes.map((node) => ({
        term: node.status!.term,
        lastIndex: node.status!.lastIndex,
      })),
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
      window.raftlabDurable!.state().durable!.nodes.map((node) => ({
        term: node.status!.term,
        lastIndex: node.status!.lastIndex,
      })),
    );
    before.forEach((node, i) => {
      expect(recovered[i].term).toBe(Number(node.hardState.split('/')[0]));
      expect(recovered[i].lastIndex).toBe(Number(node.lastIndex));
    });

    // A resumed run rewinds too: its new branch starts from a copy of the disks as found.
    await stepBy(page, 300);
    const resumedAt = await eventCount(page);
    const atResumed = await nodeAttributes(page);
    const storedAtResumed = await storedNodes(page);
    await stepBy(page, 300);
    await page.evaluate((target) => window.raftlabDurable!.seek(target), resumedAt);
    await storageCaughtUp(page);
    expect(await nodeAttributes(page)).toEqual(atResumed);
    expect(await storedNodes(page)).toEqual(storedAtResumed);
    expect(new URL(page.url()).searchParams.get('branch')).toBe('1');
    expect(await page.getByTestId('durable-error').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('rewinds with the scrubber: the run replays into a new branch of disks, with the same nodes at the same event', async (context) => {
    requireBrowser(context);
    const page = await app()!.open(
      `?durable=1&run=${runId}rw&seed=5&nodes=3&nemesis=partition,crash`,
      errors,
    );
    await page.locator('[data-testid="storage-view"][data-inspected-event="0"]').waitFor();
    await stepBy(page, 800);
    const k = await eventCount(page);
    const atK = await nodeAttributes(page);
    const storedAtK = await storedNodes(page);
    expect(atK.some((node) => node.role === 'leader' || Number(node.term) > 0)).toBe(true);
    await stepBy(page, 700);
    const further = await eventCount(page);
    expect(further).toBeGreaterThan(k);
    expect(await nodeAttributes(page)).not.toEqual(atK);

    const startMs = Date.now();
    await scrubTo(page, k);
    const seekMs = Date.now() - startMs;
    await storageCaughtUp(page);
    expect(await nodeAttributes(page)).toEqual(atK);
    // The new branch's disks hold what the first branch's held at K: the same HardState and last index.
    expect(await storedNodes(page)).toEqual(storedAtK);
    expect(new URL(page.url()).searchParams.get('branch')).toBe('1');
    await expect(page.getByTestId('run-mode').textContent()).resolves.toContain('branch 1');
    // What lies ahead is still known, and stepping forward again reaches the same state.
    await scrubTo(page, further);
    console.log(
      `durable rewind: replayed ${k} events into branch 1 in ${seekMs} ms (seed 5, 3 nodes, Workers + IndexedDB)`,
    );
    // The branch the rewind left is gone; the one on screen is what a reload finds.
    const databases = await page.evaluate(async () =>
      (await indexedDB.databases()).map((db) => db.name ?? ''),
    );
    const runDatabases = databases.filter((name) => name.includes(`${runId}rw-`));
    expect(runDatabases.length).toBe(3);
    expect(runDatabases.every((name) => name.includes(`${runId}rw-b1-seed5-node`))).toBe(true);
    const stored = await storedNodes(page);
    await page.reload();
    await page.getByTestId('resumed-note').waitFor();
    await page.locator('[data-testid="storage-view"][data-inspected-event="0"]').waitFor();
    expect(await storedNodes(page)).toEqual(stored);
    expect(await page.getByTestId('durable-error').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('crashes the leader from its menu: another is elected (§5.2); restarted, it catches up (§5.3)', async (context) => {
    requireBrowser(context);
    const page = await app()!.open(`?durable=1&run=${runId}cr&seed=7&nodes=3&nemesis=none`, errors);
    await page.locator('[data-testid="storage-view"][data-inspected-event="0"]').waitFor();
    expect(await page.evaluate(() => window.raftlabDurable!.stepUntilCommitted(3, 20_000))).toBe(
      true,
    );
    await storageCaughtUp(page);
    const { id: leaderId, term: leaderTerm, commit: leaderCommit } = await leaderCard(page);
    const crashedAt = await eventCount(page);

    await nodeMenuAction(page, leaderId, 'node-crash');
    await page
      .locator(`[data-testid="node"][data-node-id="${leaderId}"][data-role="down"]`)
      .waitFor();
    expect(
      await page.evaluate(
        (commit) => window.raftlabDurable!.stepUntilCommitted(commit + 1, 20_000),
        leaderCommit,
      ),
    ).toBe(true);
    await storageCaughtUp(page);
    const next = page.locator('[data-testid="node"][data-role="leader"]');
    expect(await next.getAttribute('data-node-id')).not.toBe(leaderId);
    expect(Number(await next.getAttribute('data-term'))).toBeGreaterThan(leaderTerm);
    await stepBy(page, 100);

    await nodeMenuAction(page, leaderId, 'node-restart');
    await page
      .locator(`[data-testid="node"][data-node-id="${leaderId}"][data-role="follower"]`)
      .waitFor();
    // Step until the restarted node's commit index reaches the leader's (bounded).
    let caughtUp = false;
    for (let round = 0; round < 100 && !caughtUp; round++) {
      await stepBy(page, 20);
      const nodes = await nodeAttributes(page);
      const current = nodes.find((node) => node.role === 'leader');
      const restarted = nodes.find((node) => node.id === leaderId)!;
      caughtUp =
        current !== undefined &&
        restarted.commit === current.commit &&
        Number(current.commit) > leaderCommit;
    }
    expect(caughtUp).toBe(true);

    // The shared panels follow the durable run: faults on the timeline, etcd's lines in the
    // event log, invariants green, and the history checked on request.
    await expect(page.getByTestId('invariants').getAttribute('data-violations')).resolves.toBe('0');
    await page.getByTestId('check-history').click();
    await page.locator('[data-testid="linearizability"][data-result="linearizable"]').waitFor();
    expect(await page.getByTestId('event-log-row').count()).toBeGreaterThan(10);
    const faults = await page.evaluate(() => window.raftlabDurable!.state().interventionCount);
    expect(faults).toBe(2);
    await expect(page.getByTestId('logs').locator('[data-testid="log-row"]').count()).resolves.toBe(
      3,
    );

    // Back before the crash: the node leads again; forward: the same crash is replayed.
    const end = await eventCount(page);
    const atEnd = await nodeAttributes(page);
    await page.evaluate((target) => window.raftlabDurable!.seek(target), crashedAt - 5);
    expect((await nodeAttributes(page)).find((node) => node.id === leaderId)!.role).not.toBe(
      'down',
    );
    await page.evaluate((target) => window.raftlabDurable!.seek(target), end);
    await storageCaughtUp(page);
    expect(await nodeAttributes(page)).toEqual(atEnd);

    // The URL carries the two actions: opened on fresh disks, it reproduces the same run.
    const shared = new URL(page.url());
    expect(shared.searchParams.get('inject')?.split('~')).toEqual([
      `${crashedAt}:crash:${leaderId}`,
      expect.stringMatching(new RegExp(`^\\d+:restart:${leaderId}$`)),
    ]);
    // The position too: the new page replays to it by itself.
    expect(shared.searchParams.get('t')).toBe(String(end));
    const second = await openSharedOnFreshDisks(app()!, page, `${runId}cr2`, errors);
    expect(await nodeAttributes(second)).toEqual(atEnd);
    expect(errors).toEqual([]);
    await second.close();
    await page.close();
  }, 180_000);

  it('takes reads= and bug= as raftlab run does: apply-before-commit on the etcd host is caught by state machine safety', async (context) => {
    requireBrowser(context);
    const page = await app()!.open(
      `?durable=1&run=${runId}bug&seed=1&nodes=3&nemesis=partition,crash,loss&time=5000&reads=log&bug=apply-before-commit`,
      errors,
    );
    await page.evaluate(() => window.raftlabDurable!.step(100_000));
    await page.evaluate(() => window.raftlabDurable!.idle());
    const violation = await page.evaluate(() => window.raftlabDurable!.state().violation?.invariant);
    expect(violation).toBe('state-machine-safety');
    await expect(page.getByTestId('invariants').getAttribute('data-violations')).resolves.not.toBe('0');
    const shown = new URL(page.url()).searchParams;
    expect([shown.get('reads'), shown.get('bug')]).toEqual(['log', 'apply-before-commit']);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
