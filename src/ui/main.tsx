import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { appStore } from './store/app-store';
import { currentRun, newRun, seek } from './store/run-actions';
import { formatUrl, parseUrl } from './store/url';
import { App } from './views/app';
import { installWindowHandle } from './window-handle';
import { followCaptions } from './store/presentation-actions';
import { DurableApp } from './durable/durable-app';
import { isDurableUrl, startDurablePage } from './durable/durable-page';
import { isMigrationUrl } from './migration/migration-url';
import { openDatadrivenScenario } from './scenarios/open-datadriven-scenario';
import { durableScenarioOf } from './scenarios/durable-scenarios';
import './styles.css';
import './theme.css';

// The URL (seed, nodes, nemesis, inject, t) reproduces a shared run at the shared position.
const fromUrl = parseUrl(window.location.search);
// ?durable=1: nodes in Web Workers on IndexedDB disks (src/ui/durable), with its own URL.
const durableMode = isDurableUrl(window.location.search);
const durableProblems = durableMode ? startDurablePage(window.location.search) : [];
// ?view=migration | ?view=engines: the migration step by step, the engines side by side (src/ui/migration).
const migrationMode = !durableMode && isMigrationUrl(window.location.search);
// Loaded on demand, so the simulator's first screen does not carry the migration engine.
const MigrationApp = lazy(async () => {
  const page = await import('./migration/migration-page');
  page.startMigrationPage(window.location.search);
  return { default: (await import('./migration/migration-app')).MigrationApp };
});
if (!durableMode && !migrationMode) {
  newRun(fromUrl.config, fromUrl.interventions);
  if (fromUrl.position !== null) seek(fromUrl.position);
  // ?scenario=<id> of a datadriven scenario: its file plays in the datadriven panel.
  if (fromUrl.datadrivenScenario !== null) void openDatadrivenScenario(fromUrl.datadrivenScenario);
}

// Keep the address bar shareable whenever the run stands still.
appStore.subscribe((state, previous) => {
  if (durableMode || migrationMode || state.playing) return;
  const moved =
    state.eventCount !== previous.eventCount ||
    state.config !== previous.config ||
    state.interventionCount !== previous.interventionCount ||
    previous.playing;
  if (!moved) return;
  const search = formatUrl({
    config: state.config,
    position: state.eventCount,
    interventions: currentRun().interventionList,
  });
  if (search !== window.location.search) window.history.replaceState(null, '', search);
});

installWindowHandle(window);
if (!durableMode && !migrationMode) followCaptions();

const root = document.getElementById('root');
if (root === null) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    {durableMode ? (
      <DurableApp problems={durableProblems} scenario={durableScenarioOf(window.location.search)} />
    ) : migrationMode ? (
      <Suspense fallback={<p>Loading the migration view…</p>}>
        <MigrationApp />
      </Suspense>
    ) : (
      <App problems={fromUrl.problems} versionNotice={fromUrl.versionNotice} />
    )}
  </StrictMode>,
);
