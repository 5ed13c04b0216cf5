// The migrator's refusals and output (ELASTICKV.md: etcd-raft-migrate).
import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../storage/fs/memory-backend';
import { deriveNodeId } from '../../storage/peers/node-id';
import { loadPeersFile } from '../../storage/peers/peers-store';
import { EtcdStorage } from '../../storage/etcd-storage';
import { saveFsmStore } from '../fsm-store';
import { KvStateMachine } from '../kv-state-machine';
import { migratedRaftIds, parseNodes, parsePeers } from './arguments';
import { migrate } from './migrator';

const peers = 'n1=host1:7000,n2=host2:7000,n3=host3:7000';

async function diskWithFsm(): Promise<{ disk: MemoryBackend; data: Uint8Array }> {
  const disk = new MemoryBackend();
  const fsm = new KvStateMachine();
  fsm.apply({ op: 'put', key: 'a', value: '1' });
  fsm.apply({ op: 'put', key: 'b', value: '2' });
  const data = fsm.serialize();
  await saveFsmStore(disk, 'fsm.db', { appliedIndex: 9, appliedTerm: 3, data }, 1);
  return { disk, data };
}

describe('migrator', () => {
  it('writes WAL + snap at index 1 term 1, the peers file at index 1, renames into dest, and prints the line', async () => {
    const { disk, data } = await diskWithFsm();
    const result = await migrate(disk, { fsmStore: 'fsm.db', dest: 'out', peers });
    expect(result).toEqual({ ok: true, value: { snapshotBytes: data.length, peers: 3, line: `migrated snapshot_bytes=${data.length} peers=3` } });
    expect(await disk.exists('out.migrating')).toBe(false);
    expect((await disk.list('out')).sort()).toEqual(['etcd-raft-peers.bin', 'snap', 'wal']);
    const persisted = await loadPeersFile(disk, 'out');
    expect(persisted.ok && persisted.value?.index).toBe(1n);
    const nodeIds = persisted.ok ? persisted.value!.peers.map((peer) => peer.nodeId) : [];
    expect(nodeIds).toEqual(['n1', 'n2', 'n3'].map(deriveNodeId).sort((a, b) => (a < b ? -1 : 1)));
    const opened = await EtcdStorage.open(disk, { dataDir: 'out' });
    if (!opened.ok) throw opened.error;
    const snapshot = opened.value.storage.snapshot();
    expect(snapshot.metadata.index).toBe(1);
    expect(snapshot.metadata.term).toBe(1);
    expect(snapshot.metadata.confState.voters).toEqual([1, 2, 3]);
    expect(snapshot.data).toEqual(data);
    expect(opened.value.hardState).toEqual({ term: 1, vote: 0, commit: 1 });
  });

  it('names the voters 1..M in the peers file order (NodeID order)', () => {
    const parsed = parsePeers(peers);
    if (!parsed.ok) throw new Error(parsed.error);
    const ids = migratedRaftIds(parsed.value);
    parsed.value.forEach((peer, position) => expect(ids.get(peer.id)).toBe(position + 1));
  });

  it.each([
    [{ dest: 'out', peers }, '--fsm-store is required'],
    [{ fsmStore: 'fsm.db', peers }, '--dest is required'],
    [{ fsmStore: 'fsm.db', dest: 'out' }, '--peers is required'],
    [{ fsmStore: 'fsm.db', dest: 'out', peers: 'n1' }, '--peers: invalid peer entry "n1": missing "=" (want id=host:port)'],
    [{ fsmStore: 'fsm.db', dest: 'out', peers: 'n1=host1' }, '--peers: invalid peer entry "n1=host1": address must be host:port'],
    [{ fsmStore: 'fsm.db', dest: 'out', peers: '=h:1' }, '--peers: invalid peer entry "=h:1": empty id'],
    [{ fsmStore: 'fsm.db', dest: 'out', peers: 'a=h:1,a=h:2' }, '--peers: duplicate peer id "a"'],
    [{ fsmStore: 'nope', dest: 'out', peers }, 'fsm store nope does not exist'],
  ])('refuses %j', async (options, message) => {
    const { disk } = await diskWithFsm();
    expect(await migrate(disk, options)).toEqual({ ok: false, error: message });
    expect(await disk.exists('out')).toBe(false);
  });

  it('refuses when dest or dest.migrating exists, and leaves them alone', async () => {
    const { disk } = await diskWithFsm();
    await disk.mkdir('out');
    expect(await migrate(disk, { fsmStore: 'fsm.db', dest: 'out', peers })).toEqual({ ok: false, error: 'destination out already exists; refusing to overwrite it' });
    await disk.mkdir('other.migrating');
    const refused = await migrate(disk, { fsmStore: 'fsm.db', dest: 'other', peers });
    expect(refused).toEqual({ ok: false, error: 'other.migrating already exists (an interrupted migration?); inspect it and remove it, then retry' });
    expect(await disk.list('other.migrating')).toEqual([]);
  });

  it('refuses a corrupt fsm.db', async () => {
    const { disk } = await diskWithFsm();
    const bytes = await disk.readFile('fsm.db/state.bin');
    bytes[bytes.length - 6] ^= 1;
    await disk.writeFile('fsm.db/state.bin', bytes);
    const result = await migrate(disk, { fsmStore: 'fsm.db', dest: 'out', peers });
    expect(result.ok ? '' : result.error).toMatch(/^fsm store fsm.db: .*checksum/);
  });

  it('parses NODES: missing "=", empty fields and duplicate ids are errors', () => {
    expect(parseNodes('a=h1,b=h2')).toEqual({ ok: true, value: [{ id: 'a', host: 'h1' }, { id: 'b', host: 'h2' }] });
    expect(parseNodes('a')).toEqual({ ok: false, error: 'invalid node entry "a": missing "=" (want id=host)' });
    expect(parseNodes('a=')).toEqual({ ok: false, error: 'invalid node entry "a=": empty host' });
    expect(parseNodes('=h')).toEqual({ ok: false, error: 'invalid node entry "=h": empty id' });
    expect(parseNodes('a=h,a=g')).toEqual({ ok: false, error: 'duplicate node id "a"' });
    expect(parseNodes('')).toEqual({ ok: false, error: 'node list is empty' });
  });
});
