// Configuration: per node, the configuration its disk and status say it is in: voters, the
// outgoing voters of a joint configuration, learners, learners_next, auto-leave, the conf
// changes written but not applied yet, and its peers file. The engine's status reports only
// voters and learners; the joint parts are folded from the snapshot and the WAL (configuration.ts).
// A HashiCorp-style node has no joint configurations and no peers file: its row is its latest
// configuration (voters, nonvoters), the log index it was appended at, and whether it is committed.
import type { ReactNode } from 'react';
import type { DurableNodeInfo } from './durable-slice';
import { useAppStore } from '../views/use-app-store';
import { configurationOf } from './configuration';

const etcdColumns = [
  'voters',
  'outgoing',
  'learners',
  'learners_next',
  'auto-leave',
  'pending',
  'peers file',
];
const list = (ids: readonly number[]): string => (ids.length === 0 ? '–' : ids.join(' '));

export function ConfigView() {
  const { nodes, etcd } = useAppStore((state) => ({
    nodes: state.durable?.nodes ?? [],
    etcd: (state.durable?.engine ?? 'etcd') === 'etcd',
  }));
  if (!etcd) return <HashicorpConfigView nodes={nodes} />;
  return (
    <ConfigTable hint="per node, at its applied index" columns={etcdColumns}>
      {nodes.map((node) => {
        const status = node.status;
        const config =
          node.inspection === null || status === null
            ? null
            : configurationOf(node.inspection, status.applied);
        const peers = node.inspection?.peers ?? null;
        return (
          <tr
            key={node.id}
            data-testid="node-config"
            data-node-id={node.id}
            data-voters={config?.voters.join(',') ?? ''}
          >
            <td>{node.id}</td>
            <td
              title={
                status === null
                  ? ''
                  : `status: voters ${list(status.voters)}, learners ${list(status.learners)}`
              }
            >
              {config === null ? list(status?.voters ?? []) : list(config.voters)}
            </td>
            <td>{list(config?.votersOutgoing ?? [])}</td>
            <td>{config === null ? list(status?.learners ?? []) : list(config.learners)}</td>
            <td>{list(config?.learnersNext ?? [])}</td>
            <td>{config?.autoLeave ? 'yes' : 'no'}</td>
            <td>
              {config === null || config.pending.length === 0
                ? '–'
                : config.pending.map((item) => item.text).join('; ')}
            </td>
            <td>
              {peers === null
                ? 'none'
                : `@${peers.index}: ${peers.peers.map((peer) => `${peer.id}=${peer.address || '?'}`).join(', ')}`}
            </td>
          </tr>
        );
      })}
    </ConfigTable>
  );
}

/** hashicorp keeps its configuration in the log (no peers file), and uses the latest once appended. */
function HashicorpConfigView({ nodes }: { nodes: readonly DurableNodeInfo[] }) {
  return (
    <ConfigTable
      hint="per node, its latest (used once appended)"
      columns={['voters', 'nonvoters', 'latest at index', 'committed']}
    >
      {nodes.map(({ id, status }) => (
        <tr
          key={id}
          data-testid="node-config"
          data-node-id={id}
          data-voters={status?.voters.join(',') ?? ''}
        >
          <td>{id}</td>
          <td>{list(status?.voters ?? [])}</td>
          <td>{list(status?.learners ?? [])}</td>
          <td>{status?.configIndex ?? '–'}</td>
          <td>{status === null ? '–' : status.configIndex <= status.commit ? 'yes' : 'not yet'}</td>
        </tr>
      ))}
    </ConfigTable>
  );
}

function ConfigTable({
  hint,
  columns,
  children,
}: {
  hint: string;
  columns: readonly string[];
  children: ReactNode;
}) {
  return (
    <section className="panel config-view" aria-label="Configuration" data-testid="config-view">
      <h2>
        Configuration <span className="hint">{hint}</span>
      </h2>
      <table>
        <thead>
          <tr>
            {['node', ...columns].map((name) => (
              <th key={name}>{name}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </section>
  );
}
