// Durable mode on the HashiCorp-style engine, with in-process nodes behind the worker protocol:
// the same session, trace, storage view and interventions as etcd's. A leader is elected (§5.2)
// and commits (§5.3); the storage view reads raft.db/ (the stable store's term and vote, the log
// store's records); the trace carries hashicorp's RPCs; a crash of the leader by hand elects
// another and a rewind replays it; the run's transcript hash is the one `raftlab run --engine
// hashicorp` computes for the same options.
import { describe, expect, it } from 'vitest';
import { runDurableSimulation } from '../../sim/durable/durable-run';
import { appStore } from '../store/app-store';
import { currentTrace } from '../store/run-source';
import { etcdLogRows } from '../views/etcd-log-rows';
import { diskName, type DurableRunConfig } from './durable-app-run';
import { describeLastWrite } from './storage-view';
import { durableEngineUi } from './durable-engine';
import { inProcessHooks } from './in-process-hooks';
import * as durable from './durable-actions';

const hooks = inProcessHooks();

const nodeAttributes = () =>
  appStore
    .getState()
    .nodes.map(({ id, role, term, commit, lastIndex }) => ({ id, role, term, commit, lastIndex }));

describe('durable mode on the HashiCorp-style engine', () => {
  it('elects a leader that commits; the storage view reads raft.db (§5.2, §5.3)', async () => {
    const config: DurableRunConfig = {
      seed: 3,
      nodeCount: 3,
      nemesis: [],
      runId: 'hc',
      engine: 'hashicorp',
    };
    expect(diskName(config, 2)).toBe('hc-hashicorp-seed3-node2');
    await durable.startDurableRun(config, hooks);
    expect(appStore.getState().durable?.engine).toBe('hashicorp');
    const reached = await durable.stepDurableUntil(
      (nodes) => nodes.some((node) => node.role === 'leader' && node.commit >= 3),
      5_000,
    );
    expect(reached).toBe(true);
    const state = appStore.getState();
    for (const node of state.durable!.nodes) {
      const stores = node.inspection!.hashicorp!;
      expect(stores.stable?.currentTerm).toBe(node.status!.term);
      expect(node.inspection!.lastIndex).toBe(node.status!.lastIndex);
      expect(node.inspection!.marker).toBe('hashicorp');
      expect(
        stores.logRecords.some((record) => / command r\d+ (put|cas|delete|get) /.test(record.text)),
      ).toBe(true);
      expect(node.inspection!.pending).toEqual([]);
    }
    const leader = state.nodes.find((node) => node.role === 'leader')!;
    expect(leader.log.at(-1)?.text).toBe('entry (payload in the log store records)');
    const write = describeLastWrite(
      state.durable!.nodes[leader.id - 1].lastWrite,
      durableEngineUi('hashicorp'),
    );
    expect(write).toMatch(/^at \d+ ms, .*(entry|entries|stable store) .* store writes?, each/);
    const trace = currentTrace();
    expect(trace.flights.some((flight) => flight.type === 'AppendEntriesRequest')).toBe(true);
    expect(trace.flights.some((flight) => flight.type === 'RequestVoteRequest')).toBe(true);
    expect(trace.events.some((event) => event.kind === 'deliver')).toBe(true);
    // The event log's engine source lists the RPCs in hashicorp's own text beside its log lines.
    const rows = etcdLogRows(trace, {
      eventCount: trace.eventCount,
      nodeId: null,
      type: 'all',
      rowsMax: 500,
    });
    expect(
      rows.some((row) => /^\d->\d #\d+ AppendEntriesRequest term=\d+ prev=/.test(row.text)),
    ).toBe(true);
    expect(rows.some((row) => row.type === 'log' && /entering leader state/.test(row.text))).toBe(
      true,
    );
    expect(state.violation).toBeNull();
  });

  it('a leader crashed by hand: another is elected, and a rewind replays the crash', async () => {
    await durable.startDurableRun(
      { seed: 7, nodeCount: 3, nemesis: [], runId: 'hccrash', engine: 'hashicorp' },
      hooks,
    );
    expect(
      await durable.stepDurableUntil(
        (nodes) => nodes.some((node) => node.role === 'leader' && node.commit >= 3),
        5_000,
      ),
    ).toBe(true);
    const first = appStore.getState().nodes.find((node) => node.role === 'leader')!;
    const crashedAt = appStore.getState().eventCount;
    await durable.interveneDurable({ kind: 'crash', node: first.id });
    expect(appStore.getState().nodes[first.id - 1].role).toBe('down');
    expect(
      await durable.stepDurableUntil(
        (nodes) => nodes.some((node) => node.role === 'leader' && node.term > first.term),
        5_000,
      ),
    ).toBe(true);
    await durable.stepDurable(100);
    const end = appStore.getState().eventCount;
    const atEnd = nodeAttributes();
    await durable.seekDurable(crashedAt - 10);
    expect(appStore.getState().nodes[first.id - 1].role).toBe('leader');
    expect(appStore.getState().durable?.branch).toBe(1);
    await durable.seekDurable(end);
    expect(nodeAttributes()).toEqual(atEnd);
    expect(appStore.getState().violation).toBeNull();
  });

  it('isolate, heal and trigger an election from the menu: hashicorp campaigns without pre-vote', async () => {
    await durable.startDurableRun(
      { seed: 4, nodeCount: 3, nemesis: [], runId: 'hcmenu', engine: 'hashicorp' },
      hooks,
    );
    const led = (nodes: ReturnType<typeof nodeAttributes>) =>
      nodes.find((node) => node.role === 'leader' && node.commit >= 2);
    expect(await durable.stepDurableUntil((nodes) => led(nodes) !== undefined, 5_000)).toBe(true);
    const first = led(nodeAttributes())!;
    await durable.interveneDurable({
      kind: 'partition',
      shape: { kind: 'isolate', node: first.id },
    });
    // Its lease runs out: it steps down with nobody telling it so.
    expect(
      await durable.stepDurableUntil((nodes) => nodes[first.id - 1].role !== 'leader', 5_000),
    ).toBe(true);
    expect(await durable.interveneDurable({ kind: 'heal' })).toMatch(/ inject heal$/);
    expect(await durable.stepDurableUntil((nodes) => led(nodes) !== undefined, 5_000)).toBe(true);
    const follower = nodeAttributes().find((node) => node.role === 'follower')!;
    const term = follower.term;
    expect(await durable.interveneDurable({ kind: 'campaign', node: follower.id })).toMatch(
      new RegExp(
        ` inject campaign ${follower.id} \\| ${follower.id}->\\d #\\d+ RequestVoteRequest term=${term + 1} `,
      ),
    );
    expect(
      currentTrace()
        .faults.filter((fault) => fault.injected)
        .map((fault) => fault.kind),
    ).toEqual(['partition', 'heal', 'campaign']);
    expect(appStore.getState().violation).toBeNull();
  });

  it('run to its end: the transcript hash `raftlab run --engine hashicorp` prints', async () => {
    const options = { seed: 4, nodeCount: 3, timeMs: 1_500 };
    await durable.startDurableRun(
      { ...options, nemesis: ['crash', 'partition'], runId: 'hchash', engine: 'hashicorp' },
      hooks,
    );
    await durable.stepDurable(1_000_000);
    const state = appStore.getState();
    expect(state.done).toBe(true);
    const cli = await runDurableSimulation({
      ...options,
      nemesis: ['crash', 'partition'],
      diskFaults: [],
      engine: 'hashicorp',
    });
    expect(state.durable?.transcriptHash).toBe(cli.simulation.transcriptHash);
    expect(state.eventCount).toBe(cli.simulation.eventCount);
  });
});
