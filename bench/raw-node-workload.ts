// The workload of etcd's BenchmarkRawNode: one RawNode (id 1) whose peers answer instantly.
// Each round proposes "foo" and drives Ready until the proposal is applied; every MsgVote is
// answered with a granted MsgVoteResp and every MsgApp with a MsgAppResp for its last index.
import { noLimit } from '../src/raft/config';
import { MemoryStorage } from '../src/raft/log/log-storage';
import { discardLogger } from '../src/raft/logger';
import { RawNode } from '../src/raft/rawnode';
import { MessageType, makeMessage, type LogIndex, type NodeId } from '../src/raft/types';

export interface RawNodeWorkload {
  /** Proposes "foo" and stabilizes; returns the index applied last. */
  proposeAndStabilize(): LogIndex;
  readonly storage: MemoryStorage;
  readonly readyCount: number;
}

const foo = new Uint8Array([0x66, 0x6f, 0x6f]);
/** Ready rounds per stabilize before the workload is declared stuck. */
const readyRoundsMax = 1_000;

export function createRawNodeWorkload(peers: NodeId[]): RawNodeWorkload {
  const storage = new MemoryStorage();
  // etcd's withPeers: the voters live in the (empty, index 0) snapshot's ConfState.
  storage.snapshotState.metadata.confState.voters = [...peers];
  // etcd's newTestConfig(1, 10, 1, s): unlimited message size, 256 messages in flight.
  const rawNode = new RawNode({
    id: 1,
    electionTick: 10,
    heartbeatTick: 1,
    storage,
    maxSizePerMsg: noLimit,
    maxInflightMsgs: 256,
    logger: discardLogger,
  });
  let readyCount = 0;

  const stabilize = (): LogIndex => {
    let applied = 0;
    for (let round = 0; rawNode.hasReady(); round++) {
      if (round >= readyRoundsMax)
        throw new Error(`still not stable after ${readyRoundsMax} Ready rounds`);
      readyCount++;
      const ready = rawNode.ready();
      const committed = ready.committedEntries;
      if (committed.length > 0) applied = committed[committed.length - 1].index;
      storage.append(ready.entries);
      for (const message of ready.messages) {
        if (message.type === MessageType.MsgVote) {
          rawNode.step(
            makeMessage({
              type: MessageType.MsgVoteResp,
              to: message.from,
              from: message.to,
              term: message.term,
            }),
          );
        }
        if (message.type === MessageType.MsgApp) {
          const entries = message.entries;
          const index = entries.length > 0 ? entries[entries.length - 1].index : message.index;
          rawNode.step(
            makeMessage({
              type: MessageType.MsgAppResp,
              to: message.from,
              from: message.to,
              term: message.term,
              index,
            }),
          );
        }
      }
      rawNode.advance(ready);
    }
    return applied;
  };

  rawNode.campaign();
  stabilize();
  return {
    storage,
    get readyCount() {
      return readyCount;
    },
    proposeAndStabilize(): LogIndex {
      rawNode.propose(foo);
      return stabilize();
    },
  };
}
