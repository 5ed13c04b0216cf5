// Deliberate Raft mistakes, off by default, that the simulator's checkers must catch. Each is an
// explicit injection point in the engine: the correct code path stays the default, and the
// faulty one runs only when a caller names the bug in Config.bugs. They exist so that a test can
// show a sweep of seeds finds each mistake, which is the evidence that the checkers work.

export const raftBugs = [
  'figure8',
  'vote-before-persist',
  'vote-no-uptodate-check',
  'no-truncate-conflict',
  'no-stepdown-higher-term',
] as const;

export type RaftBug = (typeof raftBugs)[number];

/** One line per bug, for `raftlab run --bug list`. */
export const raftBugDescriptions: Record<RaftBug, string> = {
  figure8:
    "a leader commits an earlier term's entry once a quorum holds it (Raft paper 5.4.2, Figure 8)",
  'vote-before-persist':
    'a vote is answered at once but reaches the HardState only at the next tick, so a crash forgets it',
  'vote-no-uptodate-check':
    "votes are granted without checking the candidate's log is up to date (5.4.1)",
  'no-truncate-conflict':
    'a follower keeps its conflicting entries and appends only past its last index (5.3)',
  'no-stepdown-higher-term': 'a leader adopts a higher term it hears of but stays leader (5.1)',
};

export const noRaftBugs: ReadonlySet<RaftBug> = new Set();

export function isRaftBug(name: string): name is RaftBug {
  return (raftBugs as readonly string[]).includes(name);
}
