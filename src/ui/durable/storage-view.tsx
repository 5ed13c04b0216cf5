// Storage: each node's data dir as its own process read it between batches (the UI never opens
// a node's IndexedDB itself): WAL records, the last HardState, snapshots, the peers file, the
// engine marker, and the bytes written since each file's last fsync (what a crash would lose).
import { useAppStore } from '../views/use-app-store';
import type { LastWrite } from './durable-app-run';
import type { DurableNodeInfo } from './durable-slice';

const walRowsShown = 24;

export function StorageView() {
  const { nodes, inspectedAtEvent, eventCount } = useAppStore((state) => ({
    nodes: state.durable?.nodes ?? [],
    inspectedAtEvent: state.durable?.inspectedAtEvent ?? null,
    eventCount: state.eventCount,
  }));
  return (
    <section
      className="panel storage-view"
      aria-label="Storage"
      data-testid="storage-view"
      data-inspected-event={inspectedAtEvent ?? ''}
    >
      <h2>
        Storage{' '}
        <span className="hint">
          {inspectedAtEvent === null
            ? 'not read yet'
            : `read after event ${inspectedAtEvent}${inspectedAtEvent === eventCount ? '' : ` (now ${eventCount}; read again when the run stands still)`}`}
        </span>
      </h2>
      <div className="storage-nodes">
        {nodes.map((node) => (
          <NodeStorage key={node.id} node={node} />
        ))}
      </div>
    </section>
  );
}

function NodeStorage({ node }: { node: DurableNodeInfo }) {
  const inspection = node.inspection;
  if (inspection === null)
    return (
      <article data-testid="node-storage" data-node-id={node.id}>
        node {node.id}: not read yet
      </article>
    );
  const hardState = inspection.hardState;
  const pendingTotal = inspection.pending.reduce((sum, item) => sum + item.bytes, 0);
  return (
    <article
      className="node-storage"
      data-testid="node-storage"
      data-node-id={node.id}
      data-hardstate={
        hardState === null ? '' : `${hardState.term}/${hardState.vote}/${hardState.commit}`
      }
      data-last-index={inspection.lastIndex}
      data-pending-bytes={pendingTotal}
    >
      <h3>
        node {node.id} {node.up ? '' : '(down)'}
      </h3>
      <p>
        HardState{' '}
        {hardState === null
          ? 'none yet'
          : `term=${hardState.term} vote=${hardState.vote} commit=${hardState.commit}`}{' '}
        · last entry {inspection.lastTerm}/{inspection.lastIndex} · marker{' '}
        {inspection.marker ?? 'none'}
      </p>
      <p className={pendingTotal > 0 ? 'pending' : 'hint'}>
        Not yet fsynced:{' '}
        {pendingTotal === 0
          ? 'nothing (the host fsyncs each Ready before its batch returns)'
          : inspection.pending.map((item) => `${item.path} ${item.bytes} bytes`).join(', ')}
      </p>
      <p className="hint" data-testid="last-write">
        Last write: {describeLastWrite(node.lastWrite)}
      </p>
      <p>
        Peers file:{' '}
        {inspection.peers === null
          ? 'none'
          : `index ${inspection.peers.index}: ${inspection.peers.peers.map((peer) => `${peer.id}=${peer.address || '(no address)'}`).join(', ')}`}
      </p>
      <p>
        Snapshots:{' '}
        {inspection.snapshots.length === 0
          ? 'none'
          : inspection.snapshots
              .map(
                (snapshot) =>
                  `${snapshot.term}/${snapshot.index} voters [${snapshot.confState.voters.join(' ')}]`,
              )
              .join(', ')}
      </p>
      <details>
        <summary>Files ({inspection.files.length})</summary>
        <pre>{inspection.lines.join('\n')}</pre>
      </details>
      <details open>
        <summary>
          WAL records (last {Math.min(walRowsShown, inspection.walRecords.length)} of{' '}
          {inspection.walRecordCount})
        </summary>
        <ol className="wal-records">
          {inspection.walRecords.slice(-walRowsShown).map((record, i) => (
            <li key={i} className={`wal-${record.kind}`}>
              <code>{record.kind}</code> {record.text}
            </li>
          ))}
        </ol>
      </details>
      {inspection.problems.length > 0 && (
        <p className="problems">{inspection.problems.join('; ')}</p>
      )}
    </article>
  );
}

/** What a node's last writing batch made durable: the entries that were its unstable tail until then. */
export function describeLastWrite(write: LastWrite | null): string {
  if (write === null) return 'none in this page';
  const parts: string[] = [];
  for (const record of write.records) {
    if (record.snapshot !== null)
      parts.push(`snapshot ${record.snapshot.term}/${record.snapshot.index}`);
    if (record.entries !== null) {
      const { first, last, term } = record.entries;
      parts.push(
        first === last
          ? `entry ${first} (term ${term})`
          : `entries ${first}–${last} (last term ${term})`,
      );
    }
    if (record.hardState !== null) {
      const { term, vote, commit } = record.hardState;
      parts.push(`HardState ${term}/${vote}/${commit}`);
    }
  }
  const readies = write.records.length === 1 ? 'one Ready' : `${write.records.length} Readies`;
  const entries = write.records.some((record) => record.entries !== null);
  const tail = entries ? " (until then the entries were the engine's unstable tail)" : '';
  return `at ${write.atMs} ms, ${parts.join(', ') || 'nothing new'}: ${readies}, each written and fsynced before its messages were sent${tail}`;
}
