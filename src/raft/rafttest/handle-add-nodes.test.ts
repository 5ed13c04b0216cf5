// add-nodes: the flow-control and quota options this project adds to etcd's command reach each
// node's Config, and an invalid combination is reported the way etcd reports a bad Config.
import { describe, expect, it } from 'vitest';
import { parseLine } from '../datadriven/parse-line';
import { newInteractionEnv } from './interaction-commands';
import type { InteractionEnv } from './interaction-env';

function run(env: InteractionEnv, directive: string): string {
  const { cmd, cmdArgs } = parseLine(directive);
  return env.handle({ cmd, cmdArgs, input: '' });
}

describe('add-nodes options beyond etcd’s harness', () => {
  it('passes max-size-per-msg, max-inflight-bytes and max-uncommitted-entries-size to every node', () => {
    const env = newInteractionEnv();
    run(env, 'log-level none');
    const output = run(
      env,
      'add-nodes 2 voters=(1,2) index=10 max-size-per-msg=40 max-inflight-bytes=100 max-uncommitted-entries-size=30',
    );
    expect(output).toBe('ok');
    for (const node of env.nodes) {
      expect(node.config.maxSizePerMsg).toBe(40);
      expect(node.config.maxInflightBytes).toBe(100);
      expect(node.config.maxUncommittedEntriesSize).toBe(30);
    }
  });

  it('reports an inflight byte limit below the message size limit as a config error', () => {
    const env = newInteractionEnv();
    run(env, 'log-level none');
    expect(run(env, 'add-nodes 1 voters=(1) index=10 max-size-per-msg=40 max-inflight-bytes=10')).toBe(
      'max inflight bytes must be >= max message size',
    );
  });

  it('drops a proposal beyond the uncommitted quota (etcd’s ErrProposalDropped)', () => {
    const env = newInteractionEnv();
    run(env, 'log-level none');
    run(env, 'add-nodes 1 voters=(1) index=10 max-uncommitted-entries-size=10');
    run(env, 'campaign 1');
    run(env, 'stabilize');
    expect(run(env, 'propose 1 0123456789')).toBe('ok');
    expect(run(env, 'propose 1 x')).toBe('raft proposal dropped');
  });
});
