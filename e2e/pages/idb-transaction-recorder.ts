// Records every IndexedDB transaction the page starts, with what the browser itself reports
// about it (IDBTransaction.durability, the database it runs on) and whether it has committed.
// Installed before anything opens a database, by wrapping IDBDatabase.prototype.transaction:
// the `idb` package calls through the prototype, so nothing escapes the record.

export interface RecordedTransaction {
  database: string;
  stores: string[];
  mode: IDBTransactionMode;
  /** The browser's IDBTransaction.durability: 'strict' only when the caller asked for it. */
  durability: IDBTransactionDurability;
  /** Set by the transaction's complete event. */
  committed: boolean;
}

const recorded: RecordedTransaction[] = [];
let installed = false;

export function installTransactionRecorder(): void {
  if (installed) return;
  installed = true;
  const original = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function transaction(
    this: IDBDatabase,
    ...args: Parameters<IDBDatabase['transaction']>
  ): IDBTransaction {
    const tx = original.apply(this, args);
    const entry: RecordedTransaction = {
      database: this.name,
      stores: Array.from(tx.objectStoreNames),
      mode: tx.mode,
      durability: tx.durability,
      committed: false,
    };
    recorded.push(entry);
    tx.addEventListener('complete', () => {
      entry.committed = true;
    });
    return tx;
  };
}

/** Copies of the transactions recorded from position `from` on. */
export function recordedTransactions(from = 0): RecordedTransaction[] {
  return recorded.slice(from).map((entry) => ({ ...entry, stores: [...entry.stores] }));
}

export function recordedCount(): number {
  return recorded.length;
}
