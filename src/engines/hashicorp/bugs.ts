// Deliberate mistakes in the HashiCorp-style engine, off by default, named as the simulator's bug
// switches (src/sim/bugs.ts) for the mistakes both engines can make. Each is an explicit branch
// in this engine's own code path (the correct one stays the default), so a durable sweep with
// `--engine hashicorp --bug NAME` shows the checkers catch it here too:
// - figure8: Commitment counts replicas of entries before the leader's first entry of its term;
// - vote-before-persist: requestVote answers before the vote reaches the stable store, which
//   gets it only at the next tick (a crash in between forgets it);
// - vote-no-uptodate-check: requestVote skips the candidate-log check (5.4.1);
// - no-truncate-conflict: storeEntries keeps a conflicting suffix and appends only past it;
// - no-stepdown-higher-term: a leader that hears of a higher term adopts it and stays leader;
// - apply-before-commit: entries go to the state machine (and clients are answered) as soon as
//   they are in the log.
// lease-no-clock-bound is not in this list: the engine's own leader lease only makes a leader
// step down (LeaderLeaseTimeout) and the host serves reads through the log. A durable run with
// --reads lease takes lease reads on the simulator's side of the host (src/sim/durable/
// durable-lease.ts), for either engine, and that is where the switch applies (durable-run.ts).

export const hashicorpBugs = [
  'figure8',
  'vote-before-persist',
  'vote-no-uptodate-check',
  'no-truncate-conflict',
  'no-stepdown-higher-term',
  'apply-before-commit',
] as const;

export type HashicorpBug = (typeof hashicorpBugs)[number];

export const noHashicorpBugs: ReadonlySet<HashicorpBug> = new Set();

export function isHashicorpBug(name: string): name is HashicorpBug {
  return (hashicorpBugs as readonly string[]).includes(name);
}

/** The names this engine implements, as a set; throws on any other name (the caller checked). */
export function hashicorpBugsOf(names: readonly string[] | undefined): ReadonlySet<HashicorpBug> {
  if (names === undefined || names.length === 0) return noHashicorpBugs;
  const unknown = names.filter((name) => !isHashicorpBug(name));
  if (unknown.length > 0) throw new RangeError(`the hashicorp engine has no bug switch ${unknown.join(', ')}`);
  return new Set(names as HashicorpBug[]);
}
