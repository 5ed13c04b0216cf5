// How the simulator talks to a durable node: one lockstep batch at a time. The simulator sends a
// node a batch (crash and restart travel inside it as commands, so they happen at their place in
// the scheduler's order) and waits for the answer before it sends anything else to any node.
// Whoever runs the simulator chooses the driver: in-process here, or one worker_thread per node
// from src/worker, which sits above the simulator and injects its driver through this interface.
import type { BatchResult, NodeBatch, NodeInit } from '../../engines/etcd/batch';

export interface NodeDriver {
  /** Runs one batch on the node and answers with what it sent, persisted, applied and is now. */
  handleBatch(batch: NodeBatch): Promise<BatchResult>;
  /** Ends the node's process for good (the end of a run); its disk is not needed any more. */
  terminate(): Promise<void>;
}

/** Makes the driver of one node; called once per node before the run starts. */
export type NodeDriverFactory = (init: NodeInit) => NodeDriver;
