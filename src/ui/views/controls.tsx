import { useEffect, useState } from 'react';
import { pause, play, propose, reset, setSpeed, step } from '../store/cluster-actions';
import { useAppStore } from './use-app-store';

const speeds = [0.05, 0.25, 1, 4];

export function Controls() {
  const { playing, speed, nowMs, eventCount, seed } = useAppStore((state) => ({
    playing: state.playing,
    speed: state.speed,
    nowMs: state.cluster.nowMs,
    eventCount: state.cluster.eventCount,
    seed: state.seed,
  }));
  const [seedText, setSeedText] = useState(String(seed));
  useEffect(() => setSeedText(String(seed)), [seed]);
  const seedValid = /^-?\d{1,15}$/.test(seedText.trim());

  return (
    <section className="controls" aria-label="Simulation controls">
      {playing ? (
        <button data-testid="pause" onClick={pause}>
          Pause
        </button>
      ) : (
        <button data-testid="play" onClick={play}>
          Play
        </button>
      )}
      <button
        data-testid="step"
        onClick={step}
        disabled={playing}
        title="Process exactly one event"
      >
        Step
      </button>
      <button data-testid="propose" onClick={() => propose()} title="Propose a value at the leader">
        Propose
      </button>
      <label>
        Speed
        <select value={speed} onChange={(event) => setSpeed(Number(event.target.value))}>
          {speeds.map((option) => (
            <option key={option} value={option}>{`${option}×`}</option>
          ))}
        </select>
      </label>
      <form
        className="seed-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (seedValid) reset(Number(seedText.trim()));
        }}
      >
        <label>
          Seed
          <input
            data-testid="seed-input"
            value={seedText}
            inputMode="numeric"
            aria-invalid={!seedValid}
            onChange={(event) => setSeedText(event.target.value)}
          />
        </label>
        <button data-testid="reset" type="submit" disabled={!seedValid}>
          Reset
        </button>
      </form>
      <span className="clock">
        <span data-testid="sim-time">{nowMs}</span> ms simulated ·{' '}
        <span data-testid="event-count">{eventCount}</span> events
      </span>
    </section>
  );
}
