// The harness's own behaviour: how errors, log levels, indentation and multi-command inputs
// reach the output, as etcd's InteractionEnv.Handle reports them.
import { describe, expect, it } from 'vitest';
import { parseLine } from '../datadriven/parse-line';
import { LogLevel } from '../logger';
import { HarnessFatal } from './command-args';
import { newInteractionEnv } from './interaction-commands';
import type { InteractionEnv } from './interaction-env';
import { indentLines, RedirectLogger } from './redirect-logger';

function run(env: InteractionEnv, directive: string, input = ''): string {
  const { cmd, cmdArgs } = parseLine(directive);
  return env.handle({ cmd, cmdArgs, input });
}

describe('InteractionEnv.handle', () => {
  it('prints "ok" for a command without output and the error text for an unknown command', () => {
    const env = newInteractionEnv();
    expect(run(env, '_breakpoint')).toBe('ok');
    expect(run(env, 'no-such-command')).toBe('unknown command');
  });

  it('shows returned errors even at log level NONE, and nothing else', () => {
    const env = newInteractionEnv();
    expect(run(env, 'log-level none')).toBe('ok');
    expect(run(env, 'add-nodes 3 voters=(1,2,3) index=10')).toBe('ok');
    expect(run(env, 'add-nodes 1 voters=(1) index=1')).toBe(
      'index must be specified as > 1 due to bootstrap',
    );
    expect(run(env, 'log-level bogus')).toBe(
      'log levels must be either of [DEBUG INFO WARN ERROR FATAL NONE]',
    );
  });

  it('logs the engine at the chosen level, as "LEVEL text" lines', () => {
    const env = newInteractionEnv();
    run(env, 'log-level warn');
    expect(run(env, 'add-nodes 1 voters=(1) index=2')).toBe('ok');
    run(env, 'log-level info');
    expect(run(env, 'campaign 1')).toBe(
      'INFO 1 is starting a new election at term 0\nINFO 1 became candidate at term 1\n',
    );
  });

  it('reports a proposal dropped without a leader (Raft §5.1: only the leader accepts proposals)', () => {
    const env = newInteractionEnv();
    run(env, 'log-level none');
    run(env, 'add-nodes 3 voters=(1,2,3) index=10');
    run(env, 'log-level debug');
    expect(run(env, 'propose 2 foo')).toBe(
      'INFO 2 no leader at term 0; dropping proposal\nraft proposal dropped',
    );
  });

  it('runs the input lines of a command as further commands', () => {
    const env = newInteractionEnv();
    run(env, 'log-level none');
    run(env, 'add-nodes 1 voters=(1) index=2');
    run(env, 'log-level debug');
    const output = run(env, 'raft-state', 'raft-log 1\nbogus');
    expect(output).toBe(
      '1: StateFollower (Voter) Term:0 Lead:0\nlog is empty: first index=3, last index=2unknown command',
    );
  });

  it('reports empty work queues and undelivered messages', () => {
    const env = newInteractionEnv();
    run(env, 'log-level none');
    run(env, 'add-nodes 1 voters=(1) index=2 async-storage-writes=true');
    run(env, 'log-level debug');
    expect(run(env, 'deliver-msgs 1')).toBe('no messages\n');
    expect(run(env, 'process-append-thread 1')).toBe('no append work to perform');
    expect(run(env, 'process-apply-thread 1')).toBe('no apply work to perform');
  });

  it('fails the test, rather than printing, on a malformed command', () => {
    const env = newInteractionEnv();
    expect(() => run(env, 'campaign one')).toThrow(HarnessFatal);
    expect(() => run(env, 'deliver-msgs 1 drop=(1)')).toThrow(HarnessFatal);
  });

  it('stabilize log-level= applies only for that command', () => {
    const env = newInteractionEnv();
    run(env, 'log-level none');
    run(env, 'add-nodes 1 voters=(1) index=2');
    run(env, 'log-level debug');
    run(env, 'campaign 1');
    expect(run(env, 'stabilize log-level=none')).toBe('ok');
    expect(env.output.level).toBe(LogLevel.Debug);
    expect(run(env, 'raft-state')).toBe('1: StateLeader (Voter) Term:1 Lead:1\n');
  });
});

describe('RedirectLogger', () => {
  it('adds a newline only where the text lacks one, and writes nothing at NONE', () => {
    const logger = new RedirectLogger();
    logger.info('a');
    logger.warning('b\n');
    expect(logger.toString()).toBe('INFO a\nWARN b\n');
    logger.reset();
    logger.level = LogLevel.None;
    logger.error('c');
    logger.write('d');
    expect(logger.length).toBe(0);
  });

  it('indents every line, including a last one without a newline', () => {
    expect(indentLines('')).toBe('');
    expect(indentLines('a\nb')).toBe('  a\n  b\n');
    expect(indentLines('a\n\nb\n')).toBe('  a\n  \n  b\n');
  });
});
