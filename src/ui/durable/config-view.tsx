// Configuration: per node, the configuration its disk and status say it is in: voters, the
// outgoing voters of a joint configuration, learners, learners_next, auto-leave, the conf
// changes written but not applied yet, and its peers file. The engine's status reports only
// voters and learners; the joint parts are folded from the snapshot and the WAL (configuration.ts).
// A HashiCorp-style node has no joint configurations and no peers file: its row is its status's
// latest configuration (voters, nonvoters) and the index it was appended at.
import { useAppStore } from '../views/use-app-store';
import { configurationOf } from './configuration';

const list = (ids: readonly number[]): string => (ids.length === 0 ? '–' : ids.join(' '));

export function ConfigView() {
  const { nodes, etcd } = useAppStore((state) => ({
    nodes: state.durable?.nodes ?? [],
    etcd: (state.durable?.engine ?? 'etcd') === 'etcd',
  }));
  return (
    <section className="panel config-view" aria-label="Configuration" data-testid="config-view">
      <h2>
        Configuration <span className="hint">per node, at its applied index</span>
      </h2>
      <table>
        <thead>
          <tr>
            <th>node</th>
            <th>voters</th>
            <th>outgoing</th>
            <th>learners</th>
            <th>learners_next</th>
            <th>auto-leave</th>
            <th>pending</th>
            <th>peers file</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((node) => {
            const status = node.status;
            const config =
              node.inspection === null || status === null || !etcd
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
                  {!etcd
                    ? `none (configuration in the log, latest at ${status?.configIndex ?? 0})`
                    : peers === null
                      ? 'none'
                      : `@${peers.index}: ${peers.peers.map((peer) => `${peer.id}=${peer.address || '?'}`).join(', ')}`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
