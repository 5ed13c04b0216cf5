// Opening a node's WAL: create it when absent, else read and verify it, truncate a torn tail
// (reporting it), replay it, and hand back a writer positioned at its end.
import { emptyHardState } from '../../raft/types';
import type { FileSystem } from '../fs/file-system';

import { success, type Result } from '../result';
import type { TornTailWarning, WalCorruptionError } from './wal-error';
import { readWal, type WalRead } from './wal-reader';
import { replayWal, type WalReplay } from './wal-replay';
import { WalWriter, type WalWriterOptions } from './wal-writer';

export interface OpenedWal {
  writer: WalWriter;
  replay: WalReplay;
  /** The torn record that was truncated, if any. */
  tornTail: TornTailWarning | null;
}

export async function openWal(
  fs: FileSystem,
  dir: string,
  options: WalWriterOptions = {},
): Promise<Result<OpenedWal, WalCorruptionError>> {
  const empty: WalReplay = { entries: [], hardState: emptyHardState(), markers: [] };
  if (!(await fs.exists(dir))) {
    return success({ writer: await WalWriter.create(fs, dir, options), replay: empty, tornTail: null });
  }
  const read = await readWal(fs, dir);
  if (!read.ok) return read;
  const segments = await repairTornTail(fs, dir, read.value);
  if (segments.length === 0) {
    return success({ writer: await WalWriter.create(fs, dir, options), replay: empty, tornTail: read.value.tornTail });
  }
  const replayed = replayWal({ ...read.value, segments });
  if (!replayed.ok) return replayed;
  const replay = replayed.value;
  const latestMarker = replay.markers.reduce(
    (latest, marker) => (marker.index >= latest.index ? marker : latest),
    { index: 0, term: 0 },
  );
  const lastEntryIndex = replay.entries.length === 0 ? 0 : replay.entries[replay.entries.length - 1].index;
  const writer = WalWriter.resume(
    fs,
    dir,
    {
      segments: segments.map(({ name, seq, firstIndex }) => ({ name, seq, firstIndex })),
      lastSegmentSize: segments[segments.length - 1].validEnd,
      crc: read.value.crc,
      lastIndex: Math.max(lastEntryIndex, latestMarker.index),
      hardState: replay.hardState,
      latestMarker,
    },
    options,
  );
  return success({ writer, replay, tornTail: read.value.tornTail });
}

/**
 * Cuts the torn tail off the last segment and makes that durable; a last segment left without
 * records (a cut that crashed before its seed was written) is removed. Returns the segments left.
 */
async function repairTornTail(fs: FileSystem, dir: string, read: WalRead): Promise<WalRead['segments']> {
  const segments = [...read.segments];
  if (segments.length === 0) return segments;
  const last = segments[segments.length - 1];
  if (last.records.length === 0) {
    await fs.remove(last.path);
    await fs.fsyncDir(dir);
    segments.pop();
    return segments;
  }
  if (read.tornTail === null) return segments;
  await fs.truncate(last.path, last.validEnd);
  await fs.fsync(last.path);
  segments[segments.length - 1] = { ...last, size: last.validEnd };
  return segments;
}

