// For each bug switch a durable engine implements, the run options under which a sweep of seeds
// finds it (the in-memory searches' options, bug-search.ts, with longer runs where the durable
// engine needs them) and the seeds where a sweep from seed 1 first found it. durable-bugs.test.ts runs a few seeds ending at that one, with the bug
// on (one must fail) and off (all must pass); `raftlab run --bug list` prints the sweeps.
import { bugSearchOptions, describeFailure, type SearchOptions } from '../bug-search';
import type { BugName } from '../bugs';
import { diskFaultKinds, type DiskFaultKind } from './disk-faults';
import { runDurableSimulation, type DurableEngine } from './durable-run';

export interface DurableBugSearch {
  /**
   * The in-memory search's options, with the disk faults named (none unless a crash needs more
   * chances) and, where a bug needs more simulated time per seed, a longer run.
   */
  options: SearchOptions & { diskFaults: readonly DiskFaultKind[] };
  /** The first failing seed of a sweep from seed 1 (found offline with `raftlab sweep`). */
  firstFailingSeed: number;
}

const search = (
  bug: BugName,
  firstFailingSeed: number,
  diskFaults: readonly DiskFaultKind[] = [],
  overrides: Pick<SearchOptions, 'timeMs'> = {},
  base: SearchOptions = bugSearchOptions[bug],
): DurableBugSearch => ({
  options: { ...base, ...overrides, diskFaults },
  firstFailingSeed,
});

// The durable hosts' vote-before-persist sweeps keep the options their first failing seeds were
// found with; the in-memory search (bug-search.ts) has since moved to a short election timeout.
const voteBeforePersistDurable: SearchOptions = {
  nodeCount: 3,
  timeMs: 5_000,
  nemesis: ['crash', 'partition', 'latency'],
  nemesisSpeedup: 10,
};

export const durableBugSearches: Record<DurableEngine, Partial<Record<BugName, DurableBugSearch>>> = {
  hashicorp: {
    figure8: search('figure8', 5),
    // A crash must land within a tick of a granted vote: crashes at a later disk write help.
    'vote-before-persist': search('vote-before-persist', 170, diskFaultKinds, {}, voteBeforePersistDurable),
    'vote-no-uptodate-check': search('vote-no-uptodate-check', 1),
    'no-truncate-conflict': search('no-truncate-conflict', 1),
    'no-stepdown-higher-term': search('no-stepdown-higher-term', 16),
    'apply-before-commit': search('apply-before-commit', 1),
    'lease-no-clock-bound': search('lease-no-clock-bound', 392),
  },
  etcd: {
    // etcd's leader sends its own term's entry right behind the older term's it commits, so the
    // mistake shows only once several leaders' unreplicated tails have piled up: the bug fires as
    // often as in memory (about 1.5 times per 5 s seed), but a violation comes about once per
    // 4,000-6,000 simulated seconds on either simulator, so seeds run 60 s instead of 5 s.
    figure8: search('figure8', 18, [], { timeMs: 60_000 }),
    // As on hashicorp: a crash must land before the next tick persists the vote.
    'vote-before-persist': search('vote-before-persist', 235, diskFaultKinds, {}, voteBeforePersistDurable),
    'vote-no-uptodate-check': search('vote-no-uptodate-check', 1),
    'no-truncate-conflict': search('no-truncate-conflict', 5),
    'no-stepdown-higher-term': search('no-stepdown-higher-term', 64),
    'lease-no-clock-bound': search('lease-no-clock-bound', 226),
    'apply-before-commit': search('apply-before-commit', 1),
  },
};

export interface DurableBugSweep {
  /** The first failing seed, or null when every seed passed. */
  seed: number | null;
  failure: string | null;
}

/** Runs seeds first..last of `engine` with the bug's search options, stopping at the first failure. */
export async function sweepDurableBug(
  engine: DurableEngine,
  bug: BugName,
  options: { first: number; last: number; bugOn: boolean },
): Promise<DurableBugSweep> {
  const found = durableBugSearches[engine][bug];
  if (found === undefined) throw new Error(`no durable search for ${bug} on ${engine}`);
  for (let seed = options.first; seed <= options.last; seed++) {
    const report = await runDurableSimulation({ ...found.options, seed, engine, bugs: options.bugOn ? [bug] : [] });
    if (report.failed) return { seed, failure: describeFailure(report) };
  }
  return { seed: null, failure: null };
}
