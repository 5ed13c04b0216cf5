// Reading a WAL folder: every segment in order, the crc chain verified across segment boundaries.
// The reader changes nothing on disk; the opener truncates a reported torn tail (wal-open.ts).
import type { FileSystem } from '../fs/file-system';
import { joinPath } from '../fs/path';
import { failure, success, type Result } from '../result';
import { WalCorruptionError, type TornTailWarning } from './wal-error';
import { parseSegment, parseSegmentName, walSegmentExtension, type ParsedRecord } from './wal-segment';

export interface WalSegmentRead {
  /** The path relative to the node's root. */
  path: string;
  name: string;
  seq: number;
  firstIndex: number;
  /** The file's size on disk. */
  size: number;
  /** Where its valid records end (size unless its tail is torn). */
  validEnd: number;
  records: ParsedRecord[];
}

export interface WalRead {
  segments: WalSegmentRead[];
  /** The torn record at the end of the last segment, if any. */
  tornTail: TornTailWarning | null;
  /** The chain's crc after the last valid record. */
  crc: number;
}

/** The segment names in `dir`, in sequence order; other files (temp files) are ignored. */
export async function listSegments(
  fs: FileSystem,
  dir: string,
): Promise<Result<{ name: string; seq: number; firstIndex: number }[], WalCorruptionError>> {
  const segments = [];
  for (const name of await fs.list(dir)) {
    if (!name.endsWith(walSegmentExtension)) continue;
    const parsed = parseSegmentName(name);
    if (parsed === null) return failure(new WalCorruptionError(joinPath(dir, name), 0, 'unrecognised segment name'));
    segments.push(parsed);
  }
  segments.sort((a, b) => a.seq - b.seq);
  for (let i = 1; i < segments.length; i++) {
    if (segments[i].seq !== segments[i - 1].seq + 1) {
      const missing = `segment ${segments[i - 1].seq + 1} is missing (found ${segments[i].seq} after ${segments[i - 1].seq})`;
      return failure(new WalCorruptionError(joinPath(dir, segments[i].name), 0, missing));
    }
    if (segments[i].firstIndex < segments[i - 1].firstIndex) {
      return failure(new WalCorruptionError(joinPath(dir, segments[i].name), 0, 'segment first index goes backwards'));
    }
  }
  return success(segments);
}

/** Reads and verifies every segment of the WAL in `dir`. */
export async function readWal(fs: FileSystem, dir: string): Promise<Result<WalRead, WalCorruptionError>> {
  const listed = await listSegments(fs, dir);
  if (!listed.ok) return listed;
  const segments: WalSegmentRead[] = [];
  let crc: number | null = null;
  let tornTail: TornTailWarning | null = null;
  for (let i = 0; i < listed.value.length; i++) {
    const { name, seq, firstIndex } = listed.value[i];
    const path = joinPath(dir, name);
    const bytes = await fs.readFile(path);
    const isLast = i === listed.value.length - 1;
    const parsed = parseSegment(bytes, { file: path, expectedSeed: crc, allowTornTail: isLast });
    if (!parsed.ok) return parsed;
    const { records, validEnd, tornAt } = parsed.value;
    crc = parsed.value.crc;
    segments.push({ path, name, seq, firstIndex, size: bytes.length, validEnd, records });
    if (tornAt !== null && validEnd < bytes.length) {
      const droppedBytes = bytes.length - validEnd;
      tornTail = {
        kind: 'torn-tail',
        file: path,
        offset: validEnd,
        droppedBytes,
        message: `wal: torn record at the tail of ${path} at byte offset ${validEnd}: dropping ${droppedBytes} bytes of an incomplete write`,
      };
    }
  }
  return success({ segments, tornTail, crc: crc ?? 0 });
}
