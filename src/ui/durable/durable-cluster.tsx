// Durable mode's nodes: one card per node with its role, term, vote, commit and applied index
// (from the status its last batch returned), carrying the automation contract's attributes.
// Clicking a node opens its menu: crash, restart, pause, isolate, heal, trigger an election; each is an intervention
// recorded at the current event, so a rewind replays it.
import type { NodeId } from '../../raft/types';
import type { DurableInjection } from '../../sim/durable/durable-simulation';
import { appStore } from '../store/app-store';
import { useAppStore } from '../views/use-app-store';
import { interveneDurable } from './durable-actions';

const pauseMs = 1_000;

function act(action: DurableInjection): void {
  // A refused action (the run is over) shows as the page's error; nothing else to do here.
  interveneDurable(action).catch(() => undefined);
}

function DurableNodeMenu({ id }: { id: NodeId }) {
  const { role, ready } = useAppStore((state) => ({
    role: state.nodes.find((node) => node.id === id)?.role,
    ready: state.eventCount > 0 && !state.done && !(state.durable?.busy ?? false),
  }));
  const down = role === 'down';
  const item = (testId: string, label: string, enabled: boolean, action: DurableInjection) => (
    <button
      data-testid={testId}
      role="menuitem"
      disabled={!enabled || !ready}
      onClick={() => act(action)}
    >
      {label}
    </button>
  );
  return (
    <div
      className="node-menu durable-node-menu"
      data-testid="node-menu"
      role="menu"
      onClick={(event) => event.stopPropagation()}
    >
      <div className="node-menu-title">Node {id}</div>
      {item('node-crash', 'Crash', !down, { kind: 'crash', node: id })}
      {item('node-restart', 'Restart', down, { kind: 'restart', node: id })}
      {item('node-pause', 'Pause 1 s', !down, { kind: 'pause', node: id, durationMs: pauseMs })}
      {item('node-isolate', 'Isolate', true, {
        kind: 'partition',
        shape: { kind: 'isolate', node: id },
      })}
      {item('network-heal', 'Heal network', true, { kind: 'heal' })}
      <div className="menu-separator" />
      {item('node-campaign', 'Trigger election', !down && role !== 'leader', {
        kind: 'campaign',
        node: id,
      })}
      {!ready && (
        <div className="hint">{'available between events, once the nodes booted (step once)'}</div>
      )}
      <button className="menu-close" onClick={() => appStore.setState({ menuNodeId: null })}>
        Close
      </button>
    </div>
  );
}

export function DurableCluster() {
  const { nodes, menuNodeId } = useAppStore((state) => ({
    nodes: state.nodes,
    menuNodeId: state.menuNodeId,
  }));
  return (
    <section className="panel durable-cluster" aria-label="Cluster">
      <h2>
        Nodes{' '}
        <span className="hint">
          each in its own Web Worker, its disk in IndexedDB · click a node for its menu
        </span>
      </h2>
      <ul className="durable-nodes">
        {nodes.map((node) => (
          <li
            key={node.id}
            data-testid="node"
            data-node-id={node.id}
            data-role={node.role}
            data-term={node.term}
            data-commit={node.commit}
            className={`durable-node role-${node.role}${menuNodeId === node.id ? ' menu-open' : ''}`}
            onClick={() =>
              appStore.setState({ menuNodeId: menuNodeId === node.id ? null : node.id })
            }
          >
            <strong>
              {node.id} · {node.role}
            </strong>
            <span>
              term {node.term} · vote {node.vote} · lead {node.lead}
            </span>
            <span>
              commit {node.commit} · applied {node.applied} · last {node.lastIndex} (durable{' '}
              {node.stableIndex})
            </span>
            {menuNodeId === node.id && <DurableNodeMenu id={node.id} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
