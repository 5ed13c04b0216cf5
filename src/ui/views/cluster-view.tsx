import { NodeCard } from './node-card';
import { useAppStore } from './use-app-store';

export function ClusterView() {
  const nodeIds = useAppStore((state) => state.cluster.nodes.map((node) => node.id));
  return (
    <section className="cluster" data-testid="cluster">
      {nodeIds.map((id) => (
        <NodeCard key={id} id={id} />
      ))}
    </section>
  );
}
