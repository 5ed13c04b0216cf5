// The interaction harness: etcd's rafttest.InteractionEnv. It holds a group of RawNodes, the
// messages in flight between them, and one output buffer that the nodes also log into. Test
// files drive it one command at a time (see interaction-commands.ts for the command list); each
// command's output, engine log lines included, is what the golden file records.
import type { Config } from '../config';
import { RaftError } from '../errors';
import { parseLine } from '../datadriven/parse-line';
import type { RawNode } from '../rawnode';
import type { Message, Snapshot } from '../types';
import { HarnessFatal, InteractionError, type CommandArg } from './command-args';
import type { InteractionStorage } from './interaction-storage';
import { RedirectLogger, indentLines } from './redirect-logger';

/** Hooks a test may install (etcd's InteractionOpts). */
export interface InteractionOptions {
  /** Adjusts each node's Config before its RawNode is built; must not change id or logger. */
  onConfig?: (config: Config) => void;
  /** Overrides how set-randomized-election-timeout reaches into a node. */
  setRandomizedElectionTimeout?: (rawNode: RawNode, timeout: number) => void;
}

/** A member of the group (etcd's rafttest.Node). */
export interface InteractionNode {
  rawNode: RawNode;
  storage: InteractionStorage;
  config: Config;
  /** MsgStorageAppend messages waiting for the append thread (async storage writes only). */
  appendWork: Message[];
  /** MsgStorageApply messages waiting for the apply thread (async storage writes only). */
  applyWork: Message[];
  /** The applied state after each applied entry; the last one is the node's snapshot. */
  history: Snapshot[];
}

/** The data of one datadriven test case, as the harness needs it. */
export interface InteractionTestData {
  cmd: string;
  cmdArgs: CommandArg[];
  input: string;
}

export type CommandHandler = (env: InteractionEnv, args: CommandArg[], input: string) => void;

/** Sets a node's randomized election timeout (etcd exports this for tests only). */
export function setRandomizedElectionTimeout(rawNode: RawNode, timeout: number): void {
  rawNode.raft.randomizedElectionTimeout = timeout;
}

export class InteractionEnv {
  readonly options: InteractionOptions;
  readonly nodes: InteractionNode[] = [];
  /** Messages in flight, in the order they were sent. */
  messages: Message[] = [];
  readonly output = new RedirectLogger();

  constructor(
    private readonly commands: ReadonlyMap<string, CommandHandler>,
    options: InteractionOptions = {},
  ) {
    this.options = options;
  }

  /**
   * Runs one test case and returns its output ("ok" when there is none). Errors that a command
   * returns become output; malformed test files and engine panics throw.
   */
  handle(d: InteractionTestData): string {
    this.output.reset();
    const error = this.runReturningError(() => {
      if (d.cmd === 'propose-conf-change') {
        this.handleSingle(d.cmd, d.cmdArgs, d.input);
      } else {
        this.handleMultiCommand(d);
      }
    });
    // At NONE even handler output is silenced, but errors are always shown.
    if (error !== null) {
      if (this.output.quiet()) return error.message;
      this.output.write(error.message);
    }
    if (this.output.length === 0) return 'ok';
    return this.output.toString();
  }

  /** Runs f with everything it writes indented by two spaces. */
  withIndent(f: () => void): void {
    const outer = this.output.takeBuffer();
    try {
      f();
    } finally {
      this.output.restoreBuffer(outer + indentLines(this.output.takeBuffer()));
    }
  }

  /** Runs f and returns the error it returned in etcd's terms, or null; rethrows panics. */
  runReturningError(f: () => void): Error | null {
    try {
      f();
      return null;
    } catch (error) {
      if (error instanceof RaftError || error instanceof InteractionError) return error;
      throw error;
    }
  }

  node(index: number): InteractionNode {
    const node = this.nodes[index];
    if (node === undefined) {
      throw new HarnessFatal(`node index ${index} out of range [0, ${this.nodes.length})`);
    }
    return node;
  }

  private handleMultiCommand(d: InteractionTestData): void {
    this.handleSingle(d.cmd, d.cmdArgs, '');
    // Input lines of any command but propose-conf-change are further commands.
    const lines = d.input === '' ? [] : d.input.split('\n');
    for (const line of lines) {
      const { cmd, cmdArgs } = parseLine(line);
      if (cmd === '')
        throw new HarnessFatal(`could not parse the command line ${JSON.stringify(line)}`);
      const error = this.runReturningError(() => this.handleSingle(cmd, cmdArgs, ''));
      if (error === null) continue;
      if (this.output.quiet()) throw error;
      this.output.write(error.message);
    }
  }

  private handleSingle(cmd: string, args: CommandArg[], input: string): void {
    const handler = this.commands.get(cmd);
    if (handler === undefined) throw new InteractionError('unknown command');
    handler(this, args, input);
  }
}
