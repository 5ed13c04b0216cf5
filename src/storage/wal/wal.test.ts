import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EntryType, makeEntry, type Entry } from '../../raft/types';
import { crc32c } from '../codec/crc32c';
import { MemoryBackend } from '../fs/memory-backend';
import { openWal } from './wal-open';
import { readWal } from './wal-reader';
import { WalRecordType, decodeWalPayload, encodeWalRecord, walRecordPayloadBytesMax, type WalRecord } from './wal-record';
import { replayWal } from './wal-replay';
import { parseSegment, parseSegmentName, segmentFileName } from './wal-segment';
import { WalWriter } from './wal-writer';

const entry = (term: number, index: number, data: number[] | null = [index]): Entry =>
  makeEntry({ term, index, data: data === null ? null : new Uint8Array(data) });
const entryRecord = (e: Entry): WalRecord => ({ type: WalRecordType.Entry, entry: e });

async function writeWal(records: WalRecord[][], segmentBytesMax?: number) {
  const fs = new MemoryBackend();
  const writer = await WalWriter.create(fs, 'wal', { segmentBytesMax });
  for (const batch of records) {
    writer.append(batch);
    await writer.sync();
  }
  return { fs, writer };
}

describe('WAL records', () => {
  it('round-trips every record type through encode and decode', () => {
    const records: WalRecord[] = [
      { type: WalRecordType.CrcSeed, seed: 0xdeadbeef },
      entryRecord(entry(3, 7, [1, 2, 3])),
      entryRecord(makeEntry({ term: 1, index: 2, type: EntryType.EntryConfChangeV2, data: null })),
      entryRecord(makeEntry({ term: 1, index: 3, data: new Uint8Array(0) })),
      { type: WalRecordType.HardState, hardState: { term: 5, vote: 2, commit: 9 } },
      { type: WalRecordType.SnapshotMarker, marker: { index: 10, term: 4 } },
    ];
    for (const record of records) {
      const { bytes } = encodeWalRecord(record, 0);
      const decoded = decodeWalPayload(bytes[4], bytes.subarray(13));
      expect(decoded).toEqual({ ok: true, value: record });
    }
  });

  it('names segments by sequence and first index in hex', () => {
    expect(segmentFileName(1, 255)).toBe('0000000000000001-00000000000000ff.wal');
    expect(parseSegmentName('0000000000000001-00000000000000ff.wal')).toMatchObject({ seq: 1, firstIndex: 255 });
    expect(parseSegmentName('1-2.wal')).toBeNull();
  });
});

describe('WAL write and recovery', () => {
  it('replays entries, overwrites, the last HardState and snapshot markers', async () => {
    const { fs } = await writeWal([
      [entryRecord(entry(1, 1)), entryRecord(entry(1, 2)), entryRecord(entry(1, 3))],
      [{ type: WalRecordType.HardState, hardState: { term: 1, vote: 1, commit: 1 } }],
      [entryRecord(entry(2, 2)), { type: WalRecordType.HardState, hardState: { term: 2, vote: 0, commit: 2 } }],
    ]);
    const read = await readWal(fs, 'wal');
    if (!read.ok) throw read.error;
    expect(read.value.tornTail).toBeNull();
    const replay = replayWal(read.value);
    if (!replay.ok) throw replay.error;
    expect(replay.value.entries).toEqual([entry(1, 1), entry(2, 2)]);
    expect(replay.value.hardState).toEqual({ term: 2, vote: 0, commit: 2 });
    expect(replay.value.markers).toEqual([{ index: 0, term: 0 }]);
  });

  it('truncates a torn record at the tail of the last segment and reports it', async () => {
    const { fs } = await writeWal([[entryRecord(entry(1, 1))]]);
    const path = `wal/${segmentFileName(0, 0)}`;
    const size = (await fs.stat(path)).size;
    const torn = encodeWalRecord(entryRecord(entry(1, 2)), 0).bytes.subarray(0, 12);
    await fs.appendFile(path, torn);
    const opened = await openWal(fs, 'wal');
    if (!opened.ok) throw opened.error;
    expect(opened.value.tornTail).toMatchObject({ kind: 'torn-tail', file: path, offset: size, droppedBytes: 12 });
    expect(opened.value.replay.entries).toEqual([entry(1, 1)]);
    expect((await fs.stat(path)).size).toBe(size);
    // The writer continues the chain after the truncation point.
    opened.value.writer.append([entryRecord(entry(1, 2))]);
    await opened.value.writer.sync();
    const again = await openWal(fs, 'wal');
    if (!again.ok) throw again.error;
    expect(again.value.replay.entries).toEqual([entry(1, 1), entry(1, 2)]);
  });

  it('stops with the file and offset on a bad checksum that is not a torn tail', async () => {
    const { fs } = await writeWal([[entryRecord(entry(1, 1))], [entryRecord(entry(1, 2))]]);
    const path = `wal/${segmentFileName(0, 0)}`;
    const data = await fs.readFile(path);
    const read = await readWal(fs, 'wal');
    if (!read.ok) throw read.error;
    const victim = read.value.segments[0].records[1];
    data[victim.offset + 16] ^= 0x40;
    await fs.writeFile(path, data);
    const result = await openWal(fs, 'wal');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.file).toBe(path);
    expect(result.error.offset).toBe(victim.offset);
    expect(result.error.message).toMatch(/checksum mismatch/);
    expect(result.error.message).toContain(`in ${path} at byte offset ${victim.offset}`);
  });

  it('treats a damaged length in the last segment as corruption, not as a torn tail', async () => {
    const { fs } = await writeWal([[entryRecord(entry(1, 1))], [entryRecord(entry(1, 2))], [entryRecord(entry(1, 3))]]);
    const path = `wal/${segmentFileName(0, 0)}`;
    const read = await readWal(fs, 'wal');
    if (!read.ok) throw read.error;
    const records = read.value.segments[0].records;
    const original = await fs.readFile(path);
    // Every single-bit flip in any record but the last is an error naming this file.
    const lastStart = records[records.length - 1].offset;
    for (let bit = 0; bit < lastStart * 8; bit += 3) {
      const data = original.slice();
      data[bit >>> 3] ^= 1 << (bit & 7);
      await fs.writeFile(path, data);
      const result = await readWal(fs, 'wal');
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.file).toBe(path);
    }
  });

  it('cuts segments at the size limit, chains the crc across them, and purges covered ones', async () => {
    const batches: WalRecord[][] = [];
    for (let i = 1; i <= 40; i++) batches.push([entryRecord(entry(1, i, new Array(40).fill(i)))]);
    const { fs, writer } = await writeWal(batches, 256);
    expect(writer.segments.length).toBeGreaterThan(5);
    const read = await readWal(fs, 'wal');
    if (!read.ok) throw read.error;
    const replay = replayWal(read.value);
    if (!replay.ok) throw replay.error;
    expect(replay.value.entries.map((e) => e.index)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));

    writer.append([{ type: WalRecordType.SnapshotMarker, marker: { index: 30, term: 1 } }]);
    await writer.sync();
    const removed = await writer.purge(30);
    expect(removed.length).toBeGreaterThan(0);
    const after = await openWal(fs, 'wal');
    if (!after.ok) throw after.error;
    const kept = after.value.replay.entries.map((e) => e.index);
    expect(kept[kept.length - 1]).toBe(40);
    expect(kept[0]).toBeLessThanOrEqual(31);
    expect(after.value.replay.markers.some((m) => m.index === 30)).toBe(true);
  });

  it('refuses a missing middle segment', async () => {
    const batches: WalRecord[][] = [];
    for (let i = 1; i <= 20; i++) batches.push([entryRecord(entry(1, i, new Array(40).fill(1)))]);
    const { fs, writer } = await writeWal(batches, 200);
    await fs.remove(`wal/${writer.segments[1].name}`);
    const result = await readWal(fs, 'wal');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/segment 1 is missing/);
  });

  it('removes a last segment left without records by a crashed cut', async () => {
    const { fs } = await writeWal([[entryRecord(entry(1, 1))]]);
    await fs.writeFile(`wal/${segmentFileName(1, 2)}`, new Uint8Array(3));
    const opened = await openWal(fs, 'wal');
    if (!opened.ok) throw opened.error;
    expect(await fs.list('wal')).toEqual([segmentFileName(0, 0)]);
    expect(opened.value.replay.entries).toEqual([entry(1, 1)]);
  });
});

describe('WAL decoders under arbitrary bytes (fuzz)', () => {
  it('parseSegment never throws, never loops, and bounds claimed lengths', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, last) => {
        const result = parseSegment(bytes, { file: 'wal/x.wal', expectedSeed: null, allowTornTail: last });
        if (result.ok) expect(result.value.validEnd).toBeLessThanOrEqual(bytes.length);
        else expect(result.error.offset).toBeLessThanOrEqual(bytes.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('decodeWalPayload returns typed errors for any type and payload', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 64 }), (type, payload) => {
        const result = decodeWalPayload(type, payload);
        if (!result.ok) expect(result.error.name).toBe('DecodeError');
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects an entry claiming 4 GB of data without allocating it', () => {
    const payload = new Uint8Array(22);
    const view = new DataView(payload.buffer);
    view.setBigUint64(0, 1n);
    view.setBigUint64(8, 1n);
    payload[17] = 1;
    view.setUint32(18, 0xffffffff);
    const result = decodeWalPayload(WalRecordType.Entry, payload);
    expect(result).toMatchObject({ ok: false, error: { kind: 'too-large', offset: 18 } });
    const frame = new Uint8Array(13);
    new DataView(frame.buffer).setUint32(0, walRecordPayloadBytesMax + 1);
    new DataView(frame.buffer).setUint32(5, crc32c(frame.subarray(0, 5)));
    const segment = parseSegment(frame, { file: 'f', expectedSeed: null, allowTornTail: false });
    expect(segment.ok).toBe(false);
  });
});
