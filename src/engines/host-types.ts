// The lockstep batch interface both engine hosts share. The engine-neutral types are defined with
// the etcd host (src/engines/etcd/batch.ts, where they were born) and re-exported here under
// neutral names; what differs per engine is the message type on the wire and the admin calls, so
// the batch and its result are generic over them. A scheduler that moves messages without
// reading them (the lockstep cluster, the simulator's network) can drive either engine.
import type { NodeId } from '../raft/types';
import type { ClientRequest, LogLine, NodeCommand, NodeStatus, AppliedRecord, PersistedRecord, RequestResponse } from './etcd/batch';

export type {
  AdminRequest,
  AppliedRecord,
  ClientRequest,
  HostErrorCode,
  LogLine,
  NodeCommand,
  NodeStatus,
  PeerSpec,
  PeerStatus,
  PersistedRecord,
  RequestResponse,
  RequestResult,
} from './etcd/batch';

/** What every engine's wire message carries for routing. */
export interface RoutedMessage {
  from: NodeId;
  to: NodeId;
}

export interface EngineNodeBatch<TMessage extends RoutedMessage, TAdmin> {
  commands: NodeCommand[];
  messages: TMessage[];
  requests: ClientRequest[];
  admin: TAdmin[];
  ticks: number;
}

export interface EngineBatchResult<TMessage extends RoutedMessage> {
  messages: TMessage[];
  persisted: PersistedRecord[];
  applied: AppliedRecord[];
  responses: RequestResponse[];
  logLines: LogLine[];
  status: NodeStatus;
}

export interface EngineBatchEndpoint<TMessage extends RoutedMessage, TAdmin> {
  handleBatch(batch: EngineNodeBatch<TMessage, TAdmin>): Promise<EngineBatchResult<TMessage>>;
}
