// The page in durable mode (?durable=1): nodes in Web Workers on IndexedDB disks, driven by the
// durable simulator; the cluster, the logs, the storage and the configuration views.
import { LogsView } from '../views/logs-view';
import { useAppStore } from '../views/use-app-store';
import { ConfigView } from './config-view';
import { DurableCluster } from './durable-cluster';
import { DurableControls } from './durable-controls';
import { StorageView } from './storage-view';
import './durable.css';

export function DurableApp({ problems }: { problems: readonly string[] }) {
  const { runId, resumed, error } = useAppStore((state) => ({
    runId: state.durable?.runId ?? '',
    resumed: state.durable?.resumedFromDisk ?? false,
    error: state.durable?.error ?? null,
  }));
  return (
    <main className="app durable-app">
      <header className="app-header">
        <h1>raftlab</h1>
        <span className="mode" data-testid="run-mode">
          Durable nodes (Web Workers + IndexedDB) · run {runId}
        </span>
        <DurableControls />
        <a href="?">in-memory mode</a>
      </header>
      <p className="hint durable-note" role="note">
        Each event awaits one node&apos;s batch in its Worker. No rewind in this mode: the disks only move forward (a
        reload keeps them; “New run” starts on new disks). Node, link and message actions are not available: faults
        come from the seed&apos;s nemesis.
      </p>
      {resumed && (
        <p className="url-problems" role="status" data-testid="resumed-note">
          These disks hold what an earlier page of run {runId} stored. The storage view shows it as found; stepping
          boots every node from it, so this run no longer replays the seed from empty disks.
        </p>
      )}
      {error !== null && (
        <p className="url-problems" role="alert">
          {error}
        </p>
      )}
      {problems.length > 0 && (
        <p className="url-problems" role="status">
          {problems.join('; ')}
        </p>
      )}
      <div className="durable-grid">
        <DurableCluster />
        <LogsView />
        <ConfigView />
        <StorageView />
      </div>
    </main>
  );
}
