import { ClusterView } from './cluster-view';
import { Controls } from './controls';
import { EventLogPanel } from './event-log-panel';

export function App() {
  return (
    <main className="app">
      <header className="app-header">
        <h1>raftlab</h1>
        <p className="tagline">
          A 3-node etcd/raft cluster on simulated time. Same seed, same run.
        </p>
      </header>
      <Controls />
      <ClusterView />
      <p className="legend">
        Each cell is a log entry (index above, data below), coloured by the term that wrote it;
        faded cells are not yet committed on that node. Step processes one event (a tick or a
        message); Play runs simulated time, and the same seed always gives the same run.
      </p>
      <EventLogPanel />
    </main>
  );
}
