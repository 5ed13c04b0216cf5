import type { NodeId } from '../../raft/types';
import type { NodeSnapshot } from '../../sim/node-snapshot';
import { LogStrip } from './log-strip';
import { useAppStore } from './use-app-store';

type NodeSummary = Pick<
  NodeSnapshot,
  'role' | 'term' | 'vote' | 'lead' | 'commit' | 'applied' | 'lastIndex'
>;

function findNode(nodes: NodeSnapshot[], id: NodeId): NodeSnapshot {
  const node = nodes.find((candidate) => candidate.id === id);
  if (node === undefined) throw new Error(`no node ${id} in the snapshot`);
  return node;
}

export function NodeCard({ id }: { id: NodeId }) {
  const node: NodeSummary = useAppStore((state) => {
    const { role, term, vote, lead, commit, applied, lastIndex } = findNode(
      state.cluster.nodes,
      id,
    );
    return { role, term, vote, lead, commit, applied, lastIndex };
  });
  return (
    <article className={`node node-${node.role}`} data-testid={`node-${id}`} data-role={node.role}>
      <header>
        <h2>Node {id}</h2>
        <span className="role" data-testid={`node-${id}-role`}>
          {node.role}
        </span>
      </header>
      <dl>
        <Field label="term" testId={`node-${id}-term`} value={node.term} />
        <Field label="vote" value={node.vote || '—'} />
        <Field label="leader" value={node.lead || '—'} />
        <Field label="commit" testId={`node-${id}-commit`} value={node.commit} />
        <Field label="applied" value={node.applied} />
        <Field label="last index" value={node.lastIndex} />
      </dl>
      <LogStrip id={id} commit={node.commit} />
    </article>
  );
}

function Field({
  label,
  value,
  testId,
}: {
  label: string;
  value: number | string;
  testId?: string;
}) {
  return (
    <div className="field">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}
