import { describe, expect, it } from 'vitest';
import { formatUrl, parseUrl } from '../store/url';
import { AppRun, type RunConfig } from './app-run';

const config: RunConfig = { seed: 3, nodeCount: 3, nemesis: [] };
const lines = (run: AppRun, from: number, to: number): string[] =>
  run.trace.events.slice(from, to).map((event) => event.line);

describe('forking a new future from a past point', () => {
  it('keeps the past, drops the recorded future, and goes another way', () => {
    const run = new AppRun(config);
    run.seek(3_000);
    const recorded = lines(run, 0, 3_000);
    run.seek(1_000);
    expect(run.future()).toEqual({ number: 1, count: 1, forkedAtEvent: null });
    expect(run.trace.eventCount).toBe(3_000);
    expect(run.fork()).toMatch(/ inject fork-workload 2$/);
    expect(run.future()).toEqual({ number: 2, count: 2, forkedAtEvent: 1_000 });
    expect(run.trace.eventCount).toBe(1_000);
    run.seek(3_000);
    expect(lines(run, 0, 1_000)).toEqual(recorded.slice(0, 1_000));
    expect(lines(run, 1_000, 3_000)).not.toEqual(recorded.slice(1_000));
    expect(run.violation).toBeNull();

    // Behind the fork, the cursor is on the seed's future, with the fork ahead.
    run.seek(500);
    expect(run.future()).toEqual({ number: 1, count: 2, forkedAtEvent: null });
    run.seek(3_000);
    expect(run.future().number).toBe(2);
  });

  it('a shared URL reproduces the fork: same events, same future', () => {
    const run = new AppRun(config);
    run.seek(800);
    run.fork();
    run.seek(1_200);
    run.fork();
    run.seek(2_000);
    const url = formatUrl({ config, position: 2_000, interventions: run.interventionList });
    expect(url).toContain('inject=800%3Afork%3A2%7E1200%3Afork%3A3');
    const shared = parseUrl(url);
    expect(shared.problems).toEqual([]);
    const again = new AppRun(shared.config, shared.interventions);
    again.seek(shared.position!);
    expect(lines(again, 0, 2_000)).toEqual(lines(run, 0, 2_000));
    expect(again.future()).toEqual({ number: 3, count: 3, forkedAtEvent: 1_200 });
  });
});
