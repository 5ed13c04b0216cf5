// Durable mode's actions, with in-process nodes: a leader is elected (§5.2) and commits (§5.3),
// and the storage view's inspection shows each node's durable HardState and last index.
import { describe, expect, it } from 'vitest';
import { appStore } from '../store/app-store';
import { inProcessEndpoint } from '../../worker/in-process';
import { inspectableDriver } from '../../worker/browser-worker-driver';
import type { InspectableDrivers } from './durable-app-run';
import { startDurableRun, stepDurable, stepDurableUntil } from './durable-actions';

const inProcess: InspectableDrivers = (made) => (init) => {
  const driver = inspectableDriver(inProcessEndpoint(init));
  made(driver);
  return driver;
};

describe('durable mode actions', () => {
  it('elects a leader that commits, and the storage view shows what the nodes made durable (§5.2, §5.3)', async () => {
    await startDurableRun({ seed: 3, nodeCount: 3, nemesis: [], runId: 'test' }, inProcess);
    expect(appStore.getState().durable?.inspectedAtEvent).toBe(0);
    expect(appStore.getState().durable?.resumedFromDisk).toBe(false);
    await stepDurable();
    expect(appStore.getState().eventCount).toBe(4);
    const reached = await stepDurableUntil(
      (nodes) => nodes.some((node) => node.role === 'leader' && node.commit >= 2),
      5_000,
    );
    expect(reached).toBe(true);
    const state = appStore.getState();
    expect(state.durable?.inspectedAtEvent).toBe(state.eventCount);
    const leader = state.nodes.find((node) => node.role === 'leader')!;
    expect(leader.log.length).toBeGreaterThan(0);
    for (const node of state.durable!.nodes) {
      const status = node.status!;
      expect(node.inspection?.hardState?.term).toBe(status.term);
      expect(node.inspection?.lastIndex).toBe(status.lastIndex);
      expect(node.inspection?.peers?.peers.map((peer) => peer.id)).toEqual(['1', '2', '3']);
    }
  });
});
