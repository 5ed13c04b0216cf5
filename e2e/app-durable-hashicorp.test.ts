// Durable mode on the HashiCorp-style engine in a real Chromium (`?durable=1&engine=hashicorp`):
// each node in its own Web Worker on an IndexedDB disk. A leader is elected and commits (§5.2,
// §5.3); the storage view shows the HashiCorp data dir (raft.db's stable store with the term and
// vote, the log store's records, the marker) agreeing with what the nodes reported, and a reload
// keeps it; the run to its end gives the transcript hash `npx raftlab run --engine hashicorp`
// prints with the same options; crashing the leader from its menu elects another, the scrubber
// rewinds into a new branch of disks and the shared URL (engine=hashicorp, the actions, the
// position) reproduces the run on fresh disks; the engine select starts a run on the other
// engine; the built-in scenario shows an isolated leader stepping down by its lease. Waits only
// on the event counter, data attributes and promises the page resolves.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, requireBrowser } from './app-browser';
import { useAppBrowser } from './app-browser-suite';
import {
  leaderCard,
  nodeMenuAction,
  openSharedOnFreshDisks,
  scrubTo,
  stepBy,
  storageCaughtUp,
  storedNodes,
} from './durable-reading';
import { eventCount, nodeAttributes } from './page-reading';

const runId = `e2ehc${process.pid}`;
const folder = mkdtempSync(join(tmpdir(), 'raftlab-e2e-hc-'));

describe('the app in durable mode on the HashiCorp-style engine', () => {
  const app = useAppBrowser();
  const errors: string[] = [];

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('elects a leader that commits; the storage view shows raft.db, and a reload keeps it', async (context) => {
    requireBrowser(context);
    const page = await app()!.open(
      `?durable=1&engine=hashicorp&run=${runId}&seed=3&nodes=3&nemesis=none`,
      errors,
    );
    await expect(page.getByTestId('run-mode').textContent()).resolves.toContain('HashiCorp engine');
    await page.locator('[data-testid="storage-view"][data-inspected-event="0"]').waitFor();
    expect(await page.getByTestId('storage-view').getAttribute('data-engine')).toBe('hashicorp');
    expect(await page.getByTestId('engine-input').inputValue()).toBe('hashicorp');
    expect((await storedNodes(page)).map((node) => node.stable)).toEqual(['', '', '']);

    expect(await page.evaluate(() => window.raftlabDurable!.stepUntilCommitted(3, 20_000))).toBe(
      true,
    );
    await storageCaughtUp(page);
    const roles = (await nodeAttributes(page)).map((node) => node.role);
    expect(roles.filter((role) => role === 'leader')).toHaveLength(1);
    // What each node's process read from raft.db is what the node reported as durable.
    const stored = await storedNodes(page);
    const statuses = await page.evaluate(() =>
      window.raftlabDurable!.state().durable!.nodes.map((node) => ({
        term: node.status!.term,
        vote: node.status!.vote,
        lastIndex: node.status!.lastIndex,
      })),
    );
    stored.forEach((node, i) => {
      expect(node.stable).toBe(`${statuses[i].term}/${statuses[i].vote}`);
      expect(node.hardState).toBe('');
      expect(node.lastIndex).toBe(String(statuses[i].lastIndex));
    });
    const first = page.locator('[data-testid="node-storage"][data-node-id="1"]');
    await expect(first.getByTestId('stable-store').textContent()).resolves.toMatch(
      /CurrentTerm=\d+ .* marker hashicorp/,
    );
    await expect(first.getByTestId('log-store').textContent()).resolves.toMatch(/entries 1–\d+/);
    await expect(first.locator('.wal-records').textContent()).resolves.toMatch(
      /1\/1 configuration \[\{Voter 1 /,
    );
    await expect(first.locator('pre').textContent()).resolves.toMatch(
      /raft\.db\/stable\.bin \(36 bytes\): stable store/,
    );
    expect(new URL(page.url()).searchParams.get('engine')).toBe('hashicorp');
    // The configuration is hashicorp's latest, from the log (BootstrapCluster's entry 1).
    const configs = page.getByTestId('node-config');
    expect(
      await configs.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-voters'))),
    ).toEqual(['1,2,3', '1,2,3', '1,2,3']);

    await page.reload();
    await page.getByTestId('resumed-note').waitFor();
    await page.locator('[data-testid="storage-view"][data-inspected-event="0"]').waitFor();
    expect(await storedNodes(page)).toEqual(stored);
    // Booting from those disks recovers the same term and log.
    await stepBy(page, 1);
    const recovered = await page.evaluate(() =>
      window.raftlabDurable!.state().durable!.nodes.map((node) => node.status!.lastIndex),
    );
    expect(recovered).toEqual(statuses.map((status) => status.lastIndex));
    expect(await page.getByTestId('durable-error').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('the run to its end: the transcript hash `npx raftlab run --engine hashicorp` prints', async (context) => {
    requireBrowser(context);
    const options = [
      '--seed',
      '4',
      '--nodes',
      '3',
      '--nemesis',
      'crash,partition',
      '--time',
      '4000ms',
    ];
    const page = await app()!.open(
      `?durable=1&engine=hashicorp&run=${runId}h&seed=4&nodes=3&nemesis=crash,partition&time=4000`,
      errors,
    );
    await page.locator('[data-testid="storage-view"][data-inspected-event="0"]').waitFor();
    await page.evaluate(() => window.raftlabDurable!.step(1_000_000));
    await page.locator('[data-testid="transcript-hash"]').waitFor();
    const hash = await page.getByTestId('transcript-hash').getAttribute('data-hash');
    const cliTrace = join(folder, 'cli.trace.json');
    const cli = execFileSync(
      process.execPath,
      [
        `${repoRoot}/bin/raftlab.js`,
        'run',
        '--engine',
        'hashicorp',
        ...options,
        '--trace',
        cliTrace,
      ],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    const events = /transcript \d+ lines, (\d+) events/.exec(cli)![1];
    expect(String(await eventCount(page))).toBe(events);
    expect(cli).toContain(`sha256 ${hash}`);
    expect(cli).toContain('durable nodes (hashicorp host');
    console.log(`durable hashicorp in Chromium: ${events} events, sha256 ${hash} (as the CLI)`);
    await expect(page.getByTestId('invariants').getAttribute('data-violations')).resolves.toBe('0');

    // The app's trace of the finished run carries the hash, and `raftlab replay` re-runs it.
    const appTrace = join(folder, 'app.trace.json');
    writeFileSync(appTrace, await page.evaluate(() => window.raftlabDurable!.traceText()));
    const replayed = execFileSync(
      process.execPath,
      [`${repoRoot}/bin/raftlab.js`, 'replay', appTrace],
      {
        cwd: repoRoot,
        encoding: 'utf8',
      },
    );
    expect(replayed).toContain(`same transcript, sha256 ${hash}`);
    // The CLI's trace opens in the page as the same durable run, on new disks.
    await page.getByTestId('import-trace').setInputFiles(cliTrace);
    await page.waitForURL((url) => url.searchParams.get('run') !== `${runId}h`);
    const opened = new URL(page.url()).searchParams;
    expect(['engine', 'seed', 'nodes', 'nemesis', 'time'].map((name) => opened.get(name))).toEqual([
      'hashicorp',
      '4',
      '3',
      'crash,partition',
      '4000',
    ]);
    await page.locator('[data-testid="storage-view"][data-inspected-event="0"]').waitFor();
    // The in-memory page's Import hands a durable trace to durable mode.
    const memory = await app()!.open('?seed=1', errors);
    await memory.getByTestId('import-trace').setInputFiles(cliTrace);
    await memory.waitForURL((url) => url.searchParams.get('durable') === '1');
    expect(new URL(memory.url()).searchParams.get('engine')).toBe('hashicorp');
    await memory.getByTestId('storage-view').waitFor();
    expect(errors).toEqual([]);
    await memory.close();
    await page.close();
  }, 180_000);

  it('crashes the leader from its menu: another is elected (§5.2); a rewind and the shared URL replay it', async (context) => {
    requireBrowser(context);
    const page = await app()!.open(
      `?durable=1&engine=hashicorp&run=${runId}cr&seed=7&nodes=3&nemesis=none`,
      errors,
    );
    await page.locator('[data-testid="storage-view"][data-inspected-event="0"]').waitFor();
    expect(await page.evaluate(() => window.raftlabDurable!.stepUntilCommitted(3, 20_000))).toBe(
      true,
    );
    await storageCaughtUp(page);
    const { id: leaderId, term: leaderTerm } = await leaderCard(page);
    const crashedAt = await eventCount(page);
    await nodeMenuAction(page, leaderId, 'node-crash');
    await page
      .locator(`[data-testid="node"][data-node-id="${leaderId}"][data-role="down"]`)
      .waitFor();
    expect(await page.evaluate(() => window.raftlabDurable!.stepUntilCommitted(4, 20_000))).toBe(
      true,
    );
    await stepBy(page, 200);
    const next = page.locator('[data-testid="node"][data-role="leader"]');
    expect(await next.getAttribute('data-node-id')).not.toBe(leaderId);
    expect(Number(await next.getAttribute('data-term'))).toBeGreaterThan(leaderTerm);
    // The shared panels follow: hashicorp's RPCs and its log lines in the event log, invariants green.
    await expect(page.getByTestId('invariants').getAttribute('data-violations')).resolves.toBe('0');
    await expect(page.getByTestId('event-log').textContent()).resolves.toMatch(
      /entering leader state at term \d+/,
    );
    // The type filter lists hashicorp's RPCs and keeps only the one chosen.
    await page.getByTestId('event-log-type').selectOption('RequestVoteRequest');
    const voteRows = await page.getByTestId('event-log-row').allTextContents();
    expect(voteRows.length).toBeGreaterThan(0);
    expect(voteRows.every((row) => row.includes('RequestVoteRequest'))).toBe(true);
    await page.getByTestId('event-log-type').selectOption('all');
    await page.getByTestId('event-log-source').selectOption('simulator');
    await expect(page.getByTestId('event-log').textContent()).resolves.toMatch(
      /deliver \d->\d #\d+ (AppendEntriesRequest|RequestVoteRequest) term=/,
    );
    await page.getByTestId('check-history').click();
    await page.locator('[data-testid="linearizability"][data-result="linearizable"]').waitFor();

    // Back before the crash with the scrubber: a new branch of disks, the old leader leads again.
    const end = await eventCount(page);
    const atEnd = await nodeAttributes(page);
    await scrubTo(page, crashedAt - 5);
    expect((await nodeAttributes(page)).find((node) => node.id === leaderId)!.role).toBe('leader');
    expect(new URL(page.url()).searchParams.get('branch')).toBe('1');
    await page.evaluate((target) => window.raftlabDurable!.seek(target), end);
    await storageCaughtUp(page);
    expect(await nodeAttributes(page)).toEqual(atEnd);

    // The URL carries the engine, the crash and the position: on fresh disks it reproduces the run.
    const shared = new URL(page.url());
    expect(shared.searchParams.get('engine')).toBe('hashicorp');
    expect(shared.searchParams.get('inject')).toBe(`${crashedAt}:crash:${leaderId}`);
    expect(shared.searchParams.get('t')).toBe(String(end));
    const second = await openSharedOnFreshDisks(app()!, page, `${runId}cr2`, errors);
    expect(await nodeAttributes(second)).toEqual(atEnd);
    expect(await storedNodes(second)).toEqual(await storedNodes(page));
    expect(errors).toEqual([]);
    await second.close();
    await page.close();
  }, 180_000);

  it('the engine select starts a new run on the other engine, named in the URL', async (context) => {
    requireBrowser(context);
    const page = await app()!.open(`?durable=1&run=${runId}sel&seed=2&nodes=3&nemesis=none`, errors);
    await page.locator('[data-testid="storage-view"][data-engine="etcd"]').waitFor();
    await page.getByTestId('engine-input').selectOption('hashicorp');
    await page.locator('[data-testid="storage-view"][data-engine="hashicorp"]').waitFor();
    await page.waitForFunction(() => window.location.search.includes('engine=hashicorp'));
    expect(await eventCount(page)).toBe(0);
    await stepBy(page, 300);
    expect((await storedNodes(page)).every((node) => node.stable !== '')).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('the built-in scenario: the isolated leader steps down by its lease', async (context) => {
    requireBrowser(context);
    const page = await app()!.open('?scenario=hashicorp-lease-step-down', errors);
    await page
      .locator('[data-testid="durable-caption"][data-scenario="hashicorp-lease-step-down"]')
      .waitFor();
    expect(new URL(page.url()).searchParams.get('engine')).toBe('hashicorp');
    const role = (id: number) =>
      page.locator(`[data-testid="node"][data-node-id="${id}"]`).getAttribute('data-role');
    await page.evaluate(() => window.raftlabDurable!.step(253 - 3));
    await page.getByTestId('event-count').filter({ hasText: /^253$/ }).waitFor();
    expect(await role(1)).toBe('leader');
    await page.evaluate(() => window.raftlabDurable!.step(1));
    await page.getByTestId('event-count').filter({ hasText: /^254$/ }).waitFor();
    expect(await role(1)).toBe('follower');
    await expect(page.getByTestId('event-log').textContent()).resolves.toMatch(
      /failed to contact quorum of nodes, stepping down/,
    );
    await page.evaluate(() => window.raftlabDurable!.step(418 - 254));
    await page.getByTestId('event-count').filter({ hasText: /^418$/ }).waitFor();
    expect(await role(3)).toBe('leader');
    expect(errors).toEqual([]);
    await page.close();
  });
});
