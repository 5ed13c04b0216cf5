import { useEffect, useReducer, useRef } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { appStore, type AppState } from '../store/app-store';
import { publishingFrame } from '../store/run-actions';

/** Selects a slice of the store; the component re-renders only when that slice changes (shallowly). */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, useShallow(selector));
}

/** While playing, the panels other than the cluster view refresh at most this often (wall time). */
export const panelRefreshMs = 200;

/**
 * Subscribes `onChange` to the store, throttled while playing: the frames published by the play
 * loop are coalesced into at most one call per panelRefreshMs; any other change (pause, step,
 * seek, a filter) calls it at once, so what is on screen is exact whenever the run stands still.
 */
export function subscribeThrottled(onChange: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastMs = -Infinity;
  const flush = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    lastMs = performance.now();
    onChange();
  };
  const unsubscribe = appStore.subscribe((state) => {
    if (!state.playing || !publishingFrame()) return flush();
    if (timer !== null) return;
    const waitMs = lastMs + panelRefreshMs - performance.now();
    if (waitMs <= 0) flush();
    else timer = setTimeout(flush, waitMs);
  });
  return () => {
    unsubscribe();
    if (timer !== null) clearTimeout(timer);
  };
}

/**
 * Like useAppStore, but while playing the component re-renders at most once per panelRefreshMs:
 * for panels too costly to re-render on every frame (event log, logs, checkers).
 */
export function useThrottledAppStore<T>(selector: (state: AppState) => T): T {
  const select = useShallow(selector);
  const value = select(appStore.getState());
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  const selectRef = useRef(select);
  selectRef.current = select;
  const valueRef = useRef(value);
  valueRef.current = value;
  useEffect(() => {
    const check = (): void => {
      if (selectRef.current(appStore.getState()) !== valueRef.current) rerender();
    };
    check();
    return subscribeThrottled(check);
  }, []);
  return value;
}

/**
 * Draws on every store change, at most once per animation frame, without re-rendering React:
 * the way fast visuals (messages in flight, the timeline) follow the run. With `throttled`, the
 * play loop's frames are drawn at most once per panelRefreshMs (see subscribeThrottled).
 */
export function useFrameDrawing(draw: (state: AppState) => void, throttled = false): void {
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
    const unsubscribe = throttled ? subscribeThrottled(schedule) : appStore.subscribe(schedule);
    window.addEventListener('resize', schedule);
    return () => {
      unsubscribe();
      window.removeEventListener('resize', schedule);
      if (request !== null) cancelAnimationFrame(request);
    };
  }, [throttled]);
}
