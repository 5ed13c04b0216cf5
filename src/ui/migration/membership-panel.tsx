// The membership parts of the side-by-side view: the scenario picker, the buttons that send a
// membership change (or a crash, restart, cut-off) to both clusters at the time shown, and per
// pane the configuration as its leader holds it, the catch-ups with their times, and the log of
// requests, answers and configuration changes up to the frame shown.
import { useState } from 'react';
import { addEnginesStep, startEngines } from './migration-actions';
import type { EnginesState } from './migration-store';
import type { MembershipPaneFrame } from './membership-run';
import { nodeTargetNames, type NodeTarget, type PaneLogLine, type ScriptAction } from './membership-pane';
import { membershipScenario, membershipScenarios } from './membership-scenarios';

/** The picker's value for the seed's faults (no membership scenario). */
const seedFaults = '';

export function EnginesScenarioPicker({ engines }: { engines: EnginesState }) {
  return (
    <label>
      Scenario{' '}
      <select
        data-testid="engines-scenario"
        value={engines.scenario ?? seedFaults}
        onChange={(event) => {
          const value = event.target.value;
          void startEngines(engines.seed, engines.nemesis, 0, value === seedFaults ? null : value, []);
        }}
      >
        <option value={seedFaults}>the seed&apos;s faults (no membership changes)</option>
        {membershipScenarios.map((scenario) => (
          <option key={scenario.id} value={scenario.id}>
            {scenario.title}
          </option>
        ))}
      </select>
    </label>
  );
}

const nodeActions: { kind: Exclude<ScriptAction['kind'], 'replace' | 'writes' | 'heal'>; label: string }[] = [
  { kind: 'addVoter', label: 'add voter' },
  { kind: 'addLearner', label: 'add learner / nonvoter' },
  { kind: 'promote', label: 'promote' },
  { kind: 'demote', label: 'demote' },
  { kind: 'remove', label: 'remove' },
  { kind: 'crash', label: 'crash' },
  { kind: 'restart', label: 'restart' },
  { kind: 'isolate', label: 'cut off' },
];

export function MembershipControls({ engines }: { engines: EnginesState }) {
  const [target, setTarget] = useState<string>('4');
  const scenario = engines.scenario === null ? undefined : membershipScenario(engines.scenario);
  if (scenario === undefined) return null;
  const node: NodeTarget = /^[0-9]+$/.test(target) ? Number(target) : (target as NodeTarget);
  const nodes = [...scenario.voters, ...scenario.spares].sort((a, b) => a - b);
  const disabled = engines.computing || engines.frame === null || engines.done;
  return (
    <div className="membership-controls" data-testid="membership-controls" data-steps={engines.steps.length}>
      <p className="hint">{scenario.lookFor}</p>
      <span>
        At {engines.frame?.timeMs ?? 0} ms, on both clusters:{' '}
        <select data-testid="membership-target" value={target} onChange={(event) => setTarget(event.target.value)}>
          {nodes.map((id) => (
            <option key={id} value={String(id)}>
              node {id}
            </option>
          ))}
          {nodeTargetNames.map((name) => (
            <option key={name} value={name}>
              the {name}
            </option>
          ))}
        </select>{' '}
        {nodeActions.map((action) => (
          <button key={action.kind} type="button" data-testid={`membership-${action.kind}`} disabled={disabled} onClick={() => void addEnginesStep({ kind: action.kind, node })}>
            {action.label}
          </button>
        ))}
        <button type="button" data-testid="membership-heal" disabled={disabled} onClick={() => void addEnginesStep({ kind: 'heal' })}>
          heal
        </button>
      </span>
    </div>
  );
}

function CatchUps({ pane }: { pane: MembershipPaneFrame }) {
  const catchUps = pane.membership.catchUps;
  if (catchUps.length === 0) return null;
  const snapshot = pane.engine === 'etcd' ? 'MsgSnap' : 'InstallSnapshot';
  return (
    <ul className="catch-ups" data-testid="engine-catch-ups">
      {catchUps.map((catchUp) => (
        <li
          key={`${catchUp.node}-${catchUp.startMs}`}
          data-testid="catch-up"
          data-node-id={catchUp.node}
          data-done={catchUp.doneMs !== null}
          data-duration-ms={catchUp.doneMs === null ? '' : catchUp.doneMs - catchUp.startMs}
          data-snapshots={catchUp.snapshots}
        >
          node {catchUp.node} ({catchUp.reason} at {catchUp.startMs} ms) to index {catchUp.targetIndex}:{' '}
          {catchUp.doneMs === null ? 'catching up…' : `caught up in ${catchUp.doneMs - catchUp.startMs} ms`}
          {catchUp.snapshots === 0 ? ' by log replication' : ` by snapshot (${catchUp.snapshots} ${snapshot})`}
        </li>
      ))}
    </ul>
  );
}

/** The pane's configuration, catch-ups and log, for membership scenarios. */
export function PaneMembershipSection({ pane, log }: { pane: MembershipPaneFrame; log: readonly PaneLogLine[] }) {
  const { configuration, writes } = pane.membership;
  const shown = log.slice(0, pane.membership.logCount);
  return (
    <div className="pane-membership">
      <div
        className="engine-configuration"
        data-testid="engine-configuration"
        data-joint={configuration?.joint === true}
        data-uncommitted={configuration?.uncommitted === true}
      >
        {configuration === null ? 'no running node' : configuration.lines.map((line) => <div key={line}>{line}</div>)}
      </div>
      <p className="hint" data-testid="engine-writes" data-ok={writes.ok} data-leaderless-ms={pane.membership.leaderlessMs}>
        client writes: {writes.sent} sent, {writes.ok} acknowledged, {writes.failed} failed · without a leader since the
        first election: {pane.membership.leaderlessMs} ms
      </p>
      <CatchUps pane={pane} />
      <ol className="membership-log" data-testid="engine-membership-log" data-count={shown.length}>
        {shown.slice(-10).map((line, i) => (
          <li key={`${line.timeMs}-${shown.length - 10 + i}`} className={`log-${line.kind}`}>
            {line.timeMs} ms {line.kind}: {line.text}
          </li>
        ))}
      </ol>
    </div>
  );
}
