// The page in durable mode (?durable=1): nodes in Web Workers on IndexedDB disks, driven by the
// durable simulator, every node on one engine's host (etcd's, or `engine=hashicorp`). The timeline, the event log, the checkers and the logs view are the
// in-memory app's own panels, reading this run's trace through the run source; the cluster (with
// its node menu), the storage and the configuration views are this mode's.
import { CheckersPanel } from '../views/checkers-panel';
import { EventLogPanel } from '../views/event-log-panel';
import { LogsView } from '../views/logs-view';
import { TimelineView } from '../views/timeline-view';
import { useAppStore } from '../views/use-app-store';
import { ConfigView } from './config-view';
import { DurableCluster } from './durable-cluster';
import { DurableControls } from './durable-controls';
import { StorageView } from './storage-view';
import type { DurableScenario } from '../scenarios/durable-scenarios';
import { durableEngineUi } from './durable-engine';
import './durable.css';

export function DurableApp({
  problems,
  scenario,
}: {
  problems: readonly string[];
  /** The built-in durable scenario the page plays, whose caption it shows. */
  scenario?: DurableScenario | undefined;
}) {
  const { runId, branch, resumed, error, seed, engine } = useAppStore((state) => ({
    engine: state.durable?.engine ?? 'etcd',
    seed: state.durable?.seed ?? null,
    runId: state.durable?.runId ?? '',
    branch: state.durable?.branch ?? 0,
    resumed: state.durable?.resumedFromDisk ?? false,
    error: state.durable?.error ?? null,
  }));
  return (
    <main className="app durable-app">
      <header className="app-header">
        <h1>raftlab</h1>
        <span className="mode" data-testid="run-mode">
          Durable nodes (Web Workers + IndexedDB) · {durableEngineUi(engine).label} engine · run{' '}
          {runId}
          {branch > 0 ? ` · branch ${branch}` : ''}
        </span>
        <DurableControls />
        <a href="?">in-memory mode</a>
      </header>
      <p className="hint durable-note" role="note">
        Each event awaits one node&apos;s batch in its Worker. A rewind replays the run from the
        seed into a new branch of disks (the branch it leaves is deleted once the new one is there);
        a reload keeps the disks; “New run” starts on new ones. Click a node to crash, restart,
        pause or isolate it: each action is recorded at its event and replayed by a rewind. The
        logs' unstable tail (dashed) stays empty between events:{' '}
        {durableEngineUi(engine).durabilityNote}; the storage view's “last write” shows what each
        node made durable last.
      </p>
      {/* "New run" may change the seed or the engine: the caption is only true of the scenario's. */}
      {scenario !== undefined &&
        (seed === null || seed === scenario.seed) &&
        engine === (scenario.engine ?? 'etcd') && (
          <section
            className="caption-bar"
            data-testid="durable-caption"
            data-scenario={scenario.id}
          >
            <span className="caption-title">{scenario.title}</span>
            <span className="caption-text">{scenario.caption}</span>
          </section>
        )}
      {resumed && (
        <p className="url-problems" role="status" data-testid="resumed-note">
          These disks hold what an earlier page of run {runId} stored. The storage view shows it as
          found; stepping boots every node from it, so this run no longer replays the seed from
          empty disks: a copy of these disks is kept, and a rewind replays from it.
        </p>
      )}
      {error !== null && (
        <p className="url-problems" role="alert" data-testid="durable-error">
          {error}
        </p>
      )}
      {problems.length > 0 && (
        <p className="url-problems" role="status">
          {problems.join('; ')}
        </p>
      )}
      <div className="grid durable-main">
        <DurableCluster />
        <LogsView />
        <div className="side">
          <CheckersPanel />
          <EventLogPanel />
        </div>
        <TimelineView />
      </div>
      <div className="durable-grid">
        <ConfigView />
        <StorageView />
      </div>
    </main>
  );
}
