import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../fs/memory-backend';
import { FaultLayer } from '../fs/fault-layer';
import { seededRandom } from '../../raft/random';
import { checkLegacyBoltdbStorage, ensureRaftEngineDataDir, raftGroupStartError } from './engine-check';
import { decodeEngineMarker, parseRaftEngineType } from './engine-marker';

const text = (value: string) => new TextEncoder().encode(value);

async function check(setup: (fs: MemoryBackend) => Promise<void>, engine: 'etcd' | 'hashicorp') {
  const fs = new MemoryBackend();
  await fs.mkdir('n1');
  await setup(fs);
  return { fs, result: await ensureRaftEngineDataDir(fs, 'n1', engine, { displayDir: '/data/n1' }) };
}

describe('raft-engine marker', () => {
  it('reads as elastickv reads it: trimmed, any case, blank means hashicorp', () => {
    expect(parseRaftEngineType('etcd\n')).toBe('etcd');
    expect(parseRaftEngineType('  ETCD ')).toBe('etcd');
    expect(parseRaftEngineType('')).toBe('hashicorp');
    expect(parseRaftEngineType(' \n\t')).toBe('hashicorp');
    expect(parseRaftEngineType('hashicorp\n')).toBe('hashicorp');
    expect(parseRaftEngineType('raft')).toBeNull();
  });

  it('decodes arbitrary bytes without throwing (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const result = decodeEngineMarker(bytes);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
    expect(decodeEngineMarker(new Uint8Array(1_000_000)).ok).toBe(false);
  });
});

describe('engine-switch safety check', () => {
  it('creates the dir and writes the marker at once, even for an empty dir', async () => {
    const fs = new MemoryBackend();
    const result = await ensureRaftEngineDataDir(fs, 'a/b', 'etcd');
    expect(result).toEqual({ ok: true, value: { engine: 'etcd', markerWritten: true } });
    expect(await fs.readFile('a/b/raft-engine')).toEqual(text('etcd\n'));
    expect(await fs.list('a/b')).toEqual(['raft-engine']);
  });

  it('makes the marker durable (it survives a crash right after the check)', async () => {
    const fs = await FaultLayer.create(new MemoryBackend(), { random: seededRandom(1) });
    await fs.mkdir('n1');
    await fs.fsyncDir('');
    await ensureRaftEngineDataDir(fs, 'n1', 'hashicorp');
    await fs.crash();
    expect(await fs.readFile('n1/raft-engine')).toEqual(text('hashicorp\n'));
  });

  it('accepts a matching marker and refuses another engine with elastickv\'s message', async () => {
    const same = await check((fs) => fs.writeFile('n1/raft-engine', text('etcd\n')), 'etcd');
    expect(same.result).toEqual({ ok: true, value: { engine: 'etcd', markerWritten: false } });
    const other = await check((fs) => fs.writeFile('n1/raft-engine', text('')), 'etcd');
    expect(other.result).toMatchObject({
      ok: false,
      error: {
        sentinel: 'ErrRaftEngineDataDir',
        message: '/data/n1 is initialized for hashicorp, not etcd: raft data dir belongs to a different raft engine',
      },
    });
  });

  it('refuses an invalid marker', async () => {
    const { result } = await check((fs) => fs.writeFile('n1/raft-engine', text(' raft\n')), 'etcd');
    expect(result).toMatchObject({
      ok: false,
      error: { message: 'invalid raft engine marker /data/n1/raft-engine: "raft": unsupported raft engine' },
    });
  });

  it('reads artifacts when there is no marker: foreign state and mixed state are errors', async () => {
    const foreign = await check((fs) => fs.mkdir('n1/raft.db'), 'etcd');
    expect(foreign.result).toMatchObject({
      ok: false,
      error: { message: '/data/n1 contains hashicorp state, not etcd: raft data dir belongs to a different raft engine' },
    });
    expect(await foreign.fs.exists('n1/raft-engine')).toBe(false);
    const etcdState = await check((fs) => fs.writeFile('n1/etcd-raft-state.bin', text('x')), 'hashicorp');
    expect(etcdState.result).toMatchObject({ ok: false, error: { message: expect.stringContaining('contains etcd state, not hashicorp') } });
    const mixed = await check(async (fs) => {
      await fs.mkdir('n1/wal');
      await fs.writeFile('n1/logs.dat', text('x'));
    }, 'etcd');
    expect(mixed.result).toMatchObject({
      ok: false,
      error: { sentinel: 'ErrMixedRaftEngineArtifacts', message: '/data/n1: raft data dir contains artifacts for multiple raft engines' },
    });
    const own = await check((fs) => fs.mkdir('n1/member/snap', { recursive: true }), 'etcd');
    expect(own.result.ok).toBe(true);
  });

  it('refuses legacy boltdb files and wraps start errors per group', async () => {
    const fs = new MemoryBackend();
    await fs.writeFile('stable.dat', text('x'));
    const result = await checkLegacyBoltdbStorage(fs, '', '/data/n1');
    expect(result).toMatchObject({
      ok: false,
      error: {
        message:
          'legacy boltdb Raft storage "stable.dat" found in /data/n1; manual migration required before using Pebble-backed storage',
      },
    });
    if (!result.ok) expect(raftGroupStartError(1, result.error).message).toMatch(/^failed to start raft group 1: legacy boltdb/);
  });
});
