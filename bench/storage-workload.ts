// The storage benchmark's workload, run the same way over any backend (memory in Node, IndexedDB
// in Chromium): Ready-shaped saves through EtcdStorage (entries of about 100 bytes and a
// HardState, one WAL write and one fsync per save), and the recovery of a 100,000-entry WAL
// (EtcdStorage.open: read, verify, replay into MemoryStorage). Measured, never asserted.
import { emptySnapshot, makeEntry, type Entry } from '../src/raft/types';
import { EtcdStorage } from '../src/storage/etcd-storage';
import type { FileSystem } from '../src/storage/fs/file-system';

/** Payload bytes per entry: about what a small key-value command takes. */
export const entryDataBytes = 100;

export interface AppendOptions {
  fs: FileSystem;
  entriesPerSave: number;
  /** Keep saving until this much time has passed... */
  durationMsMin: number;
  /** ...or this many saves were made, whichever comes first. */
  savesMax: number;
  now: () => number;
}

export interface AppendResult {
  entriesPerSave: number;
  saves: number;
  entries: number;
  seconds: number;
  savesPerSecond: number;
  entriesPerSecond: number;
}

export interface RecoveryOptions {
  /** An empty disk to write the WAL on. */
  fs: FileSystem;
  /** The same disk opened afresh (a restarted node). */
  reopen: () => Promise<FileSystem>;
  entryCount: number;
  entriesPerSave: number;
  now: () => number;
}

export interface RecoveryResult {
  entryCount: number;
  walBytes: number;
  segments: number;
  writeSeconds: number;
  recoverySeconds: number;
}

function entryData(index: number): Uint8Array {
  const data = new Uint8Array(entryDataBytes);
  for (let i = 0; i < data.length; i++) data[i] = (index + i) & 0xff;
  return data;
}

function batch(firstIndex: number, count: number): Entry[] {
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    entries.push(makeEntry({ term: 1, index: firstIndex + i, data: entryData(firstIndex + i) }));
  }
  return entries;
}

async function openStorage(fs: FileSystem): Promise<EtcdStorage> {
  const opened = await EtcdStorage.open(fs);
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.value;
}

/** Saves one Ready (entries plus the HardState a leader would have) and waits for its fsync. */
async function saveBatch(storage: EtcdStorage, firstIndex: number, count: number): Promise<void> {
  const entries = batch(firstIndex, count);
  const lastIndex = firstIndex + count - 1;
  await storage.save({
    entries,
    hardState: { term: 1, vote: 1, commit: lastIndex },
    snapshot: emptySnapshot(),
  });
}

export async function measureAppends(options: AppendOptions): Promise<AppendResult> {
  const storage = await openStorage(options.fs);
  let next = storage.storage.lastIndex() + 1;
  let saves = 0;
  const start = options.now();
  let elapsed = 0;
  while (saves < options.savesMax && elapsed < options.durationMsMin) {
    await saveBatch(storage, next, options.entriesPerSave);
    next += options.entriesPerSave;
    saves++;
    elapsed = options.now() - start;
  }
  const seconds = elapsed / 1000;
  const entries = saves * options.entriesPerSave;
  return {
    entriesPerSave: options.entriesPerSave,
    saves,
    entries,
    seconds,
    savesPerSecond: saves / seconds,
    entriesPerSecond: entries / seconds,
  };
}

export async function measureRecovery(options: RecoveryOptions): Promise<RecoveryResult> {
  const writer = await openStorage(options.fs);
  const writeStart = options.now();
  for (let index = 1; index <= options.entryCount; index += options.entriesPerSave) {
    await saveBatch(writer, index, Math.min(options.entriesPerSave, options.entryCount - index + 1));
  }
  const writeSeconds = (options.now() - writeStart) / 1000;
  const fs = await options.reopen();
  const recoveryStart = options.now();
  const recovered = await openStorage(fs);
  const recoverySeconds = (options.now() - recoveryStart) / 1000;
  const storage = recovered.storage;
  if (storage.lastIndex() !== options.entryCount || storage.firstIndex() !== 1) {
    throw new Error(`recovered entries ${storage.firstIndex()}..${storage.lastIndex()}, wrote 1..${options.entryCount}`);
  }
  if (storage.initialState().hardState.commit !== options.entryCount) throw new Error('recovered a stale HardState');
  const segments = (await fs.list('wal')).filter((name) => name.endsWith('.wal'));
  let walBytes = 0;
  for (const name of segments) walBytes += (await fs.stat(`wal/${name}`)).size;
  return { entryCount: options.entryCount, walBytes, segments: segments.length, writeSeconds, recoverySeconds };
}

export function formatAppend(backend: string, result: AppendResult): string {
  const perSave = `${result.entriesPerSave} entr${result.entriesPerSave === 1 ? 'y' : 'ies'}/save`;
  return (
    `${backend.padEnd(10)} append  ${perSave.padEnd(16)} ${result.savesPerSecond.toFixed(0).padStart(8)} saves/s ` +
    `${result.entriesPerSecond.toFixed(0).padStart(9)} entries/s  (${result.saves} fsynced saves in ${result.seconds.toFixed(2)} s)`
  );
}

export function formatRecovery(backend: string, result: RecoveryResult): string {
  const megabytes = (result.walBytes / 1024 / 1024).toFixed(1);
  return (
    `${backend.padEnd(10)} recover ${result.entryCount} entries (${megabytes} MiB, ${result.segments} segments) ` +
    `in ${(result.recoverySeconds * 1000).toFixed(0)} ms  (written in ${result.writeSeconds.toFixed(2)} s)`
  );
}
