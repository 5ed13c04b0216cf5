// The migration page: the offline migration hashicorp -> etcd step by step, and the two engines
// side by side. React only draws; the model runs in migration-actions.ts.
import { EnginesView } from './engines-view';
import { switchMigrationView } from './migration-page';
import { MigrationView } from './migration-view';
import { useMigrationStore } from './use-migration-store';
import './migration.css';

export function MigrationApp() {
  const { view, problems, error } = useMigrationStore((state) => ({ view: state.view, problems: state.problems, error: state.error }));
  return (
    <main className="app migration-app">
      <header className="app-header">
        <h1>raftlab</h1>
        <nav className="migration-tabs" aria-label="views">
          <button type="button" data-testid="tab-migration" aria-pressed={view === 'migration'} onClick={() => switchMigrationView('migration')}>
            Migration hashicorp → etcd
          </button>
          <button type="button" data-testid="tab-engines" aria-pressed={view === 'engines'} onClick={() => switchMigrationView('engines')}>
            Engines side by side (--engine)
          </button>
        </nav>
        <a href="?">simulator</a>
      </header>
      {problems.length > 0 && (
        <p className="url-problems" role="status">
          {problems.join('; ')}
        </p>
      )}
      {error !== null && (
        <p className="url-problems" role="alert">
          {error}
        </p>
      )}
      {view === 'migration' ? <MigrationView /> : <EnginesView />}
    </main>
  );
}
