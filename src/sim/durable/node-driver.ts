// How the simulator talks to a durable node: one lockstep batch at a time. The simulator sends a
// node a batch (crash and restart travel inside it as commands, so they happen at their place in
// the scheduler's order) and waits for the answer before it sends anything else to any node.
// Whoever runs the simulator chooses the driver: in-process here, or one worker_thread per node
// from src/worker, which sits above the simulator and injects its driver through this interface.
// The wire message is the engine's (etcd's Message by default, hashicorp's RPCs for that engine);
// the simulator moves messages without reading them beyond their routing and description.
import type { AdminRequest, BatchObservation, NodeInit } from '../../engines/etcd/batch';
import type { EngineBatchResult, EngineNodeBatch, RoutedMessage } from '../../engines/host-types';
import type { RpcMessage } from '../../engines/hashicorp/types';
import type { Message } from '../../raft/types';

/** A message on the simulated wire, of either engine. */
export type WireMessage = Message | RpcMessage;

export type DriverBatch<TMessage extends RoutedMessage = Message> = EngineNodeBatch<TMessage, AdminRequest>;
export type DriverResult<TMessage extends RoutedMessage = Message> = EngineBatchResult<TMessage> & { observation?: BatchObservation };

export interface NodeDriver<TMessage extends RoutedMessage = Message> {
  /** Runs one batch on the node and answers with what it sent, persisted, applied and is now. */
  handleBatch(batch: DriverBatch<TMessage>): Promise<DriverResult<TMessage>>;
  /** Ends the node's process for good (the end of a run); its disk is not needed any more. */
  terminate(): Promise<void>;
}

/** Makes the driver of one node; called once per node before the run starts. */
export type NodeDriverFactory<TMessage extends RoutedMessage = Message> = (init: NodeInit) => NodeDriver<TMessage>;

/** Whether a wire message is one of the HashiCorp-style engine's RPCs (their types are names). */
export function isRpcMessage(message: WireMessage): message is RpcMessage {
  return typeof message.type === 'string';
}
