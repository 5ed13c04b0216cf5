// What the engine hands back after step/tick/apply calls, in the spirit of etcd's Ready. The host
// takes it with takeOutput() and must handle it in this order:
// 1. `writes`, in order, each durable (fsynced) before the next: hashicorp/raft writes its stable
//    and log stores synchronously before it answers an RPC or counts its own log for commitment.
// 2. only then `messages`: every message may promise what the writes recorded (a vote, a term,
//    an entry held).
// 3. then `apply`, in order: snapshots to restore and committed entries for the state machine.
// 4. `events` tell the host about futures it may be waiting on (leadership lost, a configuration
//    change appended or refused, a transfer finished, a shutdown).
import type { LogEntry, RpcMessage, SnapshotMeta, StableState } from './types';

export type StoreWrite =
  | { kind: 'stable'; state: StableState }
  | { kind: 'appendLogs'; entries: LogEntry[] }
  /** Removes a conflicting suffix: every entry at `index` and after. */
  | { kind: 'deleteLogsFrom'; index: number }
  /** Removes the entries up to and including `index`, behind a snapshot. */
  | { kind: 'deleteLogsThrough'; index: number }
  /** A snapshot received from the leader, saved in the snapshot store before it is used. */
  | { kind: 'saveSnapshot'; meta: SnapshotMeta; data: Uint8Array };

export type ApplyItem =
  | { kind: 'entry'; entry: LogEntry }
  | { kind: 'restore'; meta: SnapshotMeta; data: Uint8Array };

export type RaftEvent =
  /** This server stopped being leader: inflight applies get ErrLeadershipLost. */
  | { kind: 'leadershipLost'; term: number }
  | { kind: 'configurationAppended'; tag: number; index: number }
  | { kind: 'configurationRefused'; tag: number; error: string }
  | { kind: 'transferFinished'; tag: number; error: string | null }
  | { kind: 'shutdown'; reason: string };

export interface RaftOutput {
  writes: StoreWrite[];
  messages: RpcMessage[];
  apply: ApplyItem[];
  events: RaftEvent[];
}

export function emptyOutput(): RaftOutput {
  return { writes: [], messages: [], apply: [], events: [] };
}

export function isEmptyOutput(output: RaftOutput): boolean {
  return output.writes.length === 0 && output.messages.length === 0 && output.apply.length === 0 && output.events.length === 0;
}

/** Collects output between two takeOutput() calls. */
export class OutputBuilder {
  private output = emptyOutput();

  write(write: StoreWrite): void {
    const writes = this.output.writes;
    const last = writes[writes.length - 1];
    // Two stable writes in a row: the later one holds every key, so the first adds nothing.
    if (write.kind === 'stable' && last !== undefined && last.kind === 'stable') writes[writes.length - 1] = write;
    else writes.push(write);
  }

  send(message: RpcMessage): void {
    this.output.messages.push(message);
  }

  apply(item: ApplyItem): void {
    this.output.apply.push(item);
  }

  event(event: RaftEvent): void {
    this.output.events.push(event);
  }

  take(): RaftOutput {
    const output = this.output;
    this.output = emptyOutput();
    return output;
  }
}
