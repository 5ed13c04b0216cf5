// A person's actions in a durable run (the app's node menu): crash the leader (§5.2: the others
// elect a new one), restart it (it recovers its log from its disk and catches up, §5.3), isolate
// and heal. Each is written as one `inject` line, and the same actions after the same events give
// the same transcript.
import { describe, expect, it } from 'vitest';
import type { NodeView } from '../../checker/invariants/node-view';
import type { NemesisAction } from '../nemesis/plan';
import { prepareDurableRun } from './durable-run';
import type { DurableSimulation } from './durable-simulation';

function start(lines: string[]): DurableSimulation {
  const { simulation } = prepareDurableRun({
    seed: 11,
    nodeCount: 3,
    timeMs: 20_000,
    nemesis: [],
    diskFaults: [],
  });
  simulation.onLine((line) => lines.push(line));
  return simulation;
}

async function stepUntil(
  simulation: DurableSimulation,
  done: (views: NodeView[]) => boolean,
  eventsMax = 20_000,
): Promise<void> {
  for (let i = 0; i < eventsMax; i++) {
    if (done(simulation.nodeViews())) return;
    if (!(await simulation.step())) break;
  }
  throw new Error('condition not reached');
}

const leaderOf = (views: NodeView[]): NodeView | undefined =>
  views.find((view) => view.up && view.role === 'leader');

describe('durable simulation interventions', () => {
  it('crashing the leader elects another (§5.2); the restarted node recovers from its disk and catches up (§5.3)', async () => {
    const lines: string[] = [];
    const simulation = start(lines);
    await stepUntil(simulation, (views) => (leaderOf(views)?.commit ?? 0) >= 3);
    const first = leaderOf(simulation.nodeViews())!;
    const crashLine = await simulation.inject({ kind: 'crash', node: first.id });
    expect(crashLine).toMatch(new RegExp(`^\\d+ inject crash ${first.id} now`));
    expect(lines[lines.length - 1]).toBe(crashLine);
    expect(simulation.nodeViews()[first.id - 1].up).toBe(false);
    await stepUntil(simulation, (views) => {
      const leader = leaderOf(views);
      return leader !== undefined && leader.id !== first.id && leader.term > first.term;
    });
    await stepUntil(simulation, (views) => (leaderOf(views)?.commit ?? 0) > first.commit + 2);
    expect(await simulation.inject({ kind: 'restart', node: first.id })).toMatch(
      / inject restart \d+/,
    );
    expect(simulation.nodeViews()[first.id - 1].up).toBe(true);
    await stepUntil(
      simulation,
      (views) =>
        views[first.id - 1].commit >= leaderOf(views)!.commit &&
        leaderOf(views)!.commit > first.commit + 2,
    );
    expect(simulation.violationFound).toBeNull();
    await simulation.terminate();
  }, 20_000);

  it('isolating a node and healing it are recorded, and the same actions at the same events replay the same transcript', async () => {
    const actions: [number, NemesisAction][] = [
      [300, { kind: 'partition', shape: { kind: 'isolate', node: 2 } }],
      [900, { kind: 'heal' }],
      [1_000, { kind: 'crash', node: 3 }],
      [1_400, { kind: 'restart', node: 3 }],
    ];
    const runOnce = async (): Promise<string[]> => {
      const lines: string[] = [];
      const simulation = start(lines);
      for (let event = 1; event <= 1_600; event++) {
        await simulation.step();
        for (const [after, action] of actions) if (after === event) await simulation.inject(action);
      }
      await simulation.terminate();
      return lines;
    };
    const first = await runOnce();
    expect(first.filter((line) => line.includes(' inject '))).toHaveLength(4);
    expect(
      first.some(
        (line) => / inject partition isolate 2/.test(line) || / inject partition .*2/.test(line),
      ),
    ).toBe(true);
    expect(await runOnce()).toEqual(first);
  }, 20_000);

  it('a campaign by hand: its pre-vote is refused while the leader is heard (PreVote, §9.6); a down node cannot campaign', async () => {
    const lines: string[] = [];
    const simulation = start(lines);
    await stepUntil(simulation, (views) => (leaderOf(views)?.commit ?? 0) >= 3);
    const first = leaderOf(simulation.nodeViews())!;
    const follower = simulation.nodeViews().find((view) => view.id !== first.id)!;
    expect(await simulation.inject({ kind: 'campaign', node: follower.id })).toMatch(
      new RegExp(`^\\d+ inject campaign ${follower.id} \\| MsgPreVote`),
    );
    for (let i = 0; i < 200; i++) await simulation.step();
    expect(leaderOf(simulation.nodeViews())).toMatchObject({ id: first.id, term: first.term });

    // A down node cannot campaign; the line says so.
    await simulation.inject({ kind: 'crash', node: first.id });
    expect(await simulation.inject({ kind: 'campaign', node: first.id })).toMatch(
      new RegExp(`inject campaign ${first.id} \\(down\\)$`),
    );
    expect(simulation.violationFound).toBeNull();
    await simulation.terminate();
  }, 20_000);
});
