// window.raftlab: a deterministic handle for browser tests and for curious users in devtools.
// Tests wait on eventCount (a counter the simulator owns), never on wall-clock sleeps.
import type { ClusterSnapshot } from '../sim/cluster';
import type { EventLogEntry } from '../sim/event-log';
import { currentCluster, pause, play, propose, reset, step } from './store/cluster-actions';

export interface RaftlabHandle {
  readonly eventCount: number;
  readonly nowMs: number;
  readonly seed: number;
  /** The full cluster snapshot (every log entry), straight from the simulator. */
  snapshot(): ClusterSnapshot;
  /** The simulator's event log (etcd's log lines and described messages), oldest first. */
  eventLog(): EventLogEntry[];
  actions: {
    play: typeof play;
    pause: typeof pause;
    step: typeof step;
    reset: typeof reset;
    propose: typeof propose;
  };
}

declare global {
  interface Window {
    raftlab?: RaftlabHandle;
  }
}

export function installTestHandle(target: Window): void {
  target.raftlab = {
    get eventCount() {
      return currentCluster().eventCount;
    },
    get nowMs() {
      return currentCluster().now;
    },
    get seed() {
      return currentCluster().seed;
    },
    snapshot: () => currentCluster().snapshot({ logEntriesMax: Number.MAX_SAFE_INTEGER }),
    eventLog: () => currentCluster().eventLog.entries(),
    actions: { play, pause, step, reset, propose },
  };
}
