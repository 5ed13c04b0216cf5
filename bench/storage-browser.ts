// `npx tsx bench/storage-browser.ts`: bench/storage.ts's workload on the IndexedDB backend in
// headless Chromium (Vite + playwright-core, as the e2e tests start them): WAL appends per second
// for saves of 1 and 64 entries, each one strict readwrite transaction plus the fsync check, and
// the recovery time of a 100,000-entry WAL on a new connection. Printed, never asserted.
import { cpus, loadavg } from 'node:os';
import { openRepoPage } from '../e2e/chromium-harness';
import { formatAppend, formatRecovery } from './storage-workload';

const recoveryEntries = 100_000;

async function main(): Promise<void> {
  const opened = await openRepoPage('bench/pages/storage-bench.html');
  try {
    const { page } = opened;
    await page.waitForFunction(() => window.storageBenchReady === true);
    const userAgent = await page.evaluate(() => window.storageBench!.userAgent);
    const browser = /Chrome\/[\d.]+/.exec(userAgent)?.[0] ?? userAgent;
    console.log(`${browser} headless, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg()[0].toFixed(1)}`);
    for (const entriesPerSave of [1, 64]) {
      const result = await page.evaluate(
        ([perSave, durationMs]) => window.storageBench!.appends(perSave, durationMs, 1_000_000),
        [entriesPerSave, 3_000] as const,
      );
      console.log(
        `${formatAppend('indexeddb', result)}  ${result.writeTransactionsPerSave.toFixed(2)} readwrite tx/save, ${result.nonStrictWrites} not strict`,
      );
    }
    const recovery = await page.evaluate(
      ([count, perSave]) => window.storageBench!.recovery(count, perSave),
      [recoveryEntries, 64] as const,
    );
    console.log(formatRecovery('indexeddb', recovery));
    if (opened.errors.length > 0) throw new Error(`the page reported errors: ${opened.errors.join('; ')}`);
  } finally {
    await opened.close();
  }
}

await main();
