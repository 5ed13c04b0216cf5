// The page e2e/indexeddb-storage.test.ts drives: etcd node storage (EtcdStorage over the
// IndexedDB backend) opened per node, with every IndexedDB transaction recorded. The test calls
// window.storageHarness through page.evaluate and waits for window.storageHarnessReady.
import { openDB } from 'idb';
import { emptySnapshot, makeEntry, type HardState } from '../../src/raft/types';
import { EtcdStorage } from '../../src/storage/etcd-storage';
import { viewOf, type StorageView } from '../../src/storage/etcd-storage-scenario';
import { diskDatabaseName, IndexedDbBackend } from '../../src/storage/fs/indexeddb-backend';
import { installTransactionRecorder, recordedCount, recordedTransactions, type RecordedTransaction } from './idb-transaction-recorder';

installTransactionRecorder();

export interface PlainEntry {
  term: number;
  index: number;
  data: number[];
}

export interface SaveReport {
  /** The transactions the save started, as they stood when its promise resolved. */
  transactions: RecordedTransaction[];
  view: StorageView;
}

export interface StorageHarness {
  /** Opens (recovering) the node's storage; returns what it recovered and any warnings. */
  open(node: string): Promise<{ view: StorageView; warnings: string[]; database: string }>;
  /** Saves one Ready (entries and HardState) and waits for it to be durable. */
  save(node: string, ready: { hardState: HardState; entries: PlainEntry[] }): Promise<SaveReport>;
  /** The names of the page's IndexedDB databases, sorted. */
  databases(): Promise<string[]>;
  transactions(): RecordedTransaction[];
  /**
   * Records a plain readwrite transaction on a scratch database, opened without a durability
   * option: shows the recorder tells 'strict' from the browser's default.
   */
  plainTransaction(): Promise<RecordedTransaction>;
}

const opened = new Map<string, EtcdStorage>();

function storageOf(node: string): EtcdStorage {
  const storage = opened.get(node);
  if (storage === undefined) throw new Error(`node ${node} is not open on this page`);
  return storage;
}

const harness: StorageHarness = {
  async open(node) {
    if (opened.has(node)) throw new Error(`node ${node} is already open on this page`);
    const result = await EtcdStorage.open(await IndexedDbBackend.open(node), { displayDir: node });
    if (!result.ok) throw new Error(result.error.message);
    opened.set(node, result.value);
    return {
      view: viewOf(result.value.storage),
      warnings: result.value.warnings.map((warning) => warning.message),
      database: diskDatabaseName(node),
    };
  },
  async save(node, ready) {
    const storage = storageOf(node);
    const before = recordedCount();
    await storage.save({
      hardState: ready.hardState,
      entries: ready.entries.map((entry) => makeEntry({ ...entry, data: new Uint8Array(entry.data) })),
      snapshot: emptySnapshot(),
    });
    return { transactions: recordedTransactions(before), view: viewOf(storage.storage) };
  },
  async databases() {
    const all = await indexedDB.databases();
    return all.map((database) => database.name ?? '').sort();
  },
  transactions: () => recordedTransactions(),
  async plainTransaction() {
    const db = await openDB('raftlab-scratch', 1, { upgrade: (database) => database.createObjectStore('scratch') });
    const before = recordedCount();
    const tx = db.transaction('scratch', 'readwrite');
    await tx.store.put(1, 'key');
    await tx.done;
    db.close();
    return recordedTransactions(before)[0];
  },
};

declare global {
  interface Window {
    storageHarness?: StorageHarness;
    storageHarnessReady?: boolean;
  }
}

window.storageHarness = harness;
window.storageHarnessReady = true;
document.getElementById('state')!.textContent = 'ready';
