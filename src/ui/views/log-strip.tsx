import type { NodeId, Term } from '../../raft/types';
import type { LogEntrySnapshot } from '../../sim/node-snapshot';
import { useAppStore } from './use-app-store';

/** A distinct, stable colour per term: golden-angle hue steps keep neighbouring terms apart. */
export function termColor(term: Term): string {
  return `hsl(${Math.round((term * 137.508) % 360)} 62% 52%)`;
}

export function LogStrip({ id, commit }: { id: NodeId; commit: number }) {
  const { log, snapshotIndex } = useAppStore((state) => {
    const node = state.cluster.nodes.find((candidate) => candidate.id === id);
    return {
      log: node?.log ?? ([] as LogEntrySnapshot[]),
      snapshotIndex: node?.snapshotIndex ?? 0,
    };
  });
  const hiddenBefore = log.length > 0 ? log[0].index - 1 : snapshotIndex;
  return (
    <ol className="log" data-testid={`node-${id}-log`} aria-label={`Node ${id} log`}>
      {hiddenBefore > 0 && (
        <li
          className="entry elided"
          title={`entries up to ${hiddenBefore} are in the snapshot or scrolled off`}
        >
          <span className="entry-index">≤{hiddenBefore}</span>
          <span className="entry-data">…</span>
        </li>
      )}
      {log.map((entry) => (
        <li
          key={entry.index}
          className={entry.index <= commit ? 'entry committed' : 'entry'}
          style={{ backgroundColor: termColor(entry.term) }}
          title={`index ${entry.index}, term ${entry.term}${entry.dataText ? `, data ${entry.dataText}` : ' (empty)'}`}
        >
          <span className="entry-index">{entry.index}</span>
          <span className="entry-data">{entry.dataText || '·'}</span>
        </li>
      ))}
    </ol>
  );
}
