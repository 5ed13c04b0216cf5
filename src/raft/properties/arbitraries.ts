// fast-check generators for random cluster runs. The weights favour delivery and Ready handling,
// so that runs make progress between faults; campaigns and crashes are frequent enough that two
// candidates of one term and a crash between two votes happen within a few hundred runs (the
// broken-host tests below rely on that to show the checker's power).
import fc from 'fast-check';
import { noLimit } from '../config';
import type { Operation } from './operations';
import type { RunOptions } from './run-cluster';

/** The longest run, in operations; fast-check shrinks failing runs towards fewer. */
export const operationsMax = 1000;

const node = fc.nat({ max: 15 });
const pick = fc.nat({ max: 1 << 16 });

const tickOne = fc
  .record({ node, count: fc.integer({ min: 1, max: 6 }) })
  .map((o) => ({ kind: 'tick', ...o }) as const);

const confChange = fc
  .record({
    change: fc.constantFrom('add-voter', 'remove-voter', 'add-learner', 'promote', 'demote'),
    pick,
    style: fc.constantFrom('v1', 'v2', 'joint', 'joint-explicit'),
  })
  .map((o) => ({ kind: 'conf-change', ...o }) as const);

export const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 20, arbitrary: pick.map((p) => ({ kind: 'deliver-early', pick: p }) as const) },
  { weight: 8, arbitrary: pick.map((p) => ({ kind: 'deliver', pick: p }) as const) },
  { weight: 16, arbitrary: node.map((n) => ({ kind: 'ready', node: n }) as const) },
  { weight: 4, arbitrary: tickOne },
  {
    weight: 5,
    arbitrary: fc
      .integer({ min: 1, max: 3 })
      .map((count) => ({ kind: 'tick-all', count }) as const),
  },
  { weight: 12, arbitrary: fc.constant({ kind: 'flush' } as const) },
  { weight: 3, arbitrary: fc.constant({ kind: 'stabilize' } as const) },
  { weight: 10, arbitrary: node.map((n) => ({ kind: 'propose', node: n }) as const) },
  { weight: 4, arbitrary: node.map((n) => ({ kind: 'read', node: n }) as const) },
  { weight: 4, arbitrary: pick.map((p) => ({ kind: 'drop', pick: p }) as const) },
  { weight: 3, arbitrary: pick.map((p) => ({ kind: 'duplicate', pick: p }) as const) },
  { weight: 6, arbitrary: node.map((n) => ({ kind: 'campaign', node: n }) as const) },
  { weight: 5, arbitrary: node.map((n) => ({ kind: 'crash', node: n }) as const) },
  { weight: 3, arbitrary: node.map((n) => ({ kind: 'ready-then-crash', node: n }) as const) },
  { weight: 1, arbitrary: node.map((n) => ({ kind: 'isolate', node: n }) as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'heal' } as const) },
  { weight: 2, arbitrary: node.map((n) => ({ kind: 'compact', node: n }) as const) },
  { weight: 4, arbitrary: confChange },
  { weight: 1, arbitrary: fc.constant({ kind: 'leave-joint' } as const) },
);

export const operationsArbitrary = fc.array(operationArbitrary, {
  minLength: 1,
  maxLength: operationsMax,
  size: 'max',
});

export const runOptionsArbitrary: fc.Arbitrary<RunOptions> = fc.record({
  voterCount: fc.integer({ min: 3, max: 5 }),
  withLearner: fc.boolean(),
  seed: fc.nat({ max: 1_000_000 }),
  electionTick: fc.integer({ min: 3, max: 10 }),
  preVote: fc.boolean(),
  checkQuorum: fc.boolean(),
  maxSizePerMsg: fc.constantFrom(0, 64, noLimit),
  maxCommittedSizePerReady: fc.constantFrom(1, 64, noLimit),
  maxInflightMsgs: fc.constantFrom(1, 3, 256),
  startWithLeader: fc.option(node, { nil: null }),
});
