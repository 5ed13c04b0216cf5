// The two engines side by side: one seed's faults (or a membership scenario's script) on an
// etcd-engine and a HashiCorp-engine cluster, two panes on one simulated clock. Each pane shows
// every node's role, term and commit (and how far it lags the leader), the leader changes so far,
// and a strip of roles over time, so the engines' differences in elections, the leader lease,
// membership changes and catch-up can be compared; membership-panel.tsx adds the configuration,
// the catch-ups and the change log of a membership scenario.
import { faultKinds } from '../../sim/nemesis/plan';
import { pauseEngines, playEngines, seekEngines, startEngines, stepEngines } from './migration-actions';
import type { EnginesState } from './migration-store';
import { layoutRoleStrip, type ConfigurationState, type RoleStripLayout } from './role-strip-layout';
import type { PaneLogLine } from './membership-pane';
import { frameMs, type PaneFrame, type SideBySideFrame } from './side-by-side';
import { useMigrationStore } from './use-migration-store';
import { currentEngineFrames } from './migration-actions';
import type { MembershipPaneFrame } from './membership-run';
import { EnginesScenarioPicker, MembershipControls, PaneMembershipSection } from './membership-panel';

const engineTitles: Record<string, string> = {
  etcd: 'etcd engine (--engine etcd): etcd/raft, PreVote + CheckQuorum',
  hashicorp: 'HashiCorp engine (--engine hashicorp): RPCs, heartbeats, leader lease',
};
const stripWidth = 560;
/** The strips span at least this much simulated time, then grow by the same step. */
const stripSpanMs = 5_000;

function stripSpanFrames(frameCount: number): number {
  const step = stripSpanMs / frameMs;
  return Math.max(1, Math.ceil(frameCount / step)) * step;
}

/** The configuration lines of a membership pane's log, up to the frame's count, for the strip. */
function configurationSpans(log: readonly PaneLogLine[], count: number): { atMs: number; text: string; state: ConfigurationState }[] {
  return log
    .slice(0, count)
    .filter((line) => line.kind === 'configuration')
    .map((line) => ({ atMs: line.timeMs, text: line.text, state: line.state ?? 'stable' }));
}

function EnginesControls({ engines }: { engines: EnginesState }) {
  const timeMs = engines.frame?.timeMs ?? 0;
  return (
    <div className="migration-time">
      <label>
        Seed{' '}
        <input
          data-testid="engines-seed"
          type="number"
          min={0}
          defaultValue={engines.seed}
          key={engines.seed}
          onKeyDown={(event) => {
            const value = Number((event.target as HTMLInputElement).value);
            if (event.key === 'Enter' && Number.isSafeInteger(value) && value >= 0) void startEngines(value, engines.nemesis, 0, engines.scenario);
          }}
        />
      </label>
      <EnginesScenarioPicker engines={engines} />
      {engines.scenario === null && <span className="engines-faults">
        {faultKinds.map((kind) => (
          <label key={kind}>
            <input
              type="checkbox"
              checked={engines.nemesis.includes(kind)}
              onChange={(event) => {
                const next = event.target.checked ? [...engines.nemesis, kind] : engines.nemesis.filter((other) => other !== kind);
                void startEngines(engines.seed, faultKinds.filter((other) => next.includes(other)));
              }}
            />
            {kind}
          </label>
        ))}
      </span>}
      <button type="button" title="time 0" onClick={() => void seekEngines(0)}>|◀</button>
      <button type="button" data-testid="engines-back" onClick={() => void stepEngines(-1)}>◀</button>
      <button type="button" data-testid="engines-play" onClick={() => (engines.playing ? pauseEngines() : playEngines())}>
        {engines.playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" data-testid="engines-forward" onClick={() => void stepEngines(1)}>▶ +{frameMs} ms</button>
      <button type="button" onClick={() => void stepEngines(20)}>+1 s</button>
      <span data-testid="engines-time" data-time-ms={timeMs} data-computing={engines.computing}>
        {timeMs} ms simulated{engines.computing ? ' · computing…' : ''}
        {engines.done ? ' · end of run' : ''}
      </span>
    </div>
  );
}

function NodeTable({ pane, membership }: { pane: PaneFrame; membership: MembershipPaneFrame | null }) {
  const leader = pane.nodes.find((node) => node.role === 'leader');
  return (
    <table className="engine-nodes">
      <thead>
        <tr>
          <th>node</th>
          <th>role</th>
          <th>term</th>
          <th>commit</th>
          <th>behind leader</th>
          {membership !== null && <th>configuration</th>}
        </tr>
      </thead>
      <tbody>
        {pane.nodes.map((node) => (
          <tr
            key={node.id}
            data-testid="node"
            data-node-id={node.id}
            data-role={node.role}
            data-term={node.term}
            data-commit={node.commit}
            data-config-role={node.configRole ?? ''}
            className={`role-${node.role}`}
          >
            <td>{node.id}</td>
            <td>{node.role}</td>
            <td>{node.term}</td>
            <td>{node.commit}</td>
            <td>{leader === undefined || node.role === 'down' || node.role === 'removed' ? '' : Math.max(0, leader.commit - node.commit)}</td>
            {membership !== null && <td>{node.configRole}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RoleStrip({ layout, engine }: { layout: RoleStripLayout; engine: string }) {
  return (
    <svg className="strip-svg" viewBox={`0 0 ${stripWidth} ${layout.height}`} role="img" aria-label={`${engine} roles over time`}>
      {layout.rows.map((row) => (
        <text key={row.label} x={2} y={row.y + 11} className="history-label">
          {row.label}
        </text>
      ))}
      {layout.cells.map((cell) => (
        <rect key={cell.key} x={cell.x} y={cell.y + 1} width={cell.width} height={12} className={`strip-${cell.role}`} />
      ))}
      {layout.faultRowY !== null && (
        <text x={2} y={layout.faultRowY + 11} className="history-label">
          ⚠
        </text>
      )}
      {layout.faultRowY !== null &&
        layout.faultMarks.map((mark) => (
          <rect key={`fault-${mark.key}`} x={mark.x - 2} y={layout.faultRowY! + 2} width={4} height={10} className={`strip-fault strip-fault-${mark.kind}`}>
            <title>{mark.title}</title>
          </rect>
        ))}
      {layout.configurationRowY !== null && (
        <text x={2} y={layout.configurationRowY + 11} className="history-label">
          ⚙
        </text>
      )}
      {layout.configurationRowY !== null &&
        layout.configurationSpans.map((span) => (
          <rect key={`configuration-${span.key}`} x={span.x} y={layout.configurationRowY! + 2} width={span.width} height={10} className={`strip-configuration strip-configuration-${span.state}`}>
            <title>{span.title}</title>
          </rect>
        ))}
      {layout.leaderMarks.map((mark) => (
        <rect key={mark.key} x={mark.x - 1} y={mark.y} width={2} height={14} className="strip-leader-mark">
          <title>{mark.title}</title>
        </rect>
      ))}
    </svg>
  );
}

function Pane({ frame, paneIndex, engines }: { frame: SideBySideFrame; paneIndex: number; engines: EnginesState }) {
  const pane: PaneFrame = frame.panes[paneIndex];
  const membership = 'membership' in pane ? (pane as MembershipPaneFrame) : null;
  const changes = (engines.leaderChanges[pane.engine] ?? []).filter((change) => change.timeMs <= frame.timeMs);
  const leader = pane.nodes.find((node) => node.role === 'leader');
  const layout = layoutRoleStrip({
    frames: currentEngineFrames(),
    pane: paneIndex,
    upTo: engines.frameIndex,
    span: stripSpanFrames(engines.frameCount),
    leaderChanges: changes,
    faults: engines.faults,
    configurations: membership === null ? undefined : configurationSpans(engines.logs[pane.engine] ?? [], membership.membership.logCount),
    frameMs,
    width: stripWidth,
    rowHeight: 14,
    labelWidth: 20,
  });
  return (
    <section className={`panel engine-pane engine-${pane.engine}`} data-testid="engine-pane" data-engine={pane.engine} data-leader={leader?.id ?? ''} data-leader-changes={changes.length}>
      <h2>{engineTitles[pane.engine]}</h2>
      <p className="hint">
        {pane.eventCount} events · {changes.length} leader changes
      </p>
      <NodeTable pane={pane} membership={membership} />
      <RoleStrip layout={layout} engine={pane.engine} />
      {membership !== null && <PaneMembershipSection pane={membership} log={engines.logs[pane.engine] ?? []} />}
      <ol className="leader-changes" data-testid="leader-changes">
        {changes.slice(-8).map((change) => (
          <li key={`${change.timeMs}-${change.node}`}>
            {change.timeMs} ms: node {change.node} leads term {change.term}
          </li>
        ))}
      </ol>
    </section>
  );
}

function FaultList({ engines }: { engines: EnginesState }) {
  const timeMs = engines.frame?.timeMs ?? 0;
  const happened = engines.faults.filter((fault) => fault.atMs <= timeMs);
  return (
    <p className="hint engines-fault-list" data-testid="engines-faults" data-count={happened.length}>
      {engines.scenario === null ? 'Faults (both clusters, from the seed)' : 'Script (both clusters)'}: {happened.length === 0 ? 'none yet' : happened.slice(-6).map((fault) => `${fault.atMs} ms ${fault.text}`).join(' · ')}
    </p>
  );
}

export function EnginesView() {
  const engines = useMigrationStore((state) => state.engines);
  return (
    <div className="engines-view" data-testid="engines-view" data-frame={engines.frameIndex}>
      <EnginesControls engines={engines} />
      <MembershipControls engines={engines} />
      <p className="hint">
        {engines.scenario === null
          ? 'Both clusters run the durable simulator in-process on memory disks with the same seed, so the same clients and the same nemesis plan; '
          : 'Both clusters run the real node hosts in-process on memory disks, one tick (10 ms) per round, messages arriving the next round, the same script; '}
        each step advances both to the same simulated time. Strips: leader green, candidate orange, follower grey, down
        blank; a black tick marks a new leader, red marks under the nodes the {engines.scenario === null ? 'faults' : 'script\'s steps'}.
        {engines.scenario === null &&
          ' Look for: the HashiCorp engine has no PreVote, so a cut-off node keeps raising its term and disrupts the leader when it returns; ' +
            "its leader steps down when its lease runs out without a quorum (etcd's does through CheckQuorum); a restarted HashiCorp node " +
            'shows commit 0 until the leader tells it (it persists no commit index), and how far each follower lags.'}
      </p>
      <FaultList engines={engines} />
      {engines.error !== null && <p className="url-problems">{engines.error}</p>}
      {engines.frame !== null && (
        <div className="engine-panes">
          {engines.frame.panes.map((pane, index) => (
            <Pane key={pane.engine} frame={engines.frame!} paneIndex={index} engines={engines} />
          ))}
        </div>
      )}
    </div>
  );
}
