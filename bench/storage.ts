// `npx tsx bench/storage.ts`: the etcd engine's storage on the memory backend in Node. WAL appends
// per second for Ready-shaped saves of 1 and 64 entries (each save one write and one fsync), and
// the recovery time of a 100,000-entry WAL. bench/storage-browser.ts runs the same workload on
// IndexedDB in Chromium. Printed, never asserted.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { MemoryBackend } from '../src/storage/fs/memory-backend';
import { formatAppend, formatRecovery, measureAppends, measureRecovery } from './storage-workload';

const now = () => performance.now();
const recoveryEntries = 100_000;

async function main(): Promise<void> {
  console.log(`Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg()[0].toFixed(1)}`);
  // Warm-up, so the JIT has compiled the codecs before anything is timed.
  await measureAppends({ fs: new MemoryBackend(), entriesPerSave: 64, durationMsMin: 300, savesMax: 5_000, now });
  for (const entriesPerSave of [1, 64]) {
    const result = await measureAppends({ fs: new MemoryBackend(), entriesPerSave, durationMsMin: 2_000, savesMax: 1_000_000, now });
    console.log(formatAppend('memory', result));
  }
  const fs = new MemoryBackend();
  const recovery = await measureRecovery({ fs, reopen: async () => fs, entryCount: recoveryEntries, entriesPerSave: 64, now });
  console.log(formatRecovery('memory', recovery));
}

await main();
