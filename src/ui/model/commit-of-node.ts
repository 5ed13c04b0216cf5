// A simulated node's commit index, cheap enough to read after every event: the engine's when the
// node is up, the durable HardState's when it is down (what it will restart from).
import type { KvNode } from '../../sim/process/kv-node';

export function commitOfNode(node: KvNode): number {
  return node.up ? node.raw.raft.raftLog.committed : node.storage.hardState.commit;
}
