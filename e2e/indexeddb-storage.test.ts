// The IndexedDB backend in a real Chromium: an etcd node's storage (EtcdStorage over
// IndexedDbBackend) finds its entries and HardState again after a page reload, each node has its
// own database, and a Ready is written in one transaction with durability 'strict', as the
// browser itself reports (IDBTransaction.durability, recorded by e2e/pages/idb-transaction-recorder.ts).
// It waits only on the page's ready flag, never sleeps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { HardState } from '../src/raft/types';
import { chromiumMissing, openRepoPage, skipBrowser, type RepoPage } from './chromium-harness';
import type { PlainEntry } from './pages/storage-page';

const skipReason = 'RAFTLAB_SKIP_BROWSER=1 is set: the Chromium test of the IndexedDB backend is skipped';

/** Skips under RAFTLAB_SKIP_BROWSER=1; fails, saying why, when Chromium is missing. */
function requireBrowser(context: { skip: (note: string) => never }): void {
  if (skipBrowser) context.skip(skipReason);
  const missing = chromiumMissing();
  if (missing !== null) throw new Error(missing);
}

function entries(term: number, from: number, to: number): PlainEntry[] {
  const result: PlainEntry[] = [];
  for (let index = from; index <= to; index++) {
    result.push({ term, index, data: Array.from({ length: 100 }, (_, i) => (index * 7 + i) & 0xff) });
  }
  return result;
}

function entryText(entry: PlainEntry): string {
  return `${entry.term}/${entry.index}:${entry.data.join(',')}`;
}

async function waitForHarness(page: Page): Promise<void> {
  await page.waitForFunction(() => window.storageHarnessReady === true);
}

async function reload(page: Page): Promise<void> {
  await page.reload();
  await waitForHarness(page);
}

const open = (page: Page, node: string) => page.evaluate((name) => window.storageHarness!.open(name), node);

const save = (page: Page, node: string, hardState: HardState, newEntries: PlainEntry[]) =>
  page.evaluate(([name, ready]) => window.storageHarness!.save(name, ready), [node, { hardState, entries: newEntries }] as const);

describe('the IndexedDB backend in Chromium', () => {
  let opened: RepoPage | undefined;
  let page: Page;

  beforeAll(async () => {
    if (skipBrowser || chromiumMissing() !== null) return;
    opened = await openRepoPage('e2e/pages/storage.html');
    page = opened.page;
    await waitForHarness(page);
  });

  afterAll(async () => {
    await opened?.close();
  });

  it("finds a node's entries and HardState again after a page reload", async (context) => {
    requireBrowser(context);
    const first = await open(page, 'reload-1');
    expect(first.view.entries).toEqual([]);
    expect(first.view.hardState).toEqual({ term: 0, vote: 0, commit: 0 });
    const written = [...entries(1, 1, 1), ...entries(2, 2, 65)];
    await save(page, 'reload-1', { term: 1, vote: 1, commit: 0 }, written.slice(0, 1));
    await save(page, 'reload-1', { term: 2, vote: 1, commit: 1 }, written.slice(1));
    const last = await save(page, 'reload-1', { term: 2, vote: 1, commit: 65 }, []);
    expect(last.view.entries).toEqual(written.map(entryText));

    await reload(page);
    const recovered = await open(page, 'reload-1');
    expect(recovered.warnings).toEqual([]);
    expect(recovered.view.hardState).toEqual({ term: 2, vote: 1, commit: 65 });
    expect(recovered.view.entries).toEqual(written.map(entryText));
    expect(recovered.view).toEqual(last.view);
  });

  it('gives every node its own database', async (context) => {
    requireBrowser(context);
    await reload(page);
    expect((await open(page, 'own-1')).database).toBe('raftlab-disk-own-1');
    await open(page, 'own-2');
    const one = await save(page, 'own-1', { term: 1, vote: 1, commit: 3 }, entries(1, 1, 3));
    const two = await save(page, 'own-2', { term: 5, vote: 2, commit: 1 }, entries(5, 1, 1));
    expect(new Set(one.transactions.map((tx) => tx.database))).toEqual(new Set(['raftlab-disk-own-1']));
    expect(new Set(two.transactions.map((tx) => tx.database))).toEqual(new Set(['raftlab-disk-own-2']));

    await reload(page);
    const recoveredTwo = await open(page, 'own-2');
    expect(recoveredTwo.view.entries).toEqual(entries(5, 1, 1).map(entryText));
    expect(recoveredTwo.view.hardState).toEqual({ term: 5, vote: 2, commit: 1 });
    const recoveredOne = await open(page, 'own-1');
    expect(recoveredOne.view.entries).toEqual(entries(1, 1, 3).map(entryText));
    expect((await open(page, 'own-3')).view.entries).toEqual([]);
    const databases = await page.evaluate(() => window.storageHarness!.databases());
    expect(databases).toEqual(expect.arrayContaining(['raftlab-disk-own-1', 'raftlab-disk-own-2', 'raftlab-disk-own-3']));
  });

  it("writes a Ready in one strict transaction, committed before save resolves, whatever its size", async (context) => {
    requireBrowser(context);
    await reload(page);
    await open(page, 'strict-1');
    const single = await save(page, 'strict-1', { term: 1, vote: 1, commit: 0 }, entries(1, 1, 1));
    const batch = await save(page, 'strict-1', { term: 1, vote: 1, commit: 1 }, entries(1, 2, 65));
    for (const report of [single, batch]) {
      const writes = report.transactions.filter((tx) => tx.mode === 'readwrite');
      expect(writes).toEqual([
        { database: 'raftlab-disk-strict-1', stores: ['chunks', 'nodes'], mode: 'readwrite', durability: 'strict', committed: true },
      ]);
    }
    // Everything the page wrote, opening included (folders, marker, first WAL segment), was strict.
    const all = await page.evaluate(() => window.storageHarness!.transactions());
    const writes = all.filter((tx) => tx.mode === 'readwrite');
    expect(writes.length).toBeGreaterThan(2);
    expect(writes.filter((tx) => tx.durability !== 'strict')).toEqual([]);
    // The record is not vacuous: a write without the option shows the browser's default.
    const plain = await page.evaluate(() => window.storageHarness!.plainTransaction());
    expect(plain).toMatchObject({ database: 'raftlab-scratch', mode: 'readwrite', durability: 'default', committed: true });
    expect(opened!.errors).toEqual([]);
  });
});
