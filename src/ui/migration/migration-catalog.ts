// The built-in migration scenarios by name, title and caption: what the scenario picker and the
// URL need, kept apart from the scenarios' code (migration-scenarios.ts) so the main page can
// list them without loading the migration engine.
export const migrationScenarioIds = ['migration', 'migration-crash', 'bug-member-dir', 'bug-no-peers-file', 'mixed-dir-refused', 'migration-rollback'] as const;
export type MigrationScenarioId = (typeof migrationScenarioIds)[number];

export interface MigrationScenarioInfo {
  id: MigrationScenarioId;
  title: string;
  caption: string;
}

export const migrationScenarios: readonly MigrationScenarioInfo[] = [
  { id: 'migration', title: 'Migration end to end', caption: 'A HashiCorp-engine cluster under client load is stopped, converted node by node, restarted on etcd and validated; every acknowledged write is read back on every node.' },
  { id: 'migration-crash', title: 'Crash mid-migration, then recovery', caption: "n2's machine loses power while its dir is half converted (etcd files in, raft.db not yet archived). The dir is mixed, so neither engine may start it; a rerun finishes the archive into the same backup and the migration completes." },
  { id: 'bug-member-dir', title: 'Bug: the orchestrator moves member/', caption: 'Post-merge bug 1 switched on: the script moves a member/ dir the migrator never created. The move fails, the migration aborts and n1 stays on hashicorp.' },
  { id: 'bug-no-peers-file', title: 'Bug: nodes start without the peers file', caption: 'Post-merge bug 2 switched on: the peers file is left behind, every node falls back to a one-node configuration and elects itself. Election safety catches the split brain.' },
  { id: 'migration-rollback', title: 'Migration, then rollback', caption: 'After the migration the operator rolls back: every node stops, its hashicorp-backup is put back (the etcd files set aside, never deleted), and the cluster restarts on hashicorp. Every write from before the migration is there; the writes taken on etcd afterwards are not, since the backup predates them.' },
  { id: 'mixed-dir-refused', title: 'Engine switch refused on a mixed dir', caption: "A crash leaves n2's dir holding both engines' files. Starting it on etcd or on hashicorp is refused by the engine-switch safety check, with its message." },
];

export function isMigrationScenarioId(text: string): text is MigrationScenarioId {
  return (migrationScenarioIds as readonly string[]).includes(text);
}
