// Configuration changes one server at a time with prevIndex (hashicorp's AddVoter, AddNonvoter,
// DemoteVoter, RemoveServer; Raft dissertation 4.1), and leadership transfer (3.10).
import { describe, expect, it } from 'vitest';
import { appliedCommands, CoreHarness } from './core-harness';
import { describeConfiguration, nextConfiguration, type ConfigurationChangeRequest } from './configuration';
import { RaftRole, Suffrage } from './types';

function elect(harness: CoreHarness): number {
  harness.runUntil(() => harness.leader() !== null && harness.get(harness.leader()!).raft.commitIndex >= 2, 300, 'a leader with its no-op committed');
  return harness.leader()!;
}

function change(command: ConfigurationChangeRequest['command'], serverId: number, prevIndex = 0): ConfigurationChangeRequest {
  return { command, serverId, serverAddress: `node-${serverId}`, prevIndex };
}

function requestChange(harness: CoreHarness, request: ConfigurationChangeRequest, tag: number): string | null {
  const leader = harness.get(harness.leader()!);
  const refused = leader.raft.requestConfigurationChange(request, tag, harness.nowMs);
  harness.collect(leader);
  return refused;
}

describe('nextConfiguration', () => {
  const voters = { servers: [1, 2, 3].map((id) => ({ suffrage: Suffrage.Voter, id, address: `node-${id}` })) };

  it('refuses a change meant for another configuration index', () => {
    expect(nextConfiguration(voters, 7, change('AddVoter', 4, 6))).toEqual({ ok: false, error: 'Configuration changed since 6 (latest is 7)' });
    expect(nextConfiguration(voters, 7, change('AddVoter', 4, 7)).ok).toBe(true);
    expect(nextConfiguration(voters, 7, change('AddVoter', 4, 0)).ok).toBe(true);
  });

  it('adds, demotes and removes one server; never leaves no voter', () => {
    const added = nextConfiguration(voters, 1, change('AddNonvoter', 4));
    expect(added.ok && describeConfiguration(added.value)).toBe('[{Voter 1 node-1} {Voter 2 node-2} {Voter 3 node-3} {Nonvoter 4 node-4}]');
    const demoted = nextConfiguration(voters, 1, change('DemoteVoter', 2));
    expect(demoted.ok && demoted.value.servers[1].suffrage).toBe(Suffrage.Nonvoter);
    const removed = nextConfiguration(voters, 1, change('RemoveServer', 3));
    expect(removed.ok && removed.value.servers.map((s) => s.id)).toEqual([1, 2]);
    const one = { servers: [voters.servers[0]] };
    expect(nextConfiguration(one, 1, change('RemoveServer', 1))).toMatchObject({ ok: false, error: expect.stringContaining('Need at least one voter') });
    expect(nextConfiguration(voters, 1, { ...change('AddVoter', 4), serverAddress: 'node-1' })).toMatchObject({ ok: false, error: 'Found duplicate address in configuration: node-1' });
  });
});

describe('configuration changes on a running cluster', () => {
  it('AddVoter takes effect when appended, commits, and the new voter catches up', () => {
    const harness = new CoreHarness([1, 2, 3], 11, undefined, [4]);
    const leader = elect(harness);
    const latestIndex = harness.get(leader).raft.configurations.latestIndex;
    expect(requestChange(harness, change('AddVoter', 4, latestIndex), 1)).toBeNull();
    harness.step();
    const appended = harness.get(leader).events.find((e) => e.kind === 'configurationAppended');
    expect(appended).toMatchObject({ tag: 1 });
    const index = (appended as { index: number }).index;
    expect(harness.get(leader).raft.configurations.latestIndex).toBe(index);
    harness.runUntil(() => harness.get(4).raft.configurations.committedIndex === index, 200, 'joiner holds the committed configuration');
    harness.propose('hello');
    harness.runUntil(() => appliedCommands(harness.get(4)).includes('hello'), 200, 'joiner applies');
    expect(harness.get(leader).raft.configurations.committed.servers.map((s) => s.id)).toEqual([1, 2, 3, 4]);
  });

  it('changes wait one at a time; a stale prevIndex is refused', () => {
    const harness = new CoreHarness([1, 2, 3], 12, undefined, [4, 5]);
    const leader = elect(harness);
    const prev = harness.get(leader).raft.configurations.latestIndex;
    requestChange(harness, change('AddNonvoter', 4, prev), 1);
    requestChange(harness, change('AddNonvoter', 5, prev), 2);
    harness.run(30);
    const events = harness.get(leader).events;
    expect(events).toContainEqual(expect.objectContaining({ kind: 'configurationAppended', tag: 1 }));
    const first = events.find((e) => e.kind === 'configurationAppended' && e.tag === 1) as { index: number };
    expect(events).toContainEqual({ kind: 'configurationRefused', tag: 2, error: `Configuration changed since ${prev} (latest is ${first.index})` });
    // With prevIndex 0 the second change goes through after the first committed.
    requestChange(harness, change('AddNonvoter', 5), 3);
    harness.run(30);
    const raft = harness.get(leader).raft;
    expect(raft.configurations.committed.servers.map((s) => [s.id, s.suffrage])).toEqual([[1, 0], [2, 0], [3, 0], [4, 1], [5, 1]]);
    expect(raft.configurations.committedIndex).toBe(raft.configurations.latestIndex);
  });

  it('a nonvoter replicates but never campaigns; DemoteVoter and RemoveServer shrink the quorum', () => {
    const harness = new CoreHarness([1, 2, 3], 13, undefined, [4]);
    const leader = elect(harness);
    requestChange(harness, change('AddNonvoter', 4), 1);
    harness.run(30);
    const victim = [1, 2, 3].find((id) => id !== leader)!;
    requestChange(harness, change('DemoteVoter', victim), 2);
    harness.run(30);
    requestChange(harness, change('RemoveServer', victim), 3);
    harness.run(30);
    const committed = harness.get(leader).raft.configurations.committed;
    expect(committed.servers.map((s) => s.id).sort()).toEqual([1, 2, 3, 4].filter((id) => id !== victim));
    // Isolate the leader: the other voter alone is not a quorum of 2 voters; the nonvoter never campaigns.
    harness.isolate(leader);
    harness.run(100);
    expect(harness.get(4).raft.role).toBe(RaftRole.Follower);
    expect(harness.get(4).raft.currentTerm).toBeLessThanOrEqual(harness.get(leader).raft.currentTerm);
  });

  it('a leader that removes itself shuts down once the change commits; the rest elect a leader', () => {
    const harness = new CoreHarness([1, 2, 3], 14);
    const leader = elect(harness);
    requestChange(harness, change('RemoveServer', leader), 1);
    harness.runUntil(() => harness.get(leader).raft.role === RaftRole.Shutdown, 50, 'shut down');
    expect(harness.get(leader).events).toContainEqual({ kind: 'shutdown', reason: 'removed ourself, shutting down' });
    harness.runUntil(() => harness.leader() !== null && harness.leader() !== leader, 300, 'a new leader');
  });
});

describe('leadership transfer', () => {
  it('catches the target up, sends TimeoutNow, and the target wins the next term', () => {
    const harness = new CoreHarness([1, 2, 3], 15);
    const leader = elect(harness);
    for (let i = 0; i < 10; i++) harness.propose(`put ${i}`);
    const target = [1, 2, 3].find((id) => id !== leader)!;
    const term = harness.get(leader).raft.currentTerm;
    expect(harness.get(leader).raft.transferLeadership(target, 7, harness.nowMs)).toBeNull();
    // Applies are refused while the transfer runs.
    expect(harness.get(leader).raft.apply(new Uint8Array(1), harness.nowMs)).toEqual({ ok: false, error: 'ErrLeadershipTransferInProgress' });
    harness.collect(harness.get(leader));
    harness.runUntil(() => harness.leader() === target, 100, 'target leads');
    expect(harness.get(target).raft.currentTerm).toBe(term + 1);
    expect(harness.get(leader).events).toContainEqual({ kind: 'transferFinished', tag: 7, error: null });
    harness.runUntil(() => appliedCommands(harness.get(target)).length === 10, 100, 'nothing lost');
  });

  it('fails after ElectionTimeout when the target cannot be reached', () => {
    const harness = new CoreHarness([1, 2, 3], 16);
    const leader = elect(harness);
    const target = [1, 2, 3].find((id) => id !== leader)!;
    harness.cut.add(`${leader}->${target}`);
    harness.propose('x');
    expect(harness.get(leader).raft.transferLeadership(target, 8, harness.nowMs)).toBeNull();
    harness.run(30);
    expect(harness.get(leader).events).toContainEqual({ kind: 'transferFinished', tag: 8, error: 'leadership transfer timeout' });
    expect(harness.leader()).toBe(leader);
    expect(harness.get(leader).raft.transferLeadership(leader, 9, harness.nowMs)).toBe('cannot transfer leadership to itself');
  });
});
