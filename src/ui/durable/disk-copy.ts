// Copies one IndexedDB database into another, schema and records, with the browser's IndexedDB
// API and nothing else: the durable mode keeps the disks a page resumed from as a base, so a
// rewind of a resumed run can start a new branch from the same disks. It reads the schema from
// the source (object stores, key paths, indexes), so it does not depend on the disk backend's
// layout. The disks are small (a few MB at most), so each store is copied in one transaction.

/** Records one store may hold before the copy refuses (a disk is far smaller). */
const recordsPerStoreMax = 1_000_000;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error ?? new Error(`cannot delete ${name}`));
    // Another connection still holds it: the deletion completes once it closes.
    req.onblocked = () => resolve();
  });
}

interface StoreShape {
  name: string;
  keyPath: string | string[] | null;
  autoIncrement: boolean;
  indexes: { name: string; keyPath: string | string[]; unique: boolean; multiEntry: boolean }[];
}

function shapeOf(db: IDBDatabase): StoreShape[] {
  const names = [...db.objectStoreNames];
  if (names.length === 0) return [];
  const tx = db.transaction(names, 'readonly');
  return names.map((name) => {
    const store = tx.objectStore(name);
    return {
      name,
      keyPath: store.keyPath,
      autoIncrement: store.autoIncrement,
      indexes: [...store.indexNames].map((indexName) => {
        const index = store.index(indexName);
        return {
          name: indexName,
          keyPath: index.keyPath,
          unique: index.unique,
          multiEntry: index.multiEntry,
        };
      }),
    };
  });
}

/** Replaces database `to` with a copy of database `from` (which must exist). */
export async function copyDatabase(from: string, to: string): Promise<void> {
  const known = (await indexedDB.databases()).some((info) => info.name === from);
  if (!known) throw new Error(`no database ${from} to copy`);
  const source = await request(indexedDB.open(from));
  try {
    const shapes = shapeOf(source);
    await deleteDatabase(to);
    const opening = indexedDB.open(to, source.version);
    opening.onupgradeneeded = () => {
      for (const shape of shapes) {
        const store = opening.result.createObjectStore(shape.name, {
          keyPath: shape.keyPath ?? undefined,
          autoIncrement: shape.autoIncrement,
        });
        for (const index of shape.indexes) {
          store.createIndex(index.name, index.keyPath, {
            unique: index.unique,
            multiEntry: index.multiEntry,
          });
        }
      }
    };
    const target = await request(opening);
    try {
      for (const shape of shapes) await copyStore(source, target, shape);
    } finally {
      target.close();
    }
  } finally {
    source.close();
  }
}

async function copyStore(
  source: IDBDatabase,
  target: IDBDatabase,
  shape: StoreShape,
): Promise<void> {
  const read = source.transaction(shape.name, 'readonly').objectStore(shape.name);
  const count = await request(read.count());
  if (count > recordsPerStoreMax)
    throw new Error(`store ${shape.name} holds ${count} records (max ${recordsPerStoreMax})`);
  const [keys, values] = await Promise.all([request(read.getAllKeys()), request(read.getAll())]);
  const tx = target.transaction(shape.name, 'readwrite');
  const write = tx.objectStore(shape.name);
  values.forEach((value, i) => {
    if (shape.keyPath === null) write.put(value, keys[i]);
    else write.put(value);
  });
  await done(tx);
}
