import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { appStore, type AppState } from '../store/app-store';

/** Selects a slice of the store; the component re-renders only when that slice changes (shallowly). */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, useShallow(selector));
}

/**
 * Draws on every store change, at most once per animation frame, without re-rendering React:
 * the way fast visuals (messages in flight, the timeline) follow the run.
 */
export function useFrameDrawing(draw: (state: AppState) => void): void {
  const drawRef = useRef(draw);
  drawRef.current = draw;
  // A render may change what the drawing depends on (its size): draw once more after it.
  useEffect(() => {
    const request = requestAnimationFrame(() => drawRef.current(appStore.getState()));
    return () => cancelAnimationFrame(request);
  });
  useEffect(() => {
    let request: number | null = null;
    const schedule = (): void => {
      if (request !== null) return;
      request = requestAnimationFrame(() => {
        request = null;
        drawRef.current(appStore.getState());
      });
    };
    schedule();
    const unsubscribe = appStore.subscribe(schedule);
    window.addEventListener('resize', schedule);
    return () => {
      unsubscribe();
      window.removeEventListener('resize', schedule);
      if (request !== null) cancelAnimationFrame(request);
    };
  }, []);
}
