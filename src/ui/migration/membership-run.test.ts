// The membership side by side: the same script of membership changes on an etcd-engine and a
// HashiCorp-engine cluster in lockstep (Raft dissertation 4: one server at a time, 4.3 joint
// consensus; 4.2.1 catching up new servers; 3.10 / 4.2.2 removing the leader).
import { describe, expect, it } from 'vitest';
import { frameMs } from './side-by-side';
import { membershipRun, type MembershipRun } from './membership-run';
import { formatScriptSteps, membershipScenarios, parseScriptSteps } from './membership-scenarios';

async function played(id: string, seed = 1): Promise<MembershipRun> {
  const run = membershipRun(id, seed);
  await run.recordUntil(run.durationMs);
  expect(run.done).toBe(true);
  return run;
}

function lastPanes(run: MembershipRun) {
  const [etcd, hashicorp] = run.frames[run.frames.length - 1].panes;
  return { etcd, hashicorp };
}

function logTexts(run: MembershipRun, engine: 'etcd' | 'hashicorp', kind?: string): string[] {
  return run.paneLog(engine).filter((line) => kind === undefined || line.kind === kind).map((line) => line.text);
}

describe('membership side by side', () => {
  it('4.2.1 adds a learner/nonvoter under load, promotes it, adds a voter; both catch up from a snapshot', async () => {
    const run = await played('add-under-load');
    for (const frame of run.frames) {
      expect(frame.panes.map((pane) => pane.engine)).toEqual(['etcd', 'hashicorp']);
      for (const pane of frame.panes) expect(pane.nowMs).toBe(frame.timeMs);
    }
    const { etcd, hashicorp } = lastPanes(run);
    for (const pane of [etcd, hashicorp]) {
      expect(pane.nodes.map((node) => node.configRole)).toEqual(['voter', 'voter', 'voter', 'voter', 'voter']);
      const catchUps = pane.membership.catchUps;
      expect(catchUps.map((catchUp) => [catchUp.node, catchUp.reason])).toEqual([[4, 'added'], [5, 'added']]);
      for (const catchUp of catchUps) {
        expect(catchUp.doneMs, pane.engine).not.toBeNull();
        expect(catchUp.snapshots, pane.engine).toBeGreaterThan(0);
      }
      expect(pane.membership.writes.ok).toBeGreaterThan(150);
    }
    // While node 4 waited as a learner (etcd) / nonvoter (HashiCorp), it was not a voter.
    const learning = run.frameAt(1_200);
    expect(learning.panes[0].nodes[3].configRole).toBe('learner');
    expect(learning.panes[1].nodes[3].configRole).toBe('nonvoter');
    expect(logTexts(run, 'etcd', 'action').some((text) => text.includes('addLearner 4 (ConfChangeAddLearnerNode)'))).toBe(true);
    expect(logTexts(run, 'hashicorp', 'action').some((text) => text.includes('AddNonvoter 4'))).toBe(true);
    // HashiCorp uses a configuration once appended: for a while (shorter than a frame) its latest is not committed.
    const configurations = logTexts(run, 'hashicorp', 'configuration');
    expect(configurations).toContain('latest (index 87): voters 1 2 3 4, nonvoters - | committed (index 36): voters 1 2 3, nonvoters 4');
    expect(configurations).toContain('latest (index 87): voters 1 2 3 4, nonvoters - | committed (index 87): voters 1 2 3 4, nonvoters -');
  });

  it('4.2.1 a server added to a quiet cluster: etcd sends a snapshot (its log starts after the bootstrap snapshot), HashiCorp the log', async () => {
    const run = await played('add-quiet');
    const { etcd, hashicorp } = lastPanes(run);
    expect(etcd.membership.catchUps).toMatchObject([{ node: 4, reason: 'added', doneMs: expect.any(Number) }]);
    expect(etcd.membership.catchUps[0].snapshots).toBeGreaterThan(0);
    expect(hashicorp.membership.catchUps).toMatchObject([{ node: 4, reason: 'added', doneMs: expect.any(Number), snapshots: 0 }]);
    for (const pane of [etcd, hashicorp]) expect(pane.nodes.map((node) => node.configRole)).toEqual(['voter', 'voter', 'voter', 'voter']);
  });

  it('4.3 replaces a server: etcd goes through joint consensus, HashiCorp through two single changes', async () => {
    const run = await played('replace-server');
    const { etcd, hashicorp } = lastPanes(run);
    for (const pane of [etcd, hashicorp]) {
      const voters = pane.nodes.filter((node) => node.configRole === 'voter').map((node) => node.id);
      expect(voters, pane.engine).toHaveLength(3);
      expect(voters, pane.engine).toContain(4);
    }
    const etcdConfigurations = logTexts(run, 'etcd', 'configuration');
    const joint = etcdConfigurations.findIndex((text) => /^voters=\(\d \d 4\)&&\(1 2 3\) autoleave · applied at index \d+ \(joint consensus\)$/.test(text));
    expect(joint, etcdConfigurations.join('\n')).toBeGreaterThan(0);
    expect(etcdConfigurations[joint + 1]).toMatch(/^voters=\(\d \d 4\) · applied at index \d+$/);
    expect(logTexts(run, 'hashicorp', 'configuration').some((text) => text.includes('&&'))).toBe(false);
    // The strips colour each configuration by its state: joint on etcd, latest-not-committed on HashiCorp.
    const states = (engine: 'etcd' | 'hashicorp') => run.paneLog(engine).filter((line) => line.kind === 'configuration').map((line) => line.state);
    expect(states('etcd')).toContain('joint');
    expect(states('etcd')).not.toContain('uncommitted');
    expect(states('hashicorp')).toContain('uncommitted');
    expect(states('hashicorp')).not.toContain('joint');
    expect(run.frames.some((frame) => frame.panes[1].membership.configuration?.joint === true)).toBe(false);
    const answers = logTexts(run, 'hashicorp', 'answer');
    expect(answers[0]).toMatch(/^AddVoter 4: done/);
    expect(answers[1]).toMatch(/^RemoveServer \d: done/);
  });

  it('a lagging node catches up by snapshot in both engines, a briefly down one from the log, each with its time', async () => {
    const run = await played('snapshot-catch-up');
    for (const pane of Object.values(lastPanes(run))) {
      const [long, short] = pane.membership.catchUps;
      expect(long.reason).toBe('restarted');
      expect(long.startMs).toBe(1_500);
      expect(long.targetIndex).toBeGreaterThan(100);
      expect(long.snapshots, pane.engine).toBeGreaterThan(0);
      expect(long.doneMs! - long.startMs, pane.engine).toBeGreaterThan(0);
      expect(short.startMs).toBe(2_700);
      expect(short.doneMs, pane.engine).not.toBeNull();
      expect(short.snapshots, pane.engine).toBe(0);
    }
    expect(logTexts(run, 'hashicorp', 'catch-up')[0]).toMatch(/^node \d \(restarted\) caught up to index \d+ in \d+ ms by snapshot \(\d sent\)$/);
  });

  it('4.2.2 removes the leader: it leaves, the other two elect a new one in both engines', async () => {
    const run = await played('remove-leader');
    for (const engine of ['etcd', 'hashicorp'] as const) {
      const changes = run.leaderChanges(engine);
      expect(changes.length, engine).toBeGreaterThanOrEqual(2);
      const first = changes[0].node;
      expect(changes[changes.length - 1].node, engine).not.toBe(first);
      const pane = run.frames[run.frames.length - 1].panes.find((candidate) => candidate.engine === engine)!;
      expect(pane.nodes.find((node) => node.id === first)!.configRole).toBe('not a member');
      // The time without a leader lies between the removal request and the next leader's election.
      expect(pane.membership.leaderlessMs, engine).toBeGreaterThan(0);
      expect(pane.membership.leaderlessMs, engine).toBeLessThan(changes[changes.length - 1].timeMs - 1_000);
    }
  });

  it('the same seed gives the same frames; an added step changes nothing before its time', async () => {
    const frames = async (steps = '') => {
      const parsed = parseScriptSteps(steps);
      if (!parsed.ok) throw new Error(parsed.error);
      const run = membershipRun('demote-remove', 4, parsed.steps);
      await run.recordUntil(1_500);
      return run.frames;
    };
    const plain = await frames();
    expect(JSON.stringify(await frames())).toBe(JSON.stringify(plain));
    const withCrash = await frames('1000-crash-leader');
    expect(JSON.stringify(withCrash.slice(0, 1_000 / frameMs + 1))).toBe(JSON.stringify(plain.slice(0, 1_000 / frameMs + 1)));
    expect(JSON.stringify(withCrash)).not.toBe(JSON.stringify(plain));
  });

  it('prevIndex: HashiCorp refuses a second change made against the same configuration, etcd applies both', async () => {
    const parsed = parseScriptSteps('500-addLearner-4,500-addLearner-5');
    if (!parsed.ok) throw new Error(parsed.error);
    const run = membershipRun('your-changes', 1, parsed.steps);
    await run.recordUntil(1_000);
    const { etcd, hashicorp } = lastPanes(run);
    expect(logTexts(run, 'etcd', 'answer').map((text) => text.replace(/ \(configuration entry \d+\)/, ''))).toEqual([
      'addLearner 4 (ConfChangeAddLearnerNode): done',
      'addLearner 5 (ConfChangeAddLearnerNode): done',
    ]);
    expect(etcd.nodes.map((node) => node.configRole)).toEqual(['voter', 'voter', 'voter', 'learner', 'learner']);
    const answers = logTexts(run, 'hashicorp', 'answer');
    expect(answers[0]).toMatch(/^AddNonvoter 4: done/);
    expect(answers[1]).toMatch(/^AddNonvoter 5: refused, Configuration changed since 1 \(latest is \d+\)$/);
    expect(hashicorp.nodes.map((node) => node.configRole)).toEqual(['voter', 'voter', 'voter', 'nonvoter', 'not a member']);
    // The refused addition has no catch-up; node 4's did.
    expect(hashicorp.membership.catchUps.map((catchUp) => [catchUp.node, catchUp.doneMs !== null])).toEqual([[4, true]]);
  });

  it('parses and formats added steps, refusing what it cannot read', () => {
    const text = '1200-addLearner-5,1500-remove-leader,1600-heal,1700-restart-down';
    const parsed = parseScriptSteps(text);
    expect(parsed.ok && formatScriptSteps(parsed.steps)).toBe(text);
    expect(parseScriptSteps('')).toEqual({ ok: true, steps: [] });
    expect(parseScriptSteps('12-explode-1')).toMatchObject({ ok: false, error: expect.stringContaining('step 12-explode-1') });
    expect(parseScriptSteps('12-crash-x')).toMatchObject({ ok: false, error: expect.stringContaining('node must be') });
    expect(parseScriptSteps('12-heal-1')).toMatchObject({ ok: false });
  });

  it('every scenario plays to its end with a leader in both panes', async () => {
    for (const scenario of membershipScenarios) {
      const run = await played(scenario.id, 2);
      for (const pane of run.frames[run.frames.length - 1].panes) {
        expect(pane.nodes.some((node) => node.role === 'leader'), `${scenario.id} ${pane.engine}`).toBe(true);
      }
    }
  });
});
