// What the orchestrator needs from the machines it migrates: each node's disk (its data dir is
// the disk's root) and a way to stop, check and start its process with an engine, plus the
// client calls the validation makes. The simulator implements it over in-process hosts
// (sim-cluster.ts); a real deployment would implement it over ssh and systemd.
import type { RaftEngineType } from '../../storage/datadir/engine-marker';
import type { FileSystem } from '../../storage/fs/file-system';
import type { Result } from '../../storage/result';

export interface LeaderInfo {
  node: string;
  term: number;
}

export interface NodeControl {
  /** The node's disk; the orchestrator's file operations go through it. */
  disk(node: string): FileSystem;
  /** Lets every running node apply the same index (writes have been stopped). */
  quiesce(): Promise<Result<void, string>>;
  /** Asks the node's process to stop (gracefully: the hashicorp host saves fsm.db). */
  stop(node: string): Promise<void>;
  isStopped(node: string): Promise<boolean>;
  /** Starts the node's process on `engine`; an error says why it did not come up. */
  start(node: string, engine: RaftEngineType): Promise<Result<void, string>>;
  /** Runs the cluster until a node leads, or says why none does. */
  awaitLeader(): Promise<Result<LeaderInfo, string>>;
  put(node: string, key: string, value: string): Promise<Result<void, string>>;
  /** A linearizable read on `node`. */
  get(node: string, key: string): Promise<Result<string | null, string>>;
  /** Safety violations seen so far (e.g. two leaders in one term), each a sentence. */
  safetyViolations(): string[];
}
