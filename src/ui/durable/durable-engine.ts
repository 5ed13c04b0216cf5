// What durable mode needs to know of the engine its nodes run (etcd's host or the HashiCorp-style
// one): the rest of the mode (the run, the session, rewinds, the trace, the node menu, the URL) is
// the same for both, since both hosts answer the same lockstep batches with the same status and
// observation shapes. Each engine names itself, says how its host makes writes durable, and how a
// persisted record reads; the storage view picks its per-engine section by `engine`.
import type { PersistedRecord } from '../../engines/host-types';
import { durableEngines, isDurableEngine, type DurableEngine } from '../../sim/durable/durable-run';

export interface DurableEngineUi {
  engine: DurableEngine;
  /** How the page names the engine. */
  label: string;
  /** Why the logs' unstable tail stays empty between events (the page's note). */
  durabilityNote: string;
  /** The unit of the host's output it makes durable before sending, singular and plural. */
  writeUnits: [string, string];
  /** What the node's last writing batch persisted, one phrase per record. */
  describeRecord(record: PersistedRecord): string[];
  /** What the written entries were until the write (after "until then the entries were"). */
  entriesBefore: string;
  /** The text of a log cell whose payload the status does not carry. */
  entryText: string;
}

function describeEntries(record: PersistedRecord): string[] {
  if (record.entries === null) return [];
  const { first, last, term } = record.entries;
  return [
    first === last
      ? `entry ${first} (term ${term})`
      : `entries ${first}–${last} (last term ${term})`,
  ];
}

function describeSnapshot(record: PersistedRecord): string[] {
  return record.snapshot === null
    ? []
    : [`snapshot ${record.snapshot.term}/${record.snapshot.index}`];
}

const etcd: DurableEngineUi = {
  engine: 'etcd',
  label: 'etcd',
  durabilityNote: 'the etcd host writes and fsyncs each Ready before its batch returns',
  writeUnits: ['Ready', 'Readies'],
  describeRecord: (record) => {
    const parts = [...describeSnapshot(record), ...describeEntries(record)];
    if (record.hardState !== null) {
      const { term, vote, commit } = record.hardState;
      parts.push(`HardState ${term}/${vote}/${commit}`);
    }
    return parts;
  },
  entriesBefore: "the engine's unstable tail",
  entryText: 'entry (payload in the WAL records)',
};

const hashicorp: DurableEngineUi = {
  engine: 'hashicorp',
  label: 'HashiCorp',
  durabilityNote:
    'the HashiCorp host makes every log store, stable store and snapshot write durable before its messages leave',
  writeUnits: ['store write', 'store writes'],
  describeRecord: (record) => {
    const parts = [...describeSnapshot(record), ...describeEntries(record)];
    // hashicorp's stable store keeps CurrentTerm and the vote; it persists no commit index.
    if (record.hardState !== null)
      parts.push(`stable store term=${record.hardState.term} vote=${record.hardState.vote}`);
    return parts;
  },
  entriesBefore:
    'only in memory: a leader stores new entries before it replicates them, a follower before it answers',
  entryText: 'entry (payload in the log store records)',
};

export const durableEngineUis: Record<DurableEngine, DurableEngineUi> = { etcd, hashicorp };

export function durableEngineUi(engine: DurableEngine | undefined): DurableEngineUi {
  return durableEngineUis[engine ?? 'etcd'];
}

/** The engine a page's `engine=` parameter names: etcd when absent; null when unknown. */
export function engineOfParameter(text: string | null): DurableEngine | null {
  if (text === null) return 'etcd';
  return isDurableEngine(text) ? text : null;
}

export { durableEngines, type DurableEngine };
