// The page bench/storage-browser.ts drives: the workload of bench/storage-workload.ts on the
// IndexedDB backend, each run on a fresh database, with the readwrite transactions per save
// counted (group commit: one per save, whatever its number of entries).
import { recordedCount, recordedTransactions, installTransactionRecorder } from '../../e2e/pages/idb-transaction-recorder';
import { diskDatabaseName, IndexedDbBackend } from '../../src/storage/fs/indexeddb-backend';
import { measureAppends, measureRecovery, type AppendResult, type RecoveryResult } from '../storage-workload';

installTransactionRecorder();

const now = () => performance.now();
let runs = 0;

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

async function freshDisk(): Promise<{ node: string; fs: IndexedDbBackend }> {
  const node = `bench-${++runs}`;
  await deleteDatabase(diskDatabaseName(node));
  return { node, fs: await IndexedDbBackend.open(node) };
}

export interface BrowserAppendResult extends AppendResult {
  /** Readwrite transactions started per save (the open excluded). */
  writeTransactionsPerSave: number;
  /** Of those, how many were not 'strict'. */
  nonStrictWrites: number;
}

export interface StorageBench {
  appends(entriesPerSave: number, durationMsMin: number, savesMax: number): Promise<BrowserAppendResult>;
  recovery(entryCount: number, entriesPerSave: number): Promise<RecoveryResult>;
  userAgent: string;
}

const bench: StorageBench = {
  async appends(entriesPerSave, durationMsMin, savesMax) {
    const { node, fs } = await freshDisk();
    // Open once so the folders, marker and first segment are not counted as the saves' writes.
    await measureAppends({ fs, entriesPerSave, durationMsMin: 0, savesMax: 0, now });
    const before = recordedCount();
    const result = await measureAppends({ fs, entriesPerSave, durationMsMin, savesMax, now });
    const writes = recordedTransactions(before).filter((tx) => tx.mode === 'readwrite');
    fs.close();
    await deleteDatabase(diskDatabaseName(node));
    return {
      ...result,
      writeTransactionsPerSave: writes.length / result.saves,
      nonStrictWrites: writes.filter((tx) => tx.durability !== 'strict').length,
    };
  },
  async recovery(entryCount, entriesPerSave) {
    const { node, fs } = await freshDisk();
    const result = await measureRecovery({
      fs,
      // A restarted node: a new connection to the same database.
      reopen: async () => {
        fs.close();
        return IndexedDbBackend.open(node);
      },
      entryCount,
      entriesPerSave,
      now,
    });
    return result;
  },
  userAgent: navigator.userAgent,
};

declare global {
  interface Window {
    storageBench?: StorageBench;
    storageBenchReady?: boolean;
  }
}

window.storageBench = bench;
window.storageBenchReady = true;
document.getElementById('state')!.textContent = 'ready';
