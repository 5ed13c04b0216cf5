// Durable mode's toolbar: play/pause/step (async: each event awaits one node's batch), speed,
// a fresh run on new disks (on the engine chosen: etcd's host or the HashiCorp-style one), the
// clock (with a rewind's replay progress) and, once the run is over, its transcript hash (what
// `raftlab run` prints for the same options). The automation contract's test ids are the same as
// in the in-memory mode.
import { useState } from 'react';
import { setSpeed } from '../store/run-actions';
import { useAppStore } from '../views/use-app-store';
import { inspectStorage, pauseDurable, playDurable, stepDurable } from './durable-actions';
import { downloadDurableTrace, openDurableTrace, restartDurableOnNewDisks } from './durable-page';
import { durableEngines, durableEngineUis, type DurableEngine } from './durable-engine';

const speeds: [number, string][] = [
  [0.01, '1/100×'],
  [0.05, '1/20×'],
  [0.2, '1/5×'],
  [1, '1×'],
  [10, '10×'],
];

export function DurableControls() {
  const { playing, speed, nowMs, eventCount, done, busy, seed, nodeCount, seeking, engine, hash } =
    useAppStore((state) => ({
      playing: state.playing,
      speed: state.speed,
      nowMs: state.nowMs,
      eventCount: state.eventCount,
      done: state.done,
      busy: state.durable?.busy ?? false,
      seed: state.durable?.seed ?? 1,
      nodeCount: state.durable?.nodeCount ?? 3,
      seeking: state.durable?.seeking ?? null,
      engine: state.durable?.engine ?? 'etcd',
      hash: state.durable?.transcriptHash ?? null,
    }));
  const [seedText, setSeedText] = useState(String(seed));
  const seedValid = /^\d{1,9}$/.test(seedText.trim());
  return (
    <section className="controls" aria-label="Simulation controls">
      {playing ? (
        <button data-testid="pause" className="primary" onClick={pauseDurable}>
          ❚❚ Pause
        </button>
      ) : (
        <button data-testid="play" className="primary" onClick={playDurable} disabled={done}>
          ▶ Play
        </button>
      )}
      <button
        data-testid="step"
        onClick={() => void stepDurable()}
        disabled={playing || done || busy}
        title="Process exactly one event"
      >
        Step
      </button>
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
          if (seedValid) void restartDurableOnNewDisks(Number(seedText.trim()), nodeCount);
        }}
      >
        <label>
          Seed
          <input
            data-testid="seed-input"
            value={seedText}
            size={6}
            inputMode="numeric"
            onChange={(event) => setSeedText(event.target.value)}
          />
        </label>
        <button
          data-testid="reset"
          type="submit"
          disabled={!seedValid || busy}
          title="A new run on new, empty disks"
        >
          New run (new disks)
        </button>
      </form>
      <label title="The node host every node runs; changing it starts a new run on new disks">
        Engine
        <select
          data-testid="engine-input"
          value={engine}
          disabled={busy}
          onChange={(event) =>
            void restartDurableOnNewDisks(seed, nodeCount, event.target.value as DurableEngine)
          }
        >
          {durableEngines.map((name) => (
            <option key={name} value={name}>
              {durableEngineUis[name].label}
            </option>
          ))}
        </select>
      </label>
      <button
        data-testid="export-trace"
        onClick={downloadDurableTrace}
        disabled={busy}
        title="The run as a trace file: its options, your actions and the position (npx raftlab replay checks a finished run's)"
      >
        Export trace
      </button>
      <label
        className="file-pick"
        title="Open a durable trace file (the app's or raftlab run --durable --trace's) on new disks"
      >
        Import trace
        <input
          data-testid="import-trace"
          type="file"
          accept=".json,application/json"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file !== undefined)
              void file.text().then((text) => openDurableTrace(text, file.name));
          }}
        />
      </label>
      <button data-testid="inspect-storage" onClick={() => void inspectStorage()} disabled={busy}>
        Read disks
      </button>
      <span className="clock">
        <span data-testid="sim-time">{nowMs}</span> ms ·{' '}
        <span data-testid="event-count">{eventCount}</span> events
        {done ? ' · run over' : ''}
        {hash !== null && (
          <span data-testid="transcript-hash" data-hash={hash} title={`transcript sha256 ${hash}`}>
            {' '}
            · sha256 {hash.slice(0, 12)}…
          </span>
        )}
        {seeking !== null ? (
          <span data-testid="seeking">
            {' '}
            · replaying to event {seeking.to}: {seeking.at}
          </span>
        ) : busy ? (
          ' · waiting for a node'
        ) : (
          ''
        )}
      </span>
    </section>
  );
}
