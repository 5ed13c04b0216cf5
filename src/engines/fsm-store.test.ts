// fsm.db: the codec checks itself, and a hashicorp node's graceful stop leaves its state there.
import { describe, expect, it } from 'vitest';
import { decodeFsmState, encodeFsmState, loadFsmStore } from './fsm-store';
import { KvStateMachine } from './kv-state-machine';
import { hashicorpClusterWithData } from './migration/scenario';

describe('fsm.db', () => {
  it('round-trips, and any flipped byte is refused', () => {
    const fsm = new KvStateMachine();
    fsm.apply({ op: 'put', key: 'k', value: 'v' });
    const bytes = encodeFsmState({ appliedIndex: 5, appliedTerm: 2, data: fsm.serialize() });
    expect(decodeFsmState(bytes)).toEqual({ ok: true, value: { appliedIndex: 5, appliedTerm: 2, data: fsm.serialize() } });
    for (let i = 0; i < bytes.length; i++) {
      const damaged = bytes.slice();
      damaged[i] ^= 0x10;
      expect(decodeFsmState(damaged).ok, `byte ${i}`).toBe(false);
    }
  });

  it('a hashicorp node stopped gracefully holds every applied write in fsm.db', async () => {
    const nodes = [{ id: 'a', host: 'ha' }, { id: 'b', host: 'hb' }, { id: 'c', host: 'hc' }];
    const { cluster, written } = await hashicorpClusterWithData({ nodes, seed: 3, keys: 4 });
    expect((await cluster.quiesce()).ok).toBe(true);
    const applied = cluster.statusOf('a')!.applied;
    for (const node of nodes) await cluster.stop(node.id);
    for (const node of nodes) {
      const loaded = await loadFsmStore(cluster.disk(node.id), 'fsm.db');
      if (!loaded.ok) throw new Error(loaded.error.message);
      expect(loaded.value.appliedIndex).toBe(applied);
      const fsm = new KvStateMachine();
      fsm.restore(loaded.value.data);
      expect(fsm.entries()).toEqual(written);
    }
    expect(await loadFsmStore(cluster.disk('a'), 'missing')).toMatchObject({ ok: false, error: { kind: 'missing' } });
  });
});
