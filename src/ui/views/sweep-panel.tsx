// "Sweep seeds": runs a range of seeds with the current node count and faults (plus a run
// length and a bug switch) in Web Workers, shows the progress and the failing seeds, and opens
// any failing seed in the app. Collapsed, it is one button.
import { bugNames, type BugName } from '../../sim/bugs';
import {
  cancelSweep,
  openSweptSeed,
  setSweepOptions,
  setSweepPanelOpen,
  startSweep,
} from '../store/sweep-actions';
import { formatNemesis } from '../store/url';
import { useAppStore } from './use-app-store';
import './sweep-panel.css';

export function SweepPanel() {
  const sweep = useAppStore((state) => state.sweep);
  const { nodeCount, nemesis } = useAppStore((state) => ({
    nodeCount: state.config.nodeCount,
    nemesis: formatNemesis(state.config.nemesis),
  }));
  if (!sweep.panelOpen)
    return (
      <button
        className="sweep-open"
        data-testid="sweep-open"
        onClick={() => setSweepPanelOpen(true)}
      >
        Sweep seeds…
      </button>
    );
  const percent = sweep.total === 0 ? 0 : Math.floor((100 * sweep.finished) / sweep.total);
  return (
    <section className="panel sweep-panel" aria-label="Sweep seeds" data-testid="sweep-panel">
      <h2>
        Sweep seeds{' '}
        <span className="hint">
          {nodeCount} nodes, faults {nemesis === 'seed' ? 'chosen by each seed' : nemesis}, in Web
          Workers
        </span>
        <button className="close" onClick={() => setSweepPanelOpen(false)} aria-label="Close">
          ✕
        </button>
      </h2>
      <form
        className="sweep-form"
        onSubmit={(event) => {
          event.preventDefault();
          startSweep();
        }}
      >
        <label>
          Seeds
          <input
            data-testid="sweep-first"
            type="number"
            value={sweep.firstSeed}
            onChange={(event) => setSweepOptions({ firstSeed: Number(event.target.value) })}
          />
          to
          <input
            data-testid="sweep-last"
            type="number"
            value={sweep.lastSeed}
            onChange={(event) => setSweepOptions({ lastSeed: Number(event.target.value) })}
          />
        </label>
        <label>
          Time (s)
          <input
            data-testid="sweep-time"
            type="number"
            min={1}
            value={sweep.timeMs / 1000}
            onChange={(event) =>
              setSweepOptions({
                timeMs: Math.max(1, Math.round(Number(event.target.value))) * 1000,
              })
            }
          />
        </label>
        <label>
          Bug
          <select
            data-testid="sweep-bug"
            value={sweep.bug}
            onChange={(event) => setSweepOptions({ bug: event.target.value as BugName | 'none' })}
          >
            <option value="none">none</option>
            {bugNames.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {sweep.running ? (
          <button type="button" data-testid="sweep-cancel" onClick={cancelSweep}>
            Cancel
          </button>
        ) : (
          <button type="submit" data-testid="sweep-start" className="primary">
            Sweep
          </button>
        )}
      </form>
      {sweep.problem !== null && <p role="alert">{sweep.problem}</p>}
      <div className="sweep-progress">
        <progress
          data-testid="sweep-progress"
          data-percent={percent}
          max={Math.max(1, sweep.total)}
          value={sweep.finished}
        />
        <span data-testid="sweep-status">
          {sweep.finished}/{sweep.total} seeds ({percent}%), {sweep.failedCount} failed
          {sweep.running ? ` · ${sweep.workerCount} workers` : ''}
        </span>
      </div>
      <ul className="sweep-failures">
        {sweep.failures.map((outcome) => (
          <li key={outcome.seed} data-testid="sweep-failure" data-seed={outcome.seed}>
            <button data-testid="sweep-open-seed" onClick={() => openSweptSeed(outcome.seed)}>
              open seed {outcome.seed}
            </button>{' '}
            <span className="sweep-failure-text">{outcome.failure}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
