// The etcd host's own bug switch, named as the simulator's (src/sim/bugs.ts), off unless named in
// NodeInit.bugs. The engine-core switches (src/raft/bugs.ts: figure8, vote-before-persist, ...)
// go to RawNode unchanged; this one is a mistake in the host's Ready loop, where etcd leaves the
// apply to the application:
// - apply-before-commit: entries go to the state machine (and their clients are answered) as
//   soon as the Ready that carries them is persisted, before Raft hands them over as committed.

export const etcdHostBugs = ['apply-before-commit'] as const;

export type EtcdHostBug = (typeof etcdHostBugs)[number];

export function isEtcdHostBug(name: string): name is EtcdHostBug {
  return (etcdHostBugs as readonly string[]).includes(name);
}
