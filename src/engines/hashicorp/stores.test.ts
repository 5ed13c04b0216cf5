// The hashicorp data dir's stores: codecs round-trip and reject damage (fast-check fuzz: decoders
// never throw and never accept garbage silently), torn log tails are cut, snapshots are atomic
// and retained, and the data dir refuses the other engine's dirs and elastickv's legacy files.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../raft/random';
import { encodeUtf8 } from '../../storage/codec/utf8';
import { FaultLayer } from '../../storage/fs/fault-layer';
import { MemoryBackend } from '../../storage/fs/memory-backend';
import { decodeConfiguration, encodeConfiguration } from './configuration';
import { HashicorpDataDir } from './data-dir';
import { decodeLogFile, encodeLogRecord, type LogRecord } from './log-store';
import { decodeSnapshotMeta, encodeSnapshotMeta } from './snapshot-store';
import { decodeStableState, encodeStableState } from './stable-store';
import { LogType, Suffrage, type LogEntry, type SnapshotMeta } from './types';

const header = new Uint8Array([...encodeUtf8('RLHL'), 0, 0, 0, 1]);

function entry(index: number, term: number, text = `e${index}`): LogEntry {
  return { index, term, type: LogType.Command, data: encodeUtf8(text) };
}

function logFile(records: LogRecord[]): Uint8Array {
  const parts = [header, ...records.map(encodeLogRecord)];
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

const configuration = { servers: [1, 2, 3].map((id) => ({ suffrage: id === 3 ? Suffrage.Nonvoter : Suffrage.Voter, id, address: `node-${id}:7000` })) };
const meta: SnapshotMeta = { index: 15, term: 2, configuration, configurationIndex: 4, size: 3 };

describe('log store codec', () => {
  const records: LogRecord[] = [
    { kind: 'append', entries: [entry(1, 1), entry(2, 1)] },
    { kind: 'deleteFrom', index: 2 },
    { kind: 'append', entries: [entry(2, 2)] },
    { kind: 'deleteThrough', index: 1 },
  ];

  it('round-trips records', () => {
    const decoded = decodeLogFile(logFile(records));
    expect(decoded).toEqual({ ok: true, value: { records, validBytes: logFile(records).length, tornTail: null } });
  });

  it('a cut-short or corrupt last record is a torn tail; corruption before it is an error', () => {
    const bytes = logFile(records);
    const cut = decodeLogFile(bytes.subarray(0, bytes.length - 3));
    expect(cut.ok && cut.value.records.length).toBe(3);
    expect(cut.ok && cut.value.tornTail).toMatch(/cut-short record/);
    const flipped = bytes.slice();
    flipped[bytes.length - 1] ^= 1;
    expect(decodeLogFile(flipped).ok && (decodeLogFile(flipped) as { value: { tornTail: string } }).value.tornTail).toMatch(/bad checksum/);
    const early = bytes.slice();
    early[header.length + 10] ^= 1;
    expect(decodeLogFile(early)).toMatchObject({ ok: false, error: { kind: 'checksum' } });
  });

  it('fuzz: arbitrary bytes and mutations never throw', () => {
    const valid = logFile(records);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), fc.nat(255), (noise, at, value) => {
        decodeLogFile(noise);
        decodeLogFile(new Uint8Array([...header, ...noise]));
        const mutated = valid.slice();
        mutated[at % mutated.length] = value;
        const result = decodeLogFile(mutated);
        if (result.ok) expect(result.value.validBytes).toBeLessThanOrEqual(mutated.length);
      }),
    );
  });
});

describe('stable store codec', () => {
  it('round-trips and rejects any single-byte change', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), fc.nat(35), fc.integer({ min: 1, max: 255 }), (currentTerm, lastVoteTerm, lastVoteCand, at, delta) => {
        const state = { currentTerm, lastVoteTerm, lastVoteCand };
        const bytes = encodeStableState(state);
        expect(decodeStableState(bytes)).toEqual({ ok: true, value: state });
        const damaged = bytes.slice();
        damaged[at] = (damaged[at] + delta) & 0xff;
        expect(decodeStableState(damaged).ok).toBe(false);
      }),
    );
  });

  it('fuzz: arbitrary bytes never throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => void decodeStableState(bytes)));
  });
});

describe('configuration and snapshot meta codecs', () => {
  it('round-trip', () => {
    expect(decodeConfiguration(encodeConfiguration(configuration))).toEqual({ ok: true, value: configuration });
    expect(decodeSnapshotMeta(encodeSnapshotMeta('2-15-1', meta, 1234))).toEqual({ ok: true, value: { id: '2-15-1', meta, crc: 1234 } });
  });

  it('reject bad fields with a message', () => {
    const text = new TextDecoder().decode(encodeSnapshotMeta('2-15-1', meta, 1));
    expect(decodeSnapshotMeta(encodeUtf8(text.replace('"Voter"', '"Boss"')))).toEqual({ ok: false, error: 'meta.json server suffrage "Boss" is unknown' });
    expect(decodeSnapshotMeta(encodeUtf8(text.replace('"Size": 3', '"Size": -3')))).toEqual({ ok: false, error: 'meta.json Size is not a non-negative integer' });
    expect(decodeSnapshotMeta(encodeUtf8('{'))).toEqual({ ok: false, error: 'meta.json is not valid UTF-8 JSON' });
  });

  it('fuzz: decoders never throw on arbitrary or mutated input', () => {
    const valid = encodeSnapshotMeta('2-15-1', meta, 1);
    const config = encodeConfiguration(configuration);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(255), (noise, at, value) => {
        decodeSnapshotMeta(noise);
        decodeConfiguration(noise);
        const mutated = valid.slice();
        mutated[at % mutated.length] = value;
        decodeSnapshotMeta(mutated);
        const mutatedConfig = config.slice();
        mutatedConfig[at % config.length] = value;
        decodeConfiguration(mutatedConfig);
      }),
    );
  });
});

describe('hashicorp data dir', () => {
  it('writes the marker and the layout; recovers stable state, log and newest snapshot', async () => {
    const disk = new MemoryBackend();
    const opened = await HashicorpDataDir.open(disk);
    if (!opened.ok) throw new Error(opened.error);
    const dir = opened.value;
    expect(dir.hasExistingState).toBe(false);
    await dir.write({ kind: 'appendLogs', entries: [entry(1, 1), entry(2, 1), entry(3, 2)] });
    await dir.write({ kind: 'stable', state: { currentTerm: 2, lastVoteTerm: 2, lastVoteCand: 3 } });
    await dir.write({ kind: 'deleteLogsFrom', index: 3 });
    await dir.write({ kind: 'appendLogs', entries: [entry(3, 3)] });
    for (const index of [1, 2, 3]) await dir.write({ kind: 'saveSnapshot', meta: { ...meta, index, term: 1, size: 1 }, data: new Uint8Array([index]) });
    expect(new TextDecoder().decode(await disk.readFile('raft-engine'))).toBe('hashicorp\n');
    expect(await disk.list('')).toEqual(['raft-engine', 'raft.db', 'snapshots']);
    expect(await disk.list('raft.db')).toEqual(['logs.bin', 'stable.bin']);
    expect(await disk.list('snapshots')).toEqual(['1-2-2', '1-3-3']);
    const again = await HashicorpDataDir.open(disk);
    if (!again.ok) throw new Error(again.error);
    const { stable, entries, snapshot } = again.value.recovered;
    expect(stable).toEqual({ currentTerm: 2, lastVoteTerm: 2, lastVoteCand: 3 });
    expect(entries.map((e) => `${e.index}/${e.term}`)).toEqual(['1/1', '2/1', '3/3']);
    expect(snapshot?.meta.index).toBe(3);
    expect([...snapshot!.data]).toEqual([3]);
  });

  it('cuts a torn log tail, skips a corrupt snapshot and removes unfinished ones', async () => {
    const disk = new MemoryBackend();
    const opened = await HashicorpDataDir.open(disk);
    if (!opened.ok) throw new Error(opened.error);
    await opened.value.write({ kind: 'appendLogs', entries: [entry(1, 1)] });
    await opened.value.write({ kind: 'saveSnapshot', meta: { ...meta, index: 1, term: 1, size: 1 }, data: new Uint8Array([1]) });
    await opened.value.write({ kind: 'saveSnapshot', meta: { ...meta, index: 2, term: 1, size: 1 }, data: new Uint8Array([2]) });
    await disk.appendFile('raft.db/logs.bin', encodeLogRecord({ kind: 'append', entries: [entry(2, 1)] }).subarray(0, 9));
    await disk.writeFile('snapshots/1-2-2/state.bin', new Uint8Array([9]));
    await disk.mkdir('snapshots/1-5-9.tmp');
    const again = await HashicorpDataDir.open(disk);
    if (!again.ok) throw new Error(again.error);
    expect(again.value.recovered.entries.map((e) => e.index)).toEqual([1]);
    expect(again.value.recovered.snapshot?.meta.index).toBe(1);
    expect(again.value.warnings.join('\n')).toMatch(/torn write[\s\S]*unfinished snapshot[\s\S]*1-2-2: skipped: state.bin checksum mismatch/);
    expect(await disk.list('snapshots')).toEqual(['1-1-1', '1-2-2']);
  });

  it('refuses legacy boltdb files and a dir of the etcd engine', async () => {
    const legacy = new MemoryBackend();
    await legacy.writeFile('logs.dat', new Uint8Array(1));
    expect(await HashicorpDataDir.open(legacy, { displayDir: '/data/n1' })).toEqual({
      ok: false,
      error: 'legacy boltdb Raft storage "logs.dat" found in /data/n1; manual migration required before using Pebble-backed storage',
    });
    const etcd = new MemoryBackend();
    await etcd.mkdir('wal');
    expect(await HashicorpDataDir.open(etcd, { displayDir: '/data/n2' })).toEqual({
      ok: false,
      error: '/data/n2 contains etcd state, not hashicorp: raft data dir belongs to a different raft engine',
    });
    const marked = new MemoryBackend();
    await marked.writeFile('raft-engine', encodeUtf8('etcd\n'));
    expect(await HashicorpDataDir.open(marked, { displayDir: '/data/n3' })).toMatchObject({ ok: false, error: expect.stringContaining('is initialized for etcd, not hashicorp') });
  });

  it('a crash at every write point of a snapshot save leaves the old snapshot or the new one', async () => {
    for (let point = 0; ; point++) {
      const disk = new MemoryBackend();
      const first = await HashicorpDataDir.open(disk);
      if (!first.ok) throw new Error(first.error);
      await first.value.write({ kind: 'saveSnapshot', meta: { ...meta, index: 1, term: 1, size: 1 }, data: new Uint8Array([1]) });
      const fs = await FaultLayer.create(disk, { random: seededRandom(point) });
      const opened = await HashicorpDataDir.open(fs);
      if (!opened.ok) throw new Error(opened.error);
      fs.armCrash({ atOperation: fs.operationCount + point });
      let finished = true;
      try {
        await opened.value.write({ kind: 'saveSnapshot', meta: { ...meta, index: 2, term: 1, size: 1 }, data: new Uint8Array([2]) });
      } catch {
        finished = false;
      }
      await fs.crash({ keepPendingBytes: 0 });
      const recovered = await HashicorpDataDir.open(disk);
      if (!recovered.ok) throw new Error(recovered.error);
      expect([1, 2]).toContain(recovered.value.recovered.snapshot?.meta.index);
      if (finished) {
        expect(recovered.value.recovered.snapshot?.meta.index).toBe(2);
        expect(point).toBeGreaterThan(5);
        return;
      }
    }
  });
});
