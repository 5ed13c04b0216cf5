// Durable mode's actions, with in-process nodes: a leader is elected (§5.2) and commits (§5.3),
// and the storage view's inspection shows each node's durable HardState and last index; the trace
// the shared panels draw is recorded; a rewind replays the run into a new branch of disks and
// shows the same nodes as before; a crash and a restart by hand are replayed by a rewind.
import { describe, expect, it } from 'vitest';
import { appStore } from '../store/app-store';
import { currentTrace, seek as seekThroughSource } from '../store/run-source';
import { inProcessEndpoint } from '../../worker/in-process';
import { inspectableDriver } from '../../worker/browser-worker-driver';
import type { DurableRunConfig } from './durable-app-run';
import type { DurableSessionHooks } from './durable-session';
import { inProcessHooks } from './in-process-hooks';
import { describeLastWrite } from './storage-view';
import {
  durableIdle,
  interveneDurable,
  seekDurable,
  startDurableRun,
  stepDurable,
  stepDurableUntil,
} from './durable-actions';

const nodeAttributes = () =>
  appStore
    .getState()
    .nodes.map(({ id, role, term, commit, lastIndex }) => ({ id, role, term, commit, lastIndex }));
const leaderOf = () => appStore.getState().nodes.find((node) => node.role === 'leader');

describe('durable mode actions', () => {
  it('elects a leader that commits, and the storage view shows what the nodes made durable (§5.2, §5.3)', async () => {
    await startDurableRun({ seed: 3, nodeCount: 3, nemesis: [], runId: 'test' }, inProcessHooks());
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
      // Between events nothing waits for an fsync: every Ready was synced before its batch returned.
      expect(node.inspection?.pending).toEqual([]);
      expect(node.lastWrite?.records.length).toBeGreaterThan(0);
    }
    const leaderWrite = describeLastWrite(state.durable!.nodes[leader.id - 1].lastWrite);
    expect(leaderWrite).toMatch(
      /^at \d+ ms, .*(entry|entries|HardState) .*fsynced before its messages were sent/,
    );
    // The trace the shared panels draw: one event per line, etcd's messages and log lines.
    const trace = currentTrace();
    expect(trace.eventCount).toBe(state.eventCount);
    expect(trace.events.slice(0, 3).map((event) => event.line)).toEqual([
      '0 boot 1',
      '0 boot 2',
      '0 boot 3',
    ]);
    expect(
      trace.flights.some((flight) => flight.message !== null && flight.type === 'MsgApp'),
    ).toBe(true);
    expect(trace.engineLog.some((line) => /became leader at term/.test(line.text))).toBe(true);
    expect(
      trace.roleChanges.some((change) => change.role === 'leader' && change.node === leader.id),
    ).toBe(true);
    expect(state.violation).toBeNull();
  });

  it('rewinds: replays into a new branch of disks and shows the same nodes at the same event', async () => {
    const retired: DurableRunConfig[] = [];
    await startDurableRun(
      { seed: 5, nodeCount: 3, nemesis: 'seed', runId: 'rewind' },
      inProcessHooks(retired),
    );
    await stepDurable(600);
    const atK = appStore.getState().eventCount;
    const before = nodeAttributes();
    await stepDurable(900);
    expect(appStore.getState().eventCount).toBeGreaterThan(atK);
    await seekDurable(atK);
    expect(appStore.getState().eventCount).toBe(atK);
    expect(nodeAttributes()).toEqual(before);
    expect(appStore.getState().durable?.branch).toBe(1);
    expect(retired.map((config) => config.branch)).toEqual([0]);
    expect(appStore.getState().durable?.inspectedAtEvent).toBe(atK);
    // The trace still knows what lies ahead, and a seek through the panels' source goes there.
    expect(appStore.getState().knownEventCount).toBeGreaterThan(atK);
    seekThroughSource(atK + 900);
    await durableIdle();
    expect(appStore.getState().eventCount).toBe(atK + 900);
    // A dragged scrubber: the seeks still queued take the newest target, one replay in all.
    const seeks = [atK + 800, atK + 700, atK].map((target) => seekDurable(target));
    await Promise.all(seeks);
    expect(appStore.getState().eventCount).toBe(atK);
    expect(nodeAttributes()).toEqual(before);
    expect(retired.map((config) => config.branch)).toEqual([0, 1]);
  });

  it('replays a crash and a restart by hand after a rewind: re-election (§5.2) and catch-up (§5.3)', async () => {
    await startDurableRun({ seed: 7, nodeCount: 3, nemesis: [], runId: 'crash' }, inProcessHooks());
    expect(
      await stepDurableUntil(
        (nodes) => nodes.some((node) => node.role === 'leader' && node.commit >= 3),
        5_000,
      ),
    ).toBe(true);
    const first = leaderOf()!;
    const crashedAt = appStore.getState().eventCount;
    expect(await interveneDurable({ kind: 'crash', node: first.id })).toMatch(
      new RegExp(` inject crash ${first.id} now`),
    );
    expect(appStore.getState().nodes[first.id - 1].role).toBe('down');
    expect(currentTrace().faults.at(-1)).toMatchObject({
      kind: 'crash',
      node: first.id,
      injected: true,
      eventCount: crashedAt,
    });
    const reelected = await stepDurableUntil(
      (nodes) => nodes.some((node) => node.role === 'leader' && node.term > first.term),
      5_000,
    );
    expect(reelected).toBe(true);
    await stepDurable(200);
    await interveneDurable({ kind: 'restart', node: first.id });
    const caughtUp = await stepDurableUntil((nodes) => {
      const leader = nodes.find((node) => node.role === 'leader');
      return (
        leader !== undefined &&
        nodes[first.id - 1].commit === leader.commit &&
        leader.commit > first.commit
      );
    }, 5_000);
    expect(caughtUp).toBe(true);
    const end = appStore.getState().eventCount;
    const atEnd = nodeAttributes();
    expect(appStore.getState().interventionCount).toBe(2);
    // Back before the crash, and forward again: the same crash, election and catch-up.
    await seekDurable(crashedAt - 10);
    expect(appStore.getState().nodes[first.id - 1].role).toBe(first.role);
    await seekDurable(end);
    expect(nodeAttributes()).toEqual(atEnd);
    expect(appStore.getState().violation).toBeNull();
  });

  it('a replay that diverges leaves the run where it was: its branch, disks and position', async () => {
    const retired: DurableRunConfig[] = [];
    const normal = inProcessHooks(retired);
    // Branch 1's nodes tick 5 times more from their 50th batch on: the replay cannot match.
    const hooks: DurableSessionHooks = {
      ...normal,
      drivers: (config) => (made) => (init) => {
        const inner = inspectableDriver(inProcessEndpoint(init));
        let batches = 0;
        const driver =
          (config.branch ?? 0) === 0
            ? inner
            : {
                ...inner,
                handleBatch: (batch: Parameters<typeof inner.handleBatch>[0]) =>
                  inner.handleBatch(++batches >= 50 ? { ...batch, ticks: batch.ticks + 5 } : batch),
              };
        made(driver);
        return driver;
      },
    };
    await startDurableRun({ seed: 9, nodeCount: 3, nemesis: [], runId: 'diverge' }, hooks);
    await stepDurable(400);
    const before = nodeAttributes();
    const at = appStore.getState().eventCount;
    await expect(seekDurable(300)).rejects.toThrow(/replay diverged at event \d+/);
    expect(appStore.getState().durable?.error).toMatch(/replay diverged/);
    expect(appStore.getState().eventCount).toBe(at);
    expect(appStore.getState().durable?.branch).toBe(0);
    expect(nodeAttributes()).toEqual(before);
    expect(retired.map((config) => config.branch)).toEqual([1]);
    // The run goes on from where it stood.
    await stepDurable(10);
    expect(appStore.getState().eventCount).toBe(at + 10);
  });

  it('isolating the leader elects another on the majority side (§5.2); healed, the old leader follows it (§5.3)', async () => {
    await startDurableRun(
      { seed: 4, nodeCount: 3, nemesis: [], runId: 'isolate' },
      inProcessHooks(),
    );
    expect(
      await stepDurableUntil(
        (nodes) => nodes.some((node) => node.role === 'leader' && node.commit >= 2),
        5_000,
      ),
    ).toBe(true);
    const first = leaderOf()!;
    expect(
      await interveneDurable({ kind: 'partition', shape: { kind: 'isolate', node: first.id } }),
    ).toMatch(/ inject partition /);
    const other = (nodes: ReturnType<typeof nodeAttributes>) =>
      nodes.find((node) => node.role === 'leader' && node.id !== first.id);
    expect(await stepDurableUntil((nodes) => other(nodes) !== undefined, 5_000)).toBe(true);
    const second = other(nodeAttributes())!;
    expect(second.term).toBeGreaterThan(first.term);
    expect(await interveneDurable({ kind: 'heal' })).toMatch(/ inject heal$/);
    const rejoined = await stepDurableUntil((nodes) => {
      const old = nodes.find((node) => node.id === first.id)!;
      return old.role === 'follower' && old.term >= second.term && old.commit >= second.commit;
    }, 5_000);
    expect(rejoined).toBe(true);
    // Trigger an election at a follower: its pre-vote is refused while the leader is heard.
    const follower = nodeAttributes().find((node) => node.role === 'follower')!;
    expect(await interveneDurable({ kind: 'campaign', node: follower.id })).toMatch(
      new RegExp(` inject campaign ${follower.id} \\| MsgPreVote`),
    );
    expect(
      currentTrace()
        .faults.filter((fault) => fault.injected)
        .map((fault) => fault.kind),
    ).toEqual(['partition', 'heal', 'campaign']);
    expect(appStore.getState().violation).toBeNull();
  });
});
