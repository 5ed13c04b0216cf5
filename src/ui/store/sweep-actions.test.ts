// The sweep's actions without a browser: workers run in-process, the store follows the progress,
// a failing seed opens with the sweep's options, and the URL carries those options.
import { describe, expect, it } from 'vitest';
import { runSweepJob } from '../sweep/sweep-protocol';
import type { SweepWorkerLike } from '../sweep/sweep-pool';
import { appStore } from './app-store';
import { newRun } from './run-actions';
import { openSweptSeed, setSweepOptions, startSweep } from './sweep-actions';
import { formatUrl, parseUrl } from './url';

function inProcessWorker(): SweepWorkerLike {
  const worker: SweepWorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage: (job) => queueMicrotask(() => worker.onmessage?.({ data: runSweepJob(job) })),
    terminate: () => {
      worker.onmessage = null;
    },
  };
  return worker;
}

describe('sweep actions', () => {
  it('sweeps with the current options and opens a failing seed with them', async () => {
    newRun({ seed: 1, nodeCount: 3, nemesis: ['partition', 'crash', 'loss'] });
    setSweepOptions({ firstSeed: 1, lastSeed: 6, timeMs: 2_000, bug: 'apply-before-commit' });
    startSweep(inProcessWorker);
    expect(appStore.getState().sweep).toMatchObject({ running: true, total: 6 });
    await new Promise<void>((resolve) => {
      const unsubscribe = appStore.subscribe((state) => {
        if (state.sweep.running) return;
        unsubscribe();
        resolve();
      });
    });
    const sweep = appStore.getState().sweep;
    expect(sweep.finished).toBe(6);
    expect(sweep.failures.length).toBe(sweep.failedCount);
    expect(sweep.failures.length).toBeGreaterThan(0);
    const seed = sweep.failures[0].seed;
    openSweptSeed(seed);
    const config = appStore.getState().config;
    expect(config).toMatchObject({ seed, nodeCount: 3, nemesis: ['partition', 'crash', 'loss'] });
    expect(config.options).toEqual({ timeMs: 2_000, bugs: ['apply-before-commit'] });
    expect(appStore.getState().eventCount).toBe(0);

    const search = formatUrl({ config, position: 0, interventions: [] });
    expect(search).toContain('time=2000');
    expect(search).toContain('bug=apply-before-commit');
    const parsed = parseUrl(search);
    expect(parsed.problems).toEqual([]);
    expect(parsed.config.options).toEqual(config.options);
  });

  it('says which bugs in a URL it does not know', () => {
    const parsed = parseUrl('?seed=3&bugs=nope');
    expect(parsed.problems[0]).toMatch(/bugs=nope ignored/);
    expect(parsed.config.options).toBeUndefined();
  });
});
