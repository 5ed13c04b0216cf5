// Storage: each node's data dir as its own process read it between batches (the UI never opens
// a node's IndexedDB itself): the engine marker, the bytes written since each file's last fsync
// (what a crash would lose), the node's last write, the files, and the engine's own stores: for
// etcd the WAL records, the last HardState, the snap files and the peers file; for the
// HashiCorp-style engine raft.db/ (the stable store's term and vote, the log store's records),
// snapshots/ and fsm.db/.
import type { DataDirInspection, HashicorpStoresInspection } from '../../worker/inspection';
import { useAppStore } from '../views/use-app-store';
import type { LastWrite } from './durable-app-run';
import { durableEngineUi, type DurableEngine, type DurableEngineUi } from './durable-engine';
import type { DurableNodeInfo } from './durable-slice';

const walRowsShown = 24;

export function StorageView() {
  const { nodes, inspectedAtEvent, eventCount, engine } = useAppStore((state) => ({
    nodes: state.durable?.nodes ?? [],
    engine: state.durable?.engine ?? 'etcd',
    inspectedAtEvent: state.durable?.inspectedAtEvent ?? null,
    eventCount: state.eventCount,
  }));
  return (
    <section
      className="panel storage-view"
      aria-label="Storage"
      data-testid="storage-view"
      data-inspected-event={inspectedAtEvent ?? ''}
      data-engine={engine}
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
          <NodeStorage key={node.id} node={node} engine={engine} />
        ))}
      </div>
    </section>
  );
}

function NodeStorage({ node, engine }: { node: DurableNodeInfo; engine: DurableEngine }) {
  const inspection = node.inspection;
  if (inspection === null)
    return (
      <article data-testid="node-storage" data-node-id={node.id}>
        node {node.id}: not read yet
      </article>
    );
  const engineUi = durableEngineUi(engine);
  const pendingTotal = inspection.pending.reduce((sum, item) => sum + item.bytes, 0);
  const stores = inspection.hashicorp;
  const hardState = inspection.hardState;
  const stable = stores?.stable ?? null;
  return (
    <article
      className="node-storage"
      data-testid="node-storage"
      data-node-id={node.id}
      data-hardstate={
        hardState === null ? '' : `${hardState.term}/${hardState.vote}/${hardState.commit}`
      }
      data-stable={stable === null ? '' : `${stable.currentTerm}/${voteOf(stable)}`}
      data-last-index={inspection.lastIndex}
      data-pending-bytes={pendingTotal}
    >
      <h3>
        node {node.id} {node.up ? '' : '(down)'}
      </h3>
      {stores === undefined ? (
        <EtcdStores inspection={inspection} />
      ) : (
        <HashicorpStores inspection={inspection} stores={stores} />
      )}
      <p className={pendingTotal > 0 ? 'pending' : 'hint'}>
        Not yet fsynced:{' '}
        {pendingTotal === 0
          ? `nothing (${engineUi.durabilityNote})`
          : inspection.pending.map((item) => `${item.path} ${item.bytes} bytes`).join(', ')}
      </p>
      <p className="hint" data-testid="last-write">
        Last write: {describeLastWrite(node.lastWrite, engineUi)}
      </p>
      <p>Snapshots: {describeSnapshots(inspection)}</p>
      <details>
        <summary>Files ({inspection.files.length})</summary>
        <pre>{inspection.lines.join('\n')}</pre>
      </details>
      {stores === undefined ? (
        <RecordList
          title="WAL records"
          count={inspection.walRecordCount}
          records={inspection.walRecords.map((record) => ({
            className: `wal-${record.kind}`,
            ...record,
          }))}
        />
      ) : (
        <RecordList
          title="Log store records (raft.db/logs.bin)"
          count={stores.logRecordCount}
          records={stores.logRecords.map((record) => ({
            className: `log-${record.kind}`,
            ...record,
          }))}
        />
      )}
      {inspection.problems.length > 0 && (
        <p className="problems">{inspection.problems.join('; ')}</p>
      )}
    </article>
  );
}

function voteOf(stable: NonNullable<HashicorpStoresInspection['stable']>): number {
  return stable.lastVoteTerm === stable.currentTerm ? stable.lastVoteCand : 0;
}

function EtcdStores({ inspection }: { inspection: DataDirInspection }) {
  const hardState = inspection.hardState;
  return (
    <>
      <p>
        HardState{' '}
        {hardState === null
          ? 'none yet'
          : `term=${hardState.term} vote=${hardState.vote} commit=${hardState.commit}`}{' '}
        · last entry {inspection.lastTerm}/{inspection.lastIndex} · marker{' '}
        {inspection.marker ?? 'none'}
      </p>
      <p>
        Peers file:{' '}
        {inspection.peers === null
          ? 'none'
          : `index ${inspection.peers.index}: ${inspection.peers.peers.map((peer) => `${peer.id}=${peer.address || '(no address)'}`).join(', ')}`}
      </p>
    </>
  );
}

function HashicorpStores({
  inspection,
  stores,
}: {
  inspection: DataDirInspection;
  stores: HashicorpStoresInspection;
}) {
  const stable = stores.stable;
  return (
    <>
      <p data-testid="stable-store">
        Stable store (raft.db/stable.bin){' '}
        {stable === null
          ? 'none yet'
          : `CurrentTerm=${stable.currentTerm} LastVoteTerm=${stable.lastVoteTerm} LastVoteCand=${stable.lastVoteCand}`}{' '}
        · marker {inspection.marker ?? 'none'}
      </p>
      <p data-testid="log-store">
        Log store (raft.db/logs.bin){' '}
        {stores.firstIndex === 0
          ? 'no entries'
          : `entries ${stores.firstIndex}–${stores.lastStoredIndex}`}{' '}
        · last entry {inspection.lastTerm}/{inspection.lastIndex} · no commit index stored
        (relearned from the leader)
      </p>
      <p data-testid="fsm-store">
        fsm.db:{' '}
        {stores.fsm === null
          ? 'none (written by a graceful stop, as before a migration)'
          : `the state machine at applied index ${stores.fsm.appliedIndex} (${stores.fsm.bytes} bytes)`}
      </p>
    </>
  );
}

function describeSnapshots(inspection: DataDirInspection): string {
  if (inspection.snapshots.length === 0) return 'none';
  return inspection.snapshots
    .map((snapshot) => {
      const { voters, learners } = snapshot.confState;
      const nonvoters =
        inspection.hashicorp === undefined || learners.length === 0
          ? ''
          : ` nonvoters [${learners.join(' ')}]`;
      return `${snapshot.term}/${snapshot.index} voters [${voters.join(' ')}]${nonvoters}`;
    })
    .join(', ');
}

function RecordList({
  title,
  count,
  records,
}: {
  title: string;
  count: number;
  records: readonly { className: string; kind: string; text: string }[];
}) {
  return (
    <details open>
      <summary>
        {title} (last {Math.min(walRowsShown, records.length)} of {count})
      </summary>
      <ol className="wal-records">
        {records.slice(-walRowsShown).map((record, i) => (
          <li key={i} className={record.className}>
            <code>{record.kind}</code> {record.text}
          </li>
        ))}
      </ol>
    </details>
  );
}

/** What a node's last writing batch made durable: the entries that were its unstable tail until then. */
export function describeLastWrite(
  write: LastWrite | null,
  engineUi: DurableEngineUi = durableEngineUi('etcd'),
): string {
  if (write === null) return 'none in this page';
  const parts = write.records.flatMap((record) => engineUi.describeRecord(record));
  const [one, many] = engineUi.writeUnits;
  const units = write.records.length === 1 ? `one ${one}` : `${write.records.length} ${many}`;
  const entries = write.records.some((record) => record.entries !== null);
  const tail = entries ? ` (until then the entries were ${engineUi.entriesBefore})` : '';
  return `at ${write.atMs} ms, ${parts.join(', ') || 'nothing new'}: ${units}, each written and fsynced before its messages were sent${tail}`;
}
