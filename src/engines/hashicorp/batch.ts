// The HashiCorp-style host's lockstep batch types: the shared batch interface (../host-types.ts)
// with hashicorp's RPC messages on the wire and hashicorp's admin calls. `addLearner` is accepted
// as AddNonvoter so a scheduler written for the etcd host can drive this one unchanged.
import type { NodeId } from '../../raft/types';
import type { BatchObservation } from '../etcd/batch';
import type { AdminRequest, EngineBatchEndpoint, EngineBatchResult, EngineNodeBatch, PeerSpec } from '../host-types';
import type { HashicorpHostSettings } from './settings';
import type { RpcMessage } from './types';

export type HashicorpAdminRequest =
  | AdminRequest
  | { kind: 'addNonvoter'; requestId: number; nodeId: NodeId; address: string; prevIndex: number }
  | { kind: 'demoteVoter'; requestId: number; nodeId: NodeId; prevIndex: number };

export interface HashicorpNodeInit {
  id: NodeId;
  /** The initial voters of a new cluster (BootstrapCluster); null for a node that joins one. */
  bootstrapPeers: PeerSpec[] | null;
  settings?: Partial<HashicorpHostSettings>;
  /** Report a BatchObservation with every result (the simulator's invariants need it). */
  observe?: boolean;
  /** Deliberate mistakes by name (bugs.ts); none by default. */
  bugs?: string[];
}

export type HashicorpNodeBatch = EngineNodeBatch<RpcMessage, HashicorpAdminRequest>;
export interface HashicorpBatchResult extends EngineBatchResult<RpcMessage> {
  /** Present when the node was initialised with `observe` (the etcd host's observation, same shape). */
  observation?: BatchObservation;
}
export type HashicorpBatchEndpoint = EngineBatchEndpoint<RpcMessage, HashicorpAdminRequest>;

export function emptyHashicorpBatch(fields: Partial<HashicorpNodeBatch> = {}): HashicorpNodeBatch {
  return { commands: [], messages: [], requests: [], admin: [], ticks: 0, ...fields };
}
