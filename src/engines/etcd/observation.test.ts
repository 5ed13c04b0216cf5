// The etcd host's BatchObservation across a crash that cuts a save short: a follower whose log a
// new leader's entry truncates, killed at every write point of that save with every number of
// unsynced bytes kept, never boots below the durable state it reported (the simulator's
// durable-state-monotonic invariant reads these reports).
import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../storage/fs/memory-backend';
import { makeEntry, makeMessage, MessageType, type Message } from '../../raft/types';
import type { BatchResult, NodeBatch, NodeCommand } from './batch';
import { EtcdNodeHost } from './node-host';
import type { DurableState } from './observation';
import { initFor } from './test-support';

function batch(commands: NodeCommand[], messages: Message[] = []): NodeBatch {
  return { commands, messages, requests: [], admin: [], ticks: 0 };
}

/** A leader's append at `term`: entries (prevIndex, last] of that term after (prevIndex, prevTerm). */
function append(from: number, term: number, prevIndex: number, prevTerm: number, last: number): Message {
  const entries = [];
  for (let index = prevIndex + 1; index <= last; index++) entries.push(makeEntry({ index, term }));
  return makeMessage({ type: MessageType.MsgApp, from, to: 1, term, logTerm: prevTerm, index: prevIndex, entries, commit: 1 });
}

/** What the simulator keeps of a batch (src/sim/durable/durable-node.ts): the report, else the records folded. */
function fold(known: DurableState, result: BatchResult): DurableState {
  const reported = result.observation!.durable;
  if (reported !== null) return { ...reported };
  const next = { ...known };
  for (const record of result.persisted) {
    if (record.hardState !== null) Object.assign(next, record.hardState);
    if (record.snapshot !== null) next.lastIndex = record.snapshot.index;
    if (record.entries !== null) next.lastIndex = record.entries.last;
  }
  return next;
}

/** Returns the durable state reported before the restart and the one booted, or null when the save completed. */
async function cutTruncatingSave(point: number, keptBytes: number): Promise<{ reported: DurableState; booted: DurableState } | null> {
  const host = new EtcdNodeHost({ ...initFor(1, [1, 2, 3]), observe: true }, new MemoryBackend());
  let known = fold({ term: 0, vote: 0, commit: 0, lastIndex: 0 }, await host.handleBatch(batch([{ kind: 'restart', seed: 5 }])));
  // Leader 2 of term 2 appends 2..4; then leader 3 of term 3 replaces them with its entry 2.
  known = fold(known, await host.handleBatch(batch([], [append(2, 2, 1, 1, 4)])));
  expect(known.lastIndex).toBe(4);
  const armCrash: NodeCommand = { kind: 'armCrash', afterOperations: point, tornBytes: keptBytes, keepPendingBytes: keptBytes };
  const cut = await host.handleBatch(batch([armCrash], [append(3, 3, 1, 1, 2)]));
  if (cut.status.role !== 'down') return null;
  known = fold(known, cut);
  const booted = (await host.handleBatch(batch([{ kind: 'restart', seed: 6 }]))).observation!.durable!;
  return { reported: known, booted };
}

describe('etcd host observation across a crash that cuts a save short', () => {
  it('reports a durable state the next boot never goes below, whatever part of the save landed', async () => {
    let truncatedOnDisk = 0;
    for (let point = 0; ; point++) {
      let reached = false;
      for (let keptBytes = 0; keptBytes <= 120; keptBytes += 4) {
        const outcome = await cutTruncatingSave(point, keptBytes);
        if (outcome === null) continue;
        reached = true;
        const { reported, booted } = outcome;
        const context = `crash at write point ${point}, ${keptBytes} unsynced bytes kept`;
        expect(booted.lastIndex, context).toBeGreaterThanOrEqual(reported.lastIndex);
        expect(booted.term, context).toBeGreaterThanOrEqual(reported.term);
        expect(booted.commit, context).toBeGreaterThanOrEqual(reported.commit);
        if (booted.lastIndex < 4) truncatedOnDisk++;
      }
      if (!reached) break;
    }
    // The scenario the report must cover: the new entry reached the disk, the save never completed.
    expect(truncatedOnDisk).toBeGreaterThan(0);
  });
});
