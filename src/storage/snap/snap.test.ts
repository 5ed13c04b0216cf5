import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../raft/types';
import { MemoryBackend } from '../fs/memory-backend';
import { decodeSnapFile, encodeSnapFile, snapConfStateNodesMax, snapFileName } from './snap-file';
import { listSnapFiles, loadNewestSnapshot, purgeSnapFiles, saveSnapFile } from './snapshotter';

const snapshot = (index: number, term: number, data: Uint8Array | null = new Uint8Array([index])): Snapshot => ({
  data,
  metadata: {
    index,
    term,
    confState: { voters: [1, 2, 3], learners: [4], votersOutgoing: [], learnersNext: [5], autoLeave: true },
  },
});
const always = () => true;

describe('snapshot files', () => {
  it('round-trips metadata, conf state and data (nil and empty differ)', () => {
    for (const data of [null, new Uint8Array(0), new Uint8Array([9, 8, 7])]) {
      expect(decodeSnapFile(encodeSnapFile(snapshot(12, 3, data)))).toEqual({ ok: true, value: snapshot(12, 3, data) });
    }
  });

  it('detects any flipped bit with the checksum or the format checks', () => {
    const bytes = encodeSnapFile(snapshot(5, 2));
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const copy = bytes.slice();
      copy[bit >>> 3] ^= 1 << (bit & 7);
      expect(decodeSnapFile(copy).ok).toBe(false);
    }
  });

  it('saves atomically, loads the newest valid file, and reports corrupt or unreferenced ones', async () => {
    const fs = new MemoryBackend();
    await fs.mkdir('snap');
    await saveSnapFile(fs, 'snap', snapshot(10, 1), 1);
    await saveSnapFile(fs, 'snap', snapshot(20, 2), 2);
    await saveSnapFile(fs, 'snap', snapshot(30, 2), 3);
    expect(await fs.list('snap')).toEqual([snapFileName(1, 10), snapFileName(2, 20), snapFileName(2, 30)]);
    const newest = `snap/${snapFileName(2, 30)}`;
    const data = await fs.readFile(newest);
    data[data.length - 1] ^= 1;
    await fs.writeFile(newest, data);
    const loaded = await loadNewestSnapshot(fs, 'snap', (index) => index !== 20);
    expect(loaded.snapshot).toEqual(snapshot(10, 1));
    expect(loaded.warnings.map((warning) => warning.kind)).toEqual(['corrupt-snapshot', 'unreferenced-snapshot']);
    expect(loaded.warnings[0].message).toContain('checksum mismatch');
  });

  it('keeps the newest files when purging', async () => {
    const fs = new MemoryBackend();
    await fs.mkdir('snap');
    for (const index of [1, 2, 3, 4]) await saveSnapFile(fs, 'snap', snapshot(index, 1), index);
    expect(await purgeSnapFiles(fs, 'snap', 2)).toEqual([snapFileName(1, 2), snapFileName(1, 1)]);
    expect((await listSnapFiles(fs, 'snap')).map((ref) => ref.index)).toEqual([4, 3]);
    expect((await loadNewestSnapshot(fs, 'snap', always)).snapshot?.metadata.index).toBe(4);
  });

  it('decodes arbitrary bytes to a typed result (fuzz), and bounds list counts before allocating', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const result = decodeSnapFile(bytes);
        if (!result.ok) expect(result.error.name).toBe('DecodeError');
      }),
      { numRuns: 2000 },
    );
    const huge = encodeSnapFile(snapshot(1, 1)).slice(0, 28);
    new DataView(huge.buffer).setUint32(24, 1_000_000_000);
    const result = decodeSnapFile(huge);
    expect(result).toMatchObject({ ok: false, error: { kind: 'too-large', offset: 24 } });
    expect(snapConfStateNodesMax).toBeLessThan(1_000_000_000);
  });
});

describe('snapshot repair at load', () => {
  it('removes unfinished saves and sets corrupt files aside, so each is reported once', async () => {
    const fs = new MemoryBackend();
    await fs.mkdir('snap');
    await saveSnapFile(fs, 'snap', snapshot(10, 1), 1);
    await saveSnapFile(fs, 'snap', snapshot(20, 1), 2);
    await saveSnapFile(fs, 'snap', snapshot(30, 1), 3);
    await fs.writeFile(`snap/${snapFileName(1, 20)}`, new Uint8Array([1, 2, 3]));
    const referenced = (index: number) => index <= 20;
    const first = await loadNewestSnapshot(fs, 'snap', referenced, { repair: true });
    expect(first.snapshot?.metadata.index).toBe(10);
    expect(first.warnings.map((warning) => warning.kind)).toEqual(['unreferenced-snapshot', 'corrupt-snapshot']);
    expect(await fs.list('snap')).toEqual([snapFileName(1, 10), `${snapFileName(1, 20)}.broken`]);
    const second = await loadNewestSnapshot(fs, 'snap', referenced, { repair: true });
    expect(second.warnings).toEqual([]);
    expect(second.snapshot?.metadata.index).toBe(10);
  });
});
