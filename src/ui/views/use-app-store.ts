// Narrow selection from the app store: components re-render only when what they read changes.
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { appStore, type AppState } from '../store/app-store';

export function useAppStore<Selected>(selector: (state: AppState) => Selected): Selected {
  return useStore(appStore, useShallow(selector));
}
