import { CaptionBar } from './caption-bar';
import { ChartsPanel } from './charts-panel';
import { CheckersPanel } from './checkers-panel';
import { ClientPanel } from './client-panel';
import { ClusterView } from './cluster-view';
import { Controls } from './controls';
import { DatadrivenPanel } from './datadriven-panel';
import { EventLogPanel } from './event-log-panel';
import { LogsView } from './logs-view';
import { PresentationControls } from './presentation-controls';
import { ScenarioPicker } from './scenario-picker';
import { SweepPanel } from './sweep-panel';
import { TimelineView } from './timeline-view';
import { ToolsBar } from './tools-bar';

export function App({
  problems,
  versionNotice = null,
}: {
  problems: readonly string[];
  versionNotice?: string | null;
}) {
  return (
    <main className="app">
      <header className="app-header">
        <h1>raftlab</h1>
        <ScenarioPicker />
        <Controls />
        <PresentationControls />
      </header>
      <ToolsBar />
      <CaptionBar />
      {versionNotice !== null && (
        <p className="version-notice" role="status" data-testid="version-notice">
          {versionNotice}
        </p>
      )}
      {problems.length > 0 && (
        <p className="url-problems" role="status">
          {problems.join('; ')}
        </p>
      )}
      <div className="grid">
        <ClusterView />
        <LogsView />
        <div className="side">
          <CheckersPanel />
          <ClientPanel />
          <EventLogPanel />
        </div>
        <TimelineView />
      </div>
      <ChartsPanel />
      <DatadrivenPanel />
      <SweepPanel />
    </main>
  );
}
