// The store's slice for durable mode (nodes in Web Workers on IndexedDB disks): null in the
// in-memory mode. It holds plain data only; the run lives in durable-actions.ts.
import type { StateCreator } from 'zustand/vanilla';
import type { NodeStatus } from '../../engines/etcd/batch';
import type { LastWrite } from './durable-app-run';
import type { DurableEngine } from './durable-engine';
import type { DataDirInspection } from '../../worker/inspection';

export interface DurableNodeInfo {
  id: number;
  /** The node's last status (the last one while up, for a node that is down now). */
  status: NodeStatus | null;
  up: boolean;
  /** The node's last batch that wrote to its disk (each Ready's write fsynced before it returned). */
  lastWrite: LastWrite | null;
  inspection: DataDirInspection | null;
}

export interface DurableState {
  runId: string;
  seed: number;
  nodeCount: number;
  /** The node host every node runs. */
  engine: DurableEngine;
  /** The transcript's sha256 once the run is over (what `raftlab run` prints with the same options). */
  transcriptHash: string | null;
  /** The branch of disks on screen: each rewind replays the run into a new one. */
  branch: number;
  /** A rewind replaying the run: from where, to which event, and how far it got. */
  seeking: { from: number; to: number; at: number } | null;
  /** A batch or an inspection is running (the nodes answer one request at a time). */
  busy: boolean;
  nodes: DurableNodeInfo[];
  /** The event count when the storage was last inspected (null: not yet). */
  inspectedAtEvent: number | null;
  /** The disks held data from an earlier page before this page's first step. */
  resumedFromDisk: boolean;
  error: string | null;
}

export interface DurableSlice {
  durable: DurableState | null;
}

export const durableSlice: StateCreator<DurableSlice, [], [], DurableSlice> = () => ({
  durable: null,
});
