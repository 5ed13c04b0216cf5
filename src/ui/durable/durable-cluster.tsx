// Durable mode's nodes: one card per node with its role, term, vote, commit and applied index
// (from the status its last batch returned), carrying the automation contract's attributes.
import { useAppStore } from '../views/use-app-store';

export function DurableCluster() {
  const nodes = useAppStore((state) => state.nodes);
  return (
    <section className="panel durable-cluster" aria-label="Cluster">
      <h2>
        Nodes <span className="hint">each in its own Web Worker, its disk in IndexedDB</span>
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
            className={`durable-node role-${node.role}`}
          >
            <strong>
              {node.id} · {node.role}
            </strong>
            <span>
              term {node.term} · vote {node.vote} · lead {node.lead}
            </span>
            <span>
              commit {node.commit} · applied {node.applied} · last {node.lastIndex} (durable {node.stableIndex})
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
