// The toolbar: play/pause/step, speed, the run's options (seed, nodes, nemesis, reads, bug) and the
// clock (with the transcript hash once the run is over).
import { useEffect, useState } from 'react';
import { faultKinds } from '../../sim/nemesis/plan';
import { formatNemesis, parseNemesis } from '../store/url';
import { newRun, pause, play, setSpeed, speedMax, step } from '../store/run-actions';
import { ForkControl } from './fork-control';
import { RunOptionSelects } from './run-option-selects';
import { useAppStore } from './use-app-store';

const speeds: [number, string][] = [
  [0.01, '1/100×'],
  [0.05, '1/20×'],
  [0.2, '1/5×'],
  [1, '1×'],
  [10, '10×'],
  [100, '100×'],
  [1000, '1000×'],
  [speedMax, 'max'],
];
const nodeCounts = [3, 4, 5, 6, 7, 8, 9];
const nemesisChoices = ['none', 'seed', 'all', ...faultKinds];

export function Controls() {
  const { playing, speed, nowMs, eventCount, config, done, transcriptHash } = useAppStore(
    (state) => ({
      playing: state.playing,
      speed: state.speed,
      nowMs: state.nowMs,
      eventCount: state.eventCount,
      config: state.config,
      done: state.done,
      transcriptHash: state.transcriptHash,
    }),
  );
  const [seedText, setSeedText] = useState(String(config.seed));
  useEffect(() => setSeedText(String(config.seed)), [config.seed]);
  const seedValid = /^-?\d{1,15}$/.test(seedText.trim());
  const nemesis = formatNemesis(config.nemesis);

  return (
    <section className="controls" aria-label="Simulation controls">
      {playing ? (
        <button data-testid="pause" className="primary" onClick={pause}>
          ❚❚ Pause
        </button>
      ) : (
        <button data-testid="play" className="primary" onClick={play} disabled={done}>
          ▶ Play
        </button>
      )}
      <button
        data-testid="step"
        onClick={step}
        disabled={playing || done}
        title="Process exactly one event"
      >
        Step
      </button>
      <ForkControl />
      <label>
        Speed
        <select
          data-testid="speed"
          value={speed}
          onChange={(event) => setSpeed(Number(event.target.value))}
        >
          {speeds.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <form
        className="run-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (seedValid) newRun({ ...config, seed: Number(seedText.trim()) });
        }}
      >
        <label>
          Seed
          <input
            data-testid="seed-input"
            value={seedText}
            size={6}
            inputMode="numeric"
            aria-invalid={!seedValid}
            onChange={(event) => setSeedText(event.target.value)}
          />
        </label>
        <label>
          Nodes
          <select
            data-testid="nodes-input"
            value={config.nodeCount}
            onChange={(event) =>
              // A scenario's plan names its own nodes: another node count leaves the scenario.
              newRun({ ...config, nodeCount: Number(event.target.value), scenario: undefined })
            }
          >
            {nodeCounts.map((count) => (
              <option key={count}>{count}</option>
            ))}
          </select>
        </label>
        <label>
          Faults
          <select
            data-testid="nemesis-input"
            value={nemesis}
            onChange={(event) => {
              const parsed = parseNemesis(event.target.value);
              if (parsed.ok) newRun({ ...config, nemesis: parsed.nemesis, scenario: undefined });
            }}
          >
            {(nemesisChoices.includes(nemesis) ? nemesisChoices : [...nemesisChoices, nemesis]).map(
              (choice) => (
                <option key={choice} value={choice}>
                  {choice === 'seed' ? 'chosen by seed' : choice}
                </option>
              ),
            )}
          </select>
        </label>
        <RunOptionSelects />
        <button data-testid="reset" type="submit" disabled={!seedValid} title="Start the run again">
          Restart run
        </button>
      </form>
      <span className="clock">
        <span data-testid="sim-time">{nowMs}</span> ms ·{' '}
        <span data-testid="event-count">{eventCount}</span> events{done ? ' · run over' : ''}
        {transcriptHash !== null && (
          <span
            className="transcript-hash"
            data-testid="transcript-hash"
            data-hash={transcriptHash}
            title={`transcript sha256 ${transcriptHash} (as raftlab run prints it)`}
          >
            {' '}
            · sha256 {transcriptHash.slice(0, 12)}…
          </span>
        )}
      </span>
    </section>
  );
}
