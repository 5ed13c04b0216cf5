// The HashiCorp-style host's BatchObservation (what a simulator's invariants see): the boot, the
// entries a batch made durable and applied with the term before them, the stable store's term and
// vote, and the log's term runs, over stored entries and a snapshot; and a crash between a
// suffix's deletion and its replacement reports the shorter durable log.
import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../storage/fs/memory-backend';
import { emptyHashicorpBatch } from './batch';
import { HashicorpNodeHost } from './node-host';
import { hashicorpObservation, hashicorpTermRuns, logTermOrZero, newHashicorpObservationSink, observeLogEntry, observeWritten } from './observation';
import { RaftLog } from './raft-log';
import { LogType, type LogEntry } from './types';

const raft = { heartbeatTimeoutMs: 100, electionTimeoutMs: 100, commitTimeoutMs: 10, leaderLeaseTimeoutMs: 50, rpcTimeoutMs: 100 };

function entry(index: number, term: number): LogEntry {
  return { index, term, type: LogType.Command, data: new Uint8Array([index]) };
}

describe('hashicorp host observation', () => {
  it('reports the boot, the appended and applied entries, the durable term and vote, and the term runs', async () => {
    const host = new HashicorpNodeHost({ id: 1, bootstrapPeers: [{ nodeId: 1, address: 'node-1:7000' }], settings: { raft }, observe: true }, new MemoryBackend());
    const boot = await host.handleBatch(emptyHashicorpBatch({ commands: [{ kind: 'restart', seed: 7 }] }));
    // BootstrapCluster wrote the configuration as entry 1 of term 1 before the engine started.
    expect(boot.observation).toEqual({
      restarted: true,
      appended: [],
      appendedPrevTerm: 0,
      applied: [],
      durable: { term: 1, vote: 0, commit: 0, lastIndex: 1 },
      termRuns: [
        [0, 0],
        [1, 1],
      ],
    });
    // A one-voter cluster elects itself and appends its no-op at index 2.
    const elected = await host.handleBatch(emptyHashicorpBatch({ ticks: 30 }));
    const observation = elected.observation!;
    expect(elected.status.role).toBe('StateLeader');
    expect(observation.restarted).toBe(false);
    expect(observation.appended.map((e) => [e.index, e.term])).toEqual([[2, 2]]);
    expect(observation.appendedPrevTerm).toBe(1);
    expect(observation.applied.map((e) => e.index)).toEqual([1, 2]);
    expect(observation.durable).toEqual({ term: 2, vote: 1, commit: 0, lastIndex: 2 });
    expect(observation.termRuns).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
    const stored = host.current!.raft.log.get(2)!;
    expect(observation.appended[0]).toEqual(observeLogEntry(stored));
    const down = await host.handleBatch(emptyHashicorpBatch({ commands: [{ kind: 'crash' }] }));
    expect(down.observation).toMatchObject({ restarted: false, durable: null, termRuns: [] });
  });

  it('reports no observation unless asked', async () => {
    const host = new HashicorpNodeHost({ id: 1, bootstrapPeers: [{ nodeId: 1, address: 'node-1:7000' }], settings: { raft } }, new MemoryBackend());
    const boot = await host.handleBatch(emptyHashicorpBatch({ commands: [{ kind: 'restart', seed: 7 }] }));
    expect(boot.observation).toBeUndefined();
  });

  it('reports what the completed writes left when a crash stops the batch between them', () => {
    const sink = newHashicorpObservationSink();
    sink.durable = { term: 36, vote: 0, lastStored: 19, snapshotIndex: 0 };
    observeWritten(sink, { kind: 'stable', state: { currentTerm: 37, lastVoteTerm: 37, lastVoteCand: 2 } });
    // A conflicting suffix from 19 deleted; the crash hits the append that would replace it.
    observeWritten(sink, { kind: 'deleteLogsFrom', index: 19 });
    expect(hashicorpObservation(null, sink, false).durable).toEqual({ term: 37, vote: 2, commit: 0, lastIndex: 18 });
    observeWritten(sink, { kind: 'appendLogs', entries: [entry(19, 37), entry(20, 37)] });
    expect(hashicorpObservation(null, sink, false)).toMatchObject({ durable: { lastIndex: 20 }, appended: [{ index: 19 }, { index: 20 }] });
    // A deletion under way when the crash came may have reached the disk: the shorter log counts.
    const cut = newHashicorpObservationSink();
    cut.durable = { term: 37, vote: 2, lastStored: 43, snapshotIndex: 0 };
    cut.inFlight = { kind: 'deleteLogsFrom', index: 39 };
    expect(hashicorpObservation(null, cut, false).durable).toMatchObject({ lastIndex: 38 });
    // Nothing written: the durable state is unknown to the batch and left as it was.
    expect(hashicorpObservation(null, newHashicorpObservationSink(), false).durable).toBeNull();
  });

  it('lists term runs over stored entries and a snapshot that may lie past them', () => {
    const log = RaftLog.from([entry(4, 1), entry(5, 1), entry(6, 3), entry(7, 3), entry(8, 4)], { index: 5, term: 1 });
    expect(hashicorpTermRuns(log)).toEqual([
      [3, 0],
      [4, 1],
      [6, 3],
      [8, 4],
    ]);
    expect(logTermOrZero(log, 5)).toBe(1);
    const compacted = RaftLog.from([], { index: 20, term: 6 });
    expect(hashicorpTermRuns(compacted)).toEqual([[20, 6]]);
    const behind = RaftLog.from([entry(4, 2), entry(5, 2)], { index: 9, term: 5 });
    expect(hashicorpTermRuns(behind)).toEqual([
      [3, 0],
      [4, 2],
      [9, 5],
    ]);
  });
});
