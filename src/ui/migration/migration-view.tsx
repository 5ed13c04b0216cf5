// The migration view: the stage bar, the time control, the caption of the frame shown, each
// node (engine, marker, role, data dir with what just appeared or went away), the client
// history across the downtime, the orchestrator's events and the final check.
import { loadMigrationScenario, pauseMigration, playMigration, seekMigration, seekStage, seekToStage, stepMigration } from './migration-actions';
import { migrationStages, type MigrationFrame, type NodeFrame } from './migration-recorder';
import { isMigrationScenarioId, migrationScenarios, type MigrationRecording } from './migration-scenarios';
import { ClientHistory } from './client-history';
import { useMigrationStore } from './use-migration-store';
import { describeMigrationEvent } from '../../engines/migration/orchestrator';

const stageTitles: Record<string, string> = {
  load: 'HashiCorp cluster under load',
  plan: 'Plan · downtime warning · confirm',
  stop: 'Stop every node · verify · preflight',
  convert: 'Convert each data dir',
  restart: 'Rolling restart on etcd',
  validate: 'Validate',
  rollback: 'Rollback to hashicorp',
  check: 'Check: acknowledged writes, election safety',
};

function ScenarioControls() {
  const { scenario, seed, loading, computeMs } = useMigrationStore((state) => ({ scenario: state.scenario, seed: state.seed, loading: state.loading, computeMs: state.computeMs }));
  const info = migrationScenarios.find((candidate) => candidate.id === scenario);
  return (
    <div className="migration-scenario">
      <label>
        Scenario{' '}
        <select
          data-testid="migration-scenario"
          value={scenario}
          onChange={(event) => {
            if (isMigrationScenarioId(event.target.value)) void loadMigrationScenario(event.target.value, seed);
          }}
        >
          {migrationScenarios.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.title}
            </option>
          ))}
        </select>
      </label>
      <label>
        Seed{' '}
        <input
          data-testid="migration-seed"
          type="number"
          min={0}
          defaultValue={seed}
          key={seed}
          onKeyDown={(event) => {
            const value = Number((event.target as HTMLInputElement).value);
            if (event.key === 'Enter' && Number.isSafeInteger(value) && value >= 0) void loadMigrationScenario(scenario, value);
          }}
        />
      </label>
      <span className="hint">{loading ? 'recording the run…' : computeMs === null ? '' : `recorded in ${computeMs.toFixed(0)} ms`}</span>
      {info !== undefined && <p className="migration-summary">{info.caption}</p>}
    </div>
  );
}

function TimeControl({ recording, step }: { recording: MigrationRecording; step: number }) {
  const playing = useMigrationStore((state) => state.playing);
  const last = recording.frames.length - 1;
  const frame = recording.frames[step];
  return (
    <div className="migration-time">
      <button type="button" title="first step" onClick={() => seekMigration(0)}>|◀</button>
      <button type="button" title="previous stage" onClick={() => seekStage(-1)}>◀ stage</button>
      <button type="button" data-testid="migration-back" title="step back" onClick={() => stepMigration(-1)}>◀</button>
      <button type="button" data-testid="migration-play" onClick={() => (playing ? pauseMigration() : playMigration())}>
        {playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" data-testid="migration-forward" title="step forward" onClick={() => stepMigration(1)}>▶</button>
      <button type="button" title="next stage" onClick={() => seekStage(1)}>stage ▶</button>
      <button type="button" data-testid="migration-end" title="last step" onClick={() => seekMigration(last)}>▶|</button>
      <input type="range" aria-label="step" min={0} max={last} value={step} onChange={(event) => seekMigration(Number(event.target.value))} />
      <span data-testid="migration-step" data-step={step} data-count={recording.frames.length} data-at-end={step === last}>
        step {step} / {last} · {frame.timeMs} ms simulated
      </span>
    </div>
  );
}

function StageBar({ frame, recording }: { frame: MigrationFrame; recording: MigrationRecording }) {
  // A stage the scenario never reaches (the rollback, in most) is left out.
  const shown = migrationStages.filter((stage) => stage !== 'rollback' || recording.frames.some((candidate) => candidate.stage === 'rollback'));
  return (
    <ol className="migration-stages">
      {shown.map((stage) => (
        <li
          key={stage}
          data-testid={stage === 'validate' ? 'migration-validate' : 'migration-stage'}
          data-stage={stage}
          data-status={frame.stages[stage]}
          className={`stage stage-${frame.stages[stage]}${frame.stage === stage ? ' stage-current' : ''}`}
        >
          <button type="button" onClick={() => seekToStage(stage)}>
            {stageTitles[stage]}
          </button>
        </li>
      ))}
    </ol>
  );
}

/** The frame's own changes, or (for an event frame) those of the file change just before it. */
function recentChanges(frames: readonly MigrationFrame[], step: number): { added: string[]; removed: string[] } {
  for (let index = step; index >= Math.max(0, step - 2); index--) {
    const frame = frames[index];
    if (frame.added.length > 0 || frame.removed.length > 0) return frame;
    if (frame.kind !== 'event') break;
  }
  return { added: [], removed: [] };
}

function NodeCard({ node, frame, changes }: { node: NodeFrame; frame: MigrationFrame; changes: { added: string[]; removed: string[] } }) {
  const own = (paths: string[]) => paths.filter((path) => path.startsWith(`${node.id}:`)).map((path) => path.slice(node.id.length + 1));
  const added = new Set(own(changes.added));
  const removed = own(changes.removed).filter((path) => !node.files.includes(path));
  return (
    <section
      className={`migration-node engine-${node.engine ?? 'stopped'}${frame.focus === node.id ? ' focus' : ''}`}
      data-testid="node"
      data-node-id={node.id}
      data-engine={node.engine ?? 'stopped'}
      data-marker={node.marker ?? ''}
      data-role={node.role}
    >
      <h3>
        {node.id} <span className="engine-badge">{node.engine ?? 'stopped'}</span>
      </h3>
      <p className="node-facts">
        {node.role}
        {node.engine !== null && ` · term ${node.term} · commit ${node.commit} · applied ${node.applied}`}
        {node.voters.length > 0 && ` · voters [${node.voters.join(' ')}]`}
      </p>
      <p className="node-facts">
        marker <code data-testid="node-marker">{node.marker === null ? '(none)' : node.marker}</code>
      </p>
      <ul className="data-dir" data-testid="data-dir">
        {node.files.map((file) => (
          <li key={file} className={`${added.has(file) ? 'added' : ''} depth-${file.replace(/\/$/, '').split('/').length}`}>
            {file}
          </li>
        ))}
        {removed.map((file) => (
          <li key={`removed:${file}`} className="removed">
            {file}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Checker({ recording, step }: { recording: MigrationRecording; step: number }) {
  const atEnd = step === recording.frames.length - 1;
  const status = atEnd ? recording.verdict.status : 'pending';
  return (
    <section className={`panel migration-checker check-${status}`} data-testid="migration-checker" data-status={status}>
      <h2>Check</h2>
      <p>{atEnd ? recording.verdict.text : 'shown at the last step'}</p>
      {recording.downtimeMs !== null && (
        <p data-testid="migration-downtime">
          downtime: {recording.downtimeMs} ms simulated (writes drained until the first write acknowledged on etcd)
        </p>
      )}
    </section>
  );
}

function EventLog({ recording, frame }: { recording: MigrationRecording; frame: MigrationFrame }) {
  const shownMax = 14;
  const events = recording.events.slice(Math.max(0, frame.eventLength - shownMax), frame.eventLength);
  return (
    <section className="panel migration-events">
      <h2>Orchestrator ({frame.eventLength} events)</h2>
      <ol className="migration-event-list" data-testid="migration-events">
        {events.map((event, i) => (
          // A rerun numbers its events from 1 again: the position is the key.
          <li key={i} className={`event-${event.status}`}>
            {describeMigrationEvent(event)}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function MigrationView() {
  const { recording, step } = useMigrationStore((state) => ({ recording: state.recording, step: state.step }));
  const frame = recording?.frames[step];
  return (
    <div className="migration-view" data-testid="migration-view" data-loaded={recording !== null}>
      <ScenarioControls />
      {recording !== null && frame !== undefined && (
        <>
          <TimeControl recording={recording} step={step} />
          <StageBar frame={frame} recording={recording} />
          <p className="caption-bar migration-caption" data-testid="migration-caption">
            {frame.caption}
          </p>
          <div className="migration-nodes">
            {frame.nodes.map((node) => (
              <NodeCard key={node.id} node={node} frame={frame} changes={recentChanges(recording.frames, step)} />
            ))}
          </div>
          <div className="migration-lower">
            <ClientHistory recording={recording} frame={frame} />
            <EventLog recording={recording} frame={frame} />
            <Checker recording={recording} step={step} />
          </div>
        </>
      )}
    </div>
  );
}
