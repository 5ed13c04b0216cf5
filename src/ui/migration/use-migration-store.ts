import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { migrationStore, type MigrationPageState } from './migration-store';

/** Selects a slice of the migration page's store; re-renders only when it changes (shallowly). */
export function useMigrationStore<T>(selector: (state: MigrationPageState) => T): T {
  return useStore(migrationStore, useShallow(selector));
}
