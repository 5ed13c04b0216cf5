// Turning a WAL's records into the state they describe: the log (later entries at an index
// replace earlier ones and everything after them), the last HardState, and the snapshot markers.
import { emptyHardState, type Entry, type HardState, type LogIndex } from '../../raft/types';
import { failure, success, type Result } from '../result';
import { WalCorruptionError } from './wal-error';
import type { WalRead } from './wal-reader';
import { WalRecordType, type SnapshotMarker } from './wal-record';

export interface WalReplay {
  /** Consecutive entries (possibly starting at or before the snapshot index). */
  entries: Entry[];
  hardState: HardState;
  /** Every snapshot marker, in WAL order. */
  markers: SnapshotMarker[];
}

/** Replays the records of a read WAL; a gap in the entries is corruption. */
export function replayWal(read: WalRead): Result<WalReplay, WalCorruptionError> {
  let entries: Entry[] = [];
  let hardState = emptyHardState();
  const markers: SnapshotMarker[] = [];
  for (const segment of read.segments) {
    for (const { record, offset } of segment.records) {
      switch (record.type) {
        case WalRecordType.Entry: {
          const entry = record.entry;
          const first = entries.length === 0 ? entry.index : entries[0].index;
          const last = first + entries.length - 1;
          const latestMarker = markers.length === 0 ? null : markers[markers.length - 1];
          if (entries.length > 0 && entry.index > last + 1) {
            // After a snapshot received from a leader the log resumes just past the snapshot.
            if (latestMarker === null || latestMarker.index !== entry.index - 1) {
              return failure(
                new WalCorruptionError(segment.path, offset, `entry ${entry.index} follows entry ${last}: a gap in the log`),
              );
            }
            entries = [];
          } else if (entry.index < first) {
            entries = [];
          } else {
            entries.length = entry.index - first;
          }
          entries.push(entry);
          break;
        }
        case WalRecordType.HardState:
          hardState = record.hardState;
          break;
        case WalRecordType.SnapshotMarker:
          markers.push(record.marker);
          break;
        case WalRecordType.CrcSeed:
          break;
      }
    }
  }
  return success({ entries, hardState, markers });
}

/**
 * The entries after a snapshot at `snapshotIndex`; they must follow it without a gap.
 * `walPath` names the WAL in the error.
 */
export function entriesAfter(
  replay: WalReplay,
  snapshotIndex: LogIndex,
  walPath: string,
): Result<Entry[], WalCorruptionError> {
  const after = replay.entries.filter((entry) => entry.index > snapshotIndex);
  if (after.length > 0 && after[0].index !== snapshotIndex + 1) {
    return failure(
      new WalCorruptionError(walPath, 0, `entries resume at ${after[0].index} but the snapshot ends at ${snapshotIndex}`),
    );
  }
  return success(after);
}
