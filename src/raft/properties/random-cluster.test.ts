// Random clusters of RawNodes under a hostile network, crashes and membership changes, checked
// after every step against the Raft safety properties (Raft paper Figure 3). On a failure
// fast-check prints the seed, the path and the shrunk run, and the error names the step:
//   RAFTLAB_PROPERTY_SEED=<seed> RAFTLAB_PROPERTY_PATH=<path> npx vitest run src/raft/properties
// replays it; RAFTLAB_PROPERTY_RUNS=<n> runs more cases (CI runs the default).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { operationsArbitrary, runOptionsArbitrary } from './arbitraries';
import { runCluster } from './run-cluster';
import type { ClusterOptions } from './cluster-host';

const numRuns = Number(process.env.RAFTLAB_PROPERTY_RUNS ?? 400);
const seed =
  process.env.RAFTLAB_PROPERTY_SEED === undefined
    ? undefined
    : Number(process.env.RAFTLAB_PROPERTY_SEED);
const path = process.env.RAFTLAB_PROPERTY_PATH;
const verbose = process.env.RAFTLAB_PROPERTY_VERBOSE !== undefined;
/** Long local runs need more than vitest's limit; a run takes about 10 ms. */
const timeoutMs = Math.max(120_000, numRuns * 50);

describe('random clusters keep the Raft safety properties (Figure 3)', () => {
  it(
    'Election Safety, Log Matching, Leader Completeness, State Machine Safety, commit and apply order after every step',
    () => {
      let commits = 0;
      let runsWithLeader = 0;
      let runsWithConfChange = 0;
      fc.assert(
        fc.property(runOptionsArbitrary, operationsArbitrary, (options, operations) => {
          const summary = runCluster(options, operations);
          if (verbose) console.log(JSON.stringify({ steps: operations.length, ...summary }));
          commits += summary.commits;
          if (summary.stepsWithLeader > 0) runsWithLeader++;
          if (summary.stats.confChangesApplied > 0) runsWithConfChange++;
        }),
        { numRuns, seed, path, endOnFailure: path !== undefined, includeErrorInReport: true },
      );
      // The runs must reach the cases they are for: leaders, commits, membership changes.
      if (seed === undefined) {
        expect(runsWithLeader).toBeGreaterThan(numRuns * 0.8);
        expect(runsWithConfChange).toBeGreaterThan(numRuns * 0.5);
        expect(commits / numRuns).toBeGreaterThan(15);
      }
    },
    timeoutMs,
  );
});

/** Runs the property with changed options (a broken host) and returns fast-check's report. */
function reportWith(change: Partial<ClusterOptions>): string {
  const brokenOptions = runOptionsArbitrary.map((options) => ({ ...options, ...change }));
  try {
    fc.assert(
      fc.property(brokenOptions, operationsArbitrary, (options, operations) => {
        runCluster(options, operations);
      }),
      // Deterministic for a given seed; a failure is expected within a few hundred runs, and
      // the limit leaves room for changes to the generators.
      { numRuns: 3000, seed: 2, endOnFailure: true, includeErrorInReport: true },
    );
  } catch (error) {
    return String(error);
  }
  return 'no failure found';
}

describe('the checker catches a broken host, and reports the seed and path to replay it', () => {
  it('a host that forgets its vote across a crash lets two leaders win one term (Election Safety)', () => {
    const report = reportWith({ hostFault: 'forget-vote' });
    expect(report).toMatch(/seed: 2, path: "[0-9:]+"/);
    expect(report).toMatch(/Election Safety: nodes \d+ and \d+ are both leaders of term \d+/);
  });

  it("a host that sends a Ready's messages before persisting it loses acknowledged entries", () => {
    const report = reportWith({ hostFault: 'send-before-persist' });
    expect(report).toMatch(/seed: 2, path: "[0-9:]+"/);
    expect(report).toMatch(/step \d+ \(/);
  });

  // etcd's lease outlives the followers' (etcd-io/raft#166; testdata/interaction/read_index_lease_stale.txt),
  // and the nodes' ticks drift freely here: lease reads go stale, safe reads (the main property) never.
  it('lease-based reads can be stale (thesis 6.4.1 caveat), which the read check catches', () => {
    const report = reportWith({ leaseBasedReads: true });
    expect(report).toMatch(/seed: 2, path: "[0-9:]+"/);
    expect(report).toMatch(
      /ReadIndex: node \d+ answered read r\d+ at index \d+, but \d+ was committed/,
    );
  });
});
