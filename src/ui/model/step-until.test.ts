import { describe, expect, it } from 'vitest';
import { AppRun } from './app-run';
import { stepUntil } from './step-until';

const config = { seed: 7, nodeCount: 3, nemesis: [] };

describe('stepUntil', () => {
  it('stops at the first delivered message', () => {
    const run = new AppRun(config);
    const result = stepUntil(run, 'message');
    expect(result.found).toBe(true);
    const event = run.trace.events[run.eventCount - 1];
    expect(event.kind).toBe('deliver');
    expect(
      run.trace.events.slice(0, run.eventCount - 1).some((item) => item.kind === 'deliver'),
    ).toBe(false);
  });

  it('stops at the event a leader is elected (Raft §5.2), and again after a rewind', () => {
    const run = new AppRun(config);
    const result = stepUntil(run, 'election');
    expect(result).toMatchObject({ found: true, eventCount: run.eventCount });
    const leaders = () => run.nodeStates().filter((node) => node.role === 'leader');
    expect(leaders()).toHaveLength(1);
    const at = run.eventCount;
    run.seek(at - 1);
    expect(leaders()).toHaveLength(0);
    // Replaying the same stretch (the trace already knows it) finds the same event.
    expect(stepUntil(run, 'election')).toMatchObject({ found: true, eventCount: at, steps: 1 });
  });

  it('stops where a commit index rises (Raft §5.3)', () => {
    const run = new AppRun(config);
    stepUntil(run, 'election');
    const before = run.nodeStates().map((node) => node.commit);
    expect(stepUntil(run, 'commit').found).toBe(true);
    const after = run.nodeStates().map((node) => node.commit);
    expect(after.some((commit, i) => commit > before[i])).toBe(true);
    run.seek(run.eventCount - 1);
    expect(run.nodeStates().map((node) => node.commit)).toEqual(before);
  });

  it('gives up after its bound, saying so', () => {
    const run = new AppRun(config);
    expect(stepUntil(run, 'election', 3)).toEqual({
      found: false,
      kind: 'election',
      steps: 3,
      reason: 'no election within 3 events',
    });
    expect(run.eventCount).toBe(3);
  });
});
