import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../raft/random';
import { describeBackendConformance } from './backend-conformance';
import { FaultLayer, SimulatedCrashError, type FaultOptions } from './fault-layer';
import { FsError } from './file-system';
import { MemoryBackend } from './memory-backend';

const bytes = (...values: number[]) => new Uint8Array(values);
const never: FaultOptions = { random: seededRandom(1) };

async function layer(options: FaultOptions = never): Promise<FaultLayer> {
  return FaultLayer.create(new MemoryBackend(), options);
}

describeBackendConformance('FaultLayer over MemoryBackend', () => layer());

describe('FaultLayer: unsynced data is lost at a crash', () => {
  it('keeps fsynced bytes and drops appended bytes written after the fsync', async () => {
    const fs = await layer();
    await fs.writeFile('f', bytes(1, 2));
    await fs.fsync('f');
    await fs.fsyncDir('');
    await fs.appendFile('f', bytes(3, 4));
    await fs.crash({ keepPendingBytes: 0 });
    expect(await fs.readFile('f')).toEqual(bytes(1, 2));
  });

  it('keeps a torn prefix of the last write at the chosen byte', async () => {
    const fs = await layer();
    await fs.writeFile('f', bytes(1));
    await fs.fsync('f');
    await fs.fsyncDir('');
    await fs.appendFile('f', bytes(2, 3, 4));
    const report = await fs.crash({ keepPendingBytes: 2 });
    expect(report).toEqual({ tornFile: 'f', keptPendingBytes: 2 });
    expect(await fs.readFile('f')).toEqual(bytes(1, 2, 3));
  });

  it('loses a created file whose folder was not fsynced, even if the file was', async () => {
    const fs = await layer();
    await fs.writeFile('f', bytes(1));
    await fs.fsync('f');
    await fs.crash();
    expect(await fs.exists('f')).toBe(false);
  });

  it('restores the durable content of a file rewritten without fsync', async () => {
    const fs = await layer();
    await fs.writeFile('f', bytes(1, 1));
    await fs.fsync('f');
    await fs.fsyncDir('');
    await fs.writeFile('f', bytes(2, 2, 2));
    await fs.truncate('f', 1);
    await fs.crash({ keepPendingBytes: 0 });
    expect(await fs.readFile('f')).toEqual(bytes(1, 1));
  });

  it('makes a rename durable only after fsyncDir: the old file survives otherwise', async () => {
    const fs = await layer();
    await fs.writeFile('target', bytes(1));
    await fs.fsync('target');
    await fs.fsyncDir('');
    await fs.writeFile('target.tmp-1', bytes(2));
    await fs.fsync('target.tmp-1');
    await fs.rename('target.tmp-1', 'target');
    await fs.crash();
    expect(await fs.readFile('target')).toEqual(bytes(1));
    expect(await fs.list('')).toEqual(['target']);

    await fs.writeFile('target.tmp-2', bytes(3));
    await fs.fsync('target.tmp-2');
    await fs.rename('target.tmp-2', 'target');
    await fs.fsyncDir('');
    await fs.crash();
    expect(await fs.readFile('target')).toEqual(bytes(3));
    expect(await fs.list('')).toEqual(['target']);
  });

  it('undoes a removal that was not made durable', async () => {
    const fs = await layer();
    await fs.mkdir('d');
    await fs.fsyncDir('');
    await fs.writeFile('d/f', bytes(4, 5));
    await fs.fsync('d/f');
    await fs.fsyncDir('d');
    await fs.remove('d', { recursive: true });
    await fs.crash();
    expect(await fs.readFile('d/f')).toEqual(bytes(4, 5));
  });

  it('draws a torn write from the random source when the crash does not choose', async () => {
    const fs = await layer({ random: () => 0, tornWriteRatio: { numerator: 1, denominator: 1 } });
    await fs.writeFile('f', bytes());
    await fs.fsync('f');
    await fs.fsyncDir('');
    await fs.appendFile('f', bytes(1, 2, 3));
    // random() returns 0: the torn draw always hits and keeps 0 bytes.
    expect((await fs.crash()).keptPendingBytes).toBe(0);
    expect(await fs.readFile('f')).toEqual(bytes());
  });
});

describe('FaultLayer: armed crash points', () => {
  it('stops the n-th mutating operation and every later one until crash()', async () => {
    const fs = await layer();
    await fs.writeFile('f', bytes(1));
    fs.armCrash({ atOperation: fs.operationCount + 1 });
    await fs.fsync('f');
    await expect(fs.appendFile('f', bytes(2))).rejects.toBeInstanceOf(SimulatedCrashError);
    await expect(fs.readFile('f')).rejects.toBeInstanceOf(SimulatedCrashError);
    expect(fs.isHalted).toBe(true);
    await fs.crash();
    expect(fs.isHalted).toBe(false);
    expect(await fs.exists('f')).toBe(false);
  });

  it('writes only tornBytes of the armed write', async () => {
    const fs = await layer();
    await fs.writeFile('f', bytes());
    await fs.fsync('f');
    await fs.fsyncDir('');
    fs.armCrash({ atOperation: fs.operationCount, tornBytes: 2 });
    await expect(fs.appendFile('f', bytes(7, 8, 9))).rejects.toBeInstanceOf(SimulatedCrashError);
    await fs.crash({ keepPendingBytes: Number.MAX_SAFE_INTEGER });
    expect(await fs.readFile('f')).toEqual(bytes(7, 8));
  });
});

describe('FaultLayer: injected read and write faults', () => {
  it('flips exactly one bit on a read when the draw hits', async () => {
    const fs = await layer({ random: seededRandom(7), bitFlipOnReadRatio: { numerator: 1, denominator: 1 } });
    await fs.writeFile('f', new Uint8Array(16));
    const read = await fs.readFile('f');
    const ones = read.reduce((sum, byte) => sum + byte.toString(2).split('1').length - 1, 0);
    expect(ones).toBe(1);
    expect(fs.faultCounts.bitFlips).toBe(1);
  });

  it('fails writes with ENOSPC by ratio and by capacity, writing nothing', async () => {
    const full = await layer({ random: seededRandom(3), writeFailureRatio: { numerator: 1, denominator: 1 } });
    await expect(full.writeFile('f', bytes(1))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(await full.exists('f')).toBe(false);
    const small = await layer({ random: seededRandom(3), capacityBytes: 4 });
    await small.writeFile('f', bytes(1, 2, 3));
    const error = await small.appendFile('f', bytes(4, 5)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FsError);
    expect(await small.readFile('f')).toEqual(bytes(1, 2, 3));
  });

  it('gives the same faults for the same seed', async () => {
    const run = async (seed: number) => {
      const fs = await layer({ random: seededRandom(seed), bitFlipOnReadRatio: { numerator: 1, denominator: 2 } });
      await fs.writeFile('f', new Uint8Array(64));
      const reads = [];
      for (let i = 0; i < 20; i++) reads.push(Array.from(await fs.readFile('f')).join(','));
      return reads;
    };
    expect(await run(42)).toEqual(await run(42));
  });
});
