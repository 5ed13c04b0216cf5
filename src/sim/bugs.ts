// The simulator's bug switches (`--bug NAME`): the engine's injected mistakes (src/raft/bugs.ts)
// plus two that live in the node host. All are off by default; each is a real Raft mistake the
// invariant or linearizability checkers must catch (bugs.test.ts shows a sweep finds each).
import { raftBugDescriptions, raftBugs, type RaftBug } from '../raft/bugs';

export const hostBugs = ['lease-no-clock-bound', 'apply-before-commit'] as const;

export type HostBug = (typeof hostBugs)[number];

export type BugName = RaftBug | HostBug;

export const bugNames: readonly BugName[] = [...raftBugs, ...hostBugs];

export const bugDescriptions: Record<BugName, string> = {
  ...raftBugDescriptions,
  'lease-no-clock-bound':
    "lease reads are served on CheckQuorum leadership alone (etcd's ReadOnlyLeaseBased), with no lease clock allowing for drift or pauses",
  'apply-before-commit':
    'the host applies entries (and answers clients) as soon as they are in its log, before they commit',
};

export function isBugName(name: string): name is BugName {
  return (bugNames as readonly string[]).includes(name);
}

/** The engine's share of a set of bug switches. */
export function raftBugsOf(bugs: readonly BugName[]): ReadonlySet<RaftBug> {
  return new Set(
    bugs.filter((bug): bug is RaftBug => (raftBugs as readonly string[]).includes(bug)),
  );
}

/** `raftlab run --bug list`: one line per bug. */
export function describeBugList(): string {
  const width = Math.max(...bugNames.map((name) => name.length));
  return (
    bugNames.map((name) => `${name.padEnd(width)}  ${bugDescriptions[name]}`).join('\n') + '\n'
  );
}
